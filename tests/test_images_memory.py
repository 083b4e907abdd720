"""Photos cannot make the build run out of memory: a photo past MAX_PHOTO_PIXELS is refused from its
header, and the photos processed at once fit a memory budget, not only the number of processors."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from samizdat.images import limits
from samizdat.images.limits import LEAST_MEMORY_BUDGET, MAX_PHOTO_PIXELS, memory_budget, processing_memory
from samizdat.images.model import FacePlan, Failure, Job, Settings, Source
from samizdat.images.probe import ImageProblem, probe
from samizdat.images.stage import _as_memory_allows
from tests.imagefiles import png_bomb

SIZES = [  # (width, height), accepted
    ((6000, 4000), True),  # a 24-megapixel camera photo
    ((8160, 6144), True),  # a phone's 50-megapixel photo
    ((7745, 7745), True),  # 59,985,025 pixels: just under the limit
    ((7746, 7746), False),  # 60,000,516
    ((9400, 9400), False),  # under Pillow's own limit, and 1.7 GB to process
]


@pytest.mark.parametrize(("size", "accepted"), SIZES, ids=[f"{w}x{h}" for (w, h), _ in SIZES])
def test_the_pixel_limit_keeps_camera_and_phone_photos(tmp_path: Path, size: tuple[int, int],
                                                       accepted: bool) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(png_bomb(*size))  # a header and a few bytes: probe decodes no pixel
    if accepted:
        assert (probe(path, "").width, probe(path, "").height) == size
    else:
        with pytest.raises(ImageProblem, match=f"the limit is {MAX_PHOTO_PIXELS:,} pixels"):
            probe(path, "")


class Workers:
    """A stand-in for run_job that keeps what runs at once."""

    def __init__(self, meet: int = 0) -> None:
        self.lock = threading.Lock()
        self.running: dict[str, int] = {}
        self.peak_memory = 0
        self.peak_count = 0
        self.alone: set[str] = set()  # the jobs that ran with no other
        self.meeting = threading.Barrier(meet) if meet else None

    def run(self, job: Job) -> Failure:
        with self.lock:
            self.running[job.key] = processing_memory(job.source.width, job.source.height)
            self.peak_memory = max(self.peak_memory, sum(self.running.values()))
            self.peak_count = max(self.peak_count, len(self.running))
        if self.meeting is not None:
            self.meeting.wait(timeout=10)  # `meet` jobs at once, or a BrokenBarrierError
        time.sleep(0.02)
        with self.lock:
            if len(self.running) == 1:
                self.alone.add(job.key)
            del self.running[job.key]
        return Failure(job.key, "")


def photo_jobs(*sizes: tuple[int, int]) -> list[Job]:
    return [Job(Source(Path(f"{n}.jpg"), str(n), "JPEG", width, height), Settings((320,), 80, ()),
                FacePlan(detect=False), str(n), Path(str(n))) for n, (width, height) in enumerate(sizes)]


def run_all(jobs: list[Job], workers: Workers, budget: int, count: int = 4) -> Iterator[str]:
    with ThreadPoolExecutor(max_workers=count) as pool:
        for job, outcome in _as_memory_allows(pool, workers.run, jobs, count, budget):
            assert isinstance(outcome, Failure) and outcome.message == job.key
            yield job.key


def test_large_photos_run_as_many_at_once_as_the_budget_holds() -> None:
    jobs = photo_jobs(*[(7000, 6000)] * 8)  # 42 megapixels, about 1 GB each to process
    budget = 2 * processing_memory(7000, 6000) + 1
    workers = Workers(meet=2)  # each job waits for another to run beside it
    assert sorted(run_all(jobs, workers, budget)) == sorted(job.key for job in jobs)
    assert workers.peak_count == 2 and workers.peak_memory < budget  # four workers, two photos


def test_a_photo_larger_than_the_budget_runs_alone() -> None:
    jobs = photo_jobs((1000, 1000), (7745, 7745), (1000, 1000), (1000, 1000))
    workers = Workers()
    assert len(list(run_all(jobs, workers, budget=processing_memory(5000, 5000)))) == 4
    assert "1" in workers.alone


def test_small_photos_keep_every_worker_busy() -> None:
    workers = Workers(meet=4)  # each job waits until all four run at once
    assert len(list(run_all(photo_jobs(*[(4000, 3000)] * 4), workers, budget=1 << 40))) == 4
    assert workers.peak_count == 4


GIB = 1 << 30


def meminfo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    path = tmp_path / "meminfo"
    path.write_text(text, encoding="ascii")
    monkeypatch.setattr(limits, "MEMINFO", str(path))


def test_photos_at_once_fit_in_half_the_memory_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 16 GB laptop with a browser open and 1 GB left: a quarter of its memory (4 GB) was the budget, room
    for thirteen phone photos at once. Now half of what is left: one at a time."""
    meminfo(tmp_path, monkeypatch, f"MemTotal:       {16 * GIB // 1024} kB\nMemFree:          123456 kB\n"
                                   f"MemAvailable:    {GIB // 1024} kB\n")
    assert memory_budget() == GIB // 2
    workers = Workers()
    jobs = photo_jobs(*[(4000, 3000)] * 4)  # 12 megapixels, 288 MB each to process
    assert len(list(run_all(jobs, workers, memory_budget()))) == 4
    assert workers.peak_count == 1 and workers.alone == {job.key for job in jobs}


def test_a_machine_with_memory_to_spare_gives_photos_a_quarter(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    meminfo(tmp_path, monkeypatch, f"MemTotal: {16 * GIB // 1024} kB\nMemAvailable: {12 * GIB // 1024} kB\n")
    assert memory_budget() == 4 * GIB
    meminfo(tmp_path, monkeypatch, f"MemTotal: {2 * GIB // 1024} kB\nMemAvailable: {3 * GIB // 1024} kB\n")
    assert memory_budget() == LEAST_MEMORY_BUDGET  # a small machine: at least three phone photos


@pytest.mark.parametrize("text", ["", "MemTotal: lots\nMemAvailable: 12 MB\n", "\xff\xfe"])
def test_without_the_memory_left_the_budget_is_a_quarter_of_the_machine(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch,
                                                                        text: str) -> None:
    path = tmp_path / "meminfo"
    path.write_bytes(text.encode("latin-1"))
    monkeypatch.setattr(limits, "MEMINFO", str(path))
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    assert memory_budget() == max(LEAST_MEMORY_BUDGET, total // 4)
    monkeypatch.setattr(limits, "MEMINFO", str(tmp_path / "missing"))
    assert memory_budget() == max(LEAST_MEMORY_BUDGET, total // 4)
