"""Wall time and peak memory of one command, run as a fresh process.

Peak memory is the larger of two figures: the kernel's high-water mark of the process (ru_maxrss from
wait4, which covers its reaped children one at a time) and the summed resident memory of the whole
process tree, sampled every 20 ms with psutil. The sum is what a machine must hold when an engine runs
several worker processes at once; it counts pages shared between forked workers once per process, so
it errs high rather than low. Beside it, the peak of the tree's summed proportional set size (PSS, from
/proc/PID/smaps_rollup): each page shared by n processes counts 1/n in each, so forked workers are
counted by what they add, which is the figure to compare between engines with and without workers.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

SAMPLE_EVERY = 0.02  # seconds


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    peak_rss: int  # bytes
    peak_pss: int = 0  # bytes: the process tree's summed PSS at its highest; 0 where the kernel gives none


class CommandFailed(RuntimeError):
    pass


def run_measured(command: list[str], log: Path) -> Sample:
    """Run command with stdout and stderr to log; raise CommandFailed (with the log's tail) on a non-zero exit."""
    with log.open("wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        sampler = _TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keeps Popen from waiting again
    if process.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise CommandFailed(f"{' '.join(command)} exited with {process.returncode}:\n{tail}")
    return Sample(wall, max(usage.ru_maxrss * 1024, sampler.peak), sampler.peak_pss)


class _TreeSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_pss, self.stop = pid, 0, 0, threading.Event()

    def run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.NoSuchProcess:
            return
        while not self.stop.is_set():
            total = proportional = 0
            try:
                for process in [root, *root.children(recursive=True)]:
                    memory = process.memory_full_info()
                    total += memory.rss
                    proportional += getattr(memory, "pss", 0)
            except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
                pass  # a worker ending between listing and reading: the next sample sees the rest
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, proportional)
            self.stop.wait(SAMPLE_EVERY)
