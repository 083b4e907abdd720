"""A build files each page in its store as the page is rendered, in a transaction it commits only once the
new site is published (build/cache/store.py: Store.begin). So the build does not hold every rendered
page in memory, and the store still never runs ahead of the output: a build that fails, or is killed,
after filing its pages leaves the rows of the last good build, and the next build is right."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from samizdat.build import parallel
from samizdat.build.cache import store as store_module
from samizdat.build.cache.caches import BuildCaches
from samizdat.build.cache.store import store_path
from samizdat.build.pipeline import render_site
from samizdat.build.publication import ANNOUNCE
from samizdat.build.writer import write_output
from samizdat.cli import main
from tests.conftest import REPO, cold_user_cache, tree_digest
from tests.hostile import Outcome, Sandbox, assert_refused
from tests.staleness import site_files, write_site
from tests.test_hostile_template_bounds import RUNAWAYS, sandbox  # noqa: F401 (the fixture)

MARKER = ".samizdat-output"


def published(out: Path) -> dict[str, str]:
    files = {rel: digest for rel, digest in tree_digest(out).items() if rel != MARKER}
    assert len(files) > 10
    return files


def rows(site: Path) -> dict[str, object]:
    """What the store holds of each page and generated file (a hot journal is rolled back on opening)."""
    db = sqlite3.connect(store_path(site))
    try:
        pages = {str(output): (signature, digest) for output, signature, digest
                 in db.execute("SELECT output, signature, digest FROM pages")}
        generated = dict(db.execute("SELECT output, inputs FROM generated"))
    finally:
        db.close()
    assert pages
    return {"pages": pages, "generated": generated}


def cold_reference(tmp_path: Path, site: Path, name: str) -> dict[str, str]:
    """The site built with nothing kept: a fresh store in a fresh cache folder."""
    with cold_user_cache(tmp_path / f"cache-{name}"):
        assert main(["build", str(site), "-o", str(tmp_path / f"cold-{name}")]) == 0
    return published(tmp_path / f"cold-{name}")


def retitle(site: Path, title: str) -> None:
    """Every page shows the site's title: each is rendered and filed anew."""
    config = site / "samizdat.toml"
    text = config.read_text(encoding="utf-8")
    start = text.index('title = "') + len('title = "')
    config.write_text(text[:start] + title + text[text.index('"', start):], encoding="utf-8")


def test_pages_rendered_anew_are_on_the_disk_and_written_right(tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    caches = BuildCaches.on_disk(site)
    output = render_site(site, caches=caches)
    assert caches.render is not None and output.rendered_count > 10
    # The pages no later stage read the bytes of (a page with a picture is read by the image stage) hold
    # only their small facts: the HTML is in the store's open transaction.
    kept = [page for _, page in caches.render.entries.values() if not page.media]
    assert len(kept) > 10 and not any(page.loaded for page in kept)
    # Nor does any page hold its Markdown body: each is read again from its file when asked for.
    assert caches.parse is not None
    parsed = [known.parsed.page for known in caches.parse.entries.values()]
    assert len(parsed) > 10 and not any("body" in page.__dict__ for page in parsed)
    about = next(page for page in parsed if page.path == site / "content/en/about.md")
    assert about.body and about.body == (site / "content/en/about.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    write_output(out, output.pages, output.copies, published=caches.save)
    caches.store.close()
    assert published(out) == published(_built_in_memory(tmp_path, site))


def _built_in_memory(tmp_path: Path, site: Path) -> Path:
    out = tmp_path / "in-memory"
    output = render_site(site, caches=BuildCaches())  # no store: every page stays in memory
    write_output(out, output.pages, output.copies)
    return out


def test_a_build_that_fails_after_rendering_leaves_the_last_good_rows(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    assert main(["build", str(site), "-o", str(out)]) == 0
    before, live = rows(site), published(out)
    retitle(site, "Renamed")
    about = site / "content/en/about.md"
    good = about.read_text(encoding="utf-8")
    about.write_text(good + '\n<script>alert("x")</script>\n', encoding="utf-8")  # refused, after rendering
    capsys.readouterr()
    assert main(["build", str(site), "-o", str(out)]) != 0
    assert "about.md" in capsys.readouterr().err
    assert rows(site) == before  # every page was filed anew, and none of it was committed
    assert published(out) == live
    about.write_text(good, encoding="utf-8")
    assert main(["build", str(site), "-o", str(out)]) == 0
    assert published(out) == cold_reference(tmp_path, site, "renamed")


def test_a_build_killed_after_filing_its_pages_leaves_the_last_good_rows(tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    assert main(["build", str(site), "-o", str(out)]) == 0
    before = rows(site)
    retitle(site, "Killed")
    build = subprocess.Popen([sys.executable, "-m", "samizdat", "build", str(site), "-o", str(out)], cwd=REPO,
                             env={**os.environ, ANNOUNCE: "1", "PYTHONUNBUFFERED": "1"}, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert build.stderr is not None
    # Publication starts after every page was rendered and filed: the store's journal is then hot.
    assert any(line.startswith("publish: write") for line in iter(build.stderr.readline, ""))
    os.kill(build.pid, signal.SIGKILL)
    build.communicate()  # closes the pipes
    assert Path(f"{store_path(site)}-journal").exists()
    assert rows(site) == before
    assert main(["build", str(site), "-o", str(out)]) == 0
    assert published(out) == cold_reference(tmp_path, site, "killed")


def on_two_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds in this process render on two forked workers, on any machine, from two pages on."""
    assert threading.active_count() == 1, f"a thread runs, so a build would render in-process: {threading.enumerate()}"
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _: {0, 1})


def assert_ran_away_once(outcome: Outcome, layout: str, at_least: int) -> None:
    """The layout is refused at its line (3) for one page; a report repeated is counted in one line, for at
    least `at_least` pages not rendered."""
    assert_refused(outcome, layout, 3)
    ran_away, _, not_rendered = outcome.err.partition("error: not rendered: the build stopped rendering")
    assert "took more than 5,000,000 loop turns and calls" in ran_away or "ran for more than" in ran_away
    assert "(the same on" not in ran_away  # one page ran away
    repeated = re.search(r"\(the same on (\d+) pages\)", not_rendered)
    assert repeated is not None and int(repeated[1]) >= at_least, outcome.err


def test_a_layout_that_runs_away_stops_every_worker(sandbox: Sandbox, capsys: pytest.CaptureFixture[str],  # noqa: F811
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendered on several processes in small slices, a layout that runs away is reported once: the rest
    are not rendered, rather than each slice running away as long again."""
    on_two_workers(monkeypatch)
    monkeypatch.setattr(parallel, "SLICE", 2)
    pages = {f"content/en/page-{n}.md": f"---\ntitle: Page {n}\n---\n\nText {n}.\n" for n in range(12)}
    sandbox.write({"templates/default.html": '{% extends "base.html" %}\n{% block main %}\n'
                   + RUNAWAYS["nested loops"] + "\n{% endblock %}\n", **pages})
    assert_ran_away_once(sandbox.build(capsys), "templates/default.html", at_least=12)


def test_a_listing_layout_that_runs_away_in_the_main_process_stops_the_other_listings(
        sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The listings render in the main process after the workers (parallel.py): a tag layout that runs away
    there is reported once, at its line, and the other tag pages are not rendered."""
    on_two_workers(monkeypatch)
    posts = {f"content/en/news/2026-01-{n:02d}-post.md": f"---\ntitle: Post {n}\ntags: [t{n}]\n---\n\nText {n}.\n"
             for n in range(1, 5)}
    sandbox.write({"templates/tag.html": '{% extends "base.html" %}\n{% block main %}\n'
                   + RUNAWAYS["nested loops"] + "\n{% endblock %}\n", **posts})
    assert_ran_away_once(sandbox.build(capsys), "templates/tag.html", at_least=3)  # the other tag pages


def test_workers_rendering_kept_pages_leave_the_store_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A template edited: every page is rendered again by forked workers, from bodies the last build kept
    in the store, while this build files pages in its open transaction. A worker that read the store's
    connection found it locked, and the store was thrown away and the whole site built twice."""
    on_two_workers(monkeypatch)
    connect = store_module._connect

    def small_cache(path: Path) -> sqlite3.Connection:
        """As a site of thousands of pages does, the build's transaction spills from SQLite's page cache
        into the file while the workers render, and holds its lock."""
        db = connect(path)
        db.execute("PRAGMA cache_size = 4")
        return db

    monkeypatch.setattr(store_module, "_connect", small_cache)
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    assert main(["build", str(site), "-o", str(out)]) == 0
    base = REPO / "samizdat/themes/default/templates/base.html"
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/base.html").write_text(
        base.read_text(encoding="utf-8").replace("</body>", "<p>edited layout</p></body>"), encoding="utf-8")
    store = store_path(site)
    made = store.stat().st_ino
    capsys.readouterr()
    assert main(["build", str(site), "-o", str(out), "--timings"]) == 0
    report = capsys.readouterr()
    assert "thrown away" not in report.err
    rendered = re.search(r"\((\d+) rendered\)", report.out)
    assert rendered is not None and int(rendered[1]) > 10  # every page, on the workers
    assert store.stat().st_ino == made  # the same file, not one made afresh
    assert sum("edited layout" in (out / rel).read_text(encoding="utf-8") for rel in published(out)
               if rel.endswith(".html")) > 10
    assert published(out) == cold_reference(tmp_path, site, "layout")


def test_a_worker_cannot_use_the_store(tmp_path: Path) -> None:
    """The guard behind the test above: in a forked process the store refuses, rather than reading pages
    the main process is changing (or, told they look damaged, removing the file)."""
    from samizdat.build.cache.store import Store

    site = tmp_path / "site"
    site.mkdir()
    store = Store.open(site)
    assert store.rows("SELECT count(*) FROM pages") == [(0,)]
    child = os.fork()
    if child == 0:
        try:
            store.rows("SELECT count(*) FROM pages")
        except RuntimeError:
            os._exit(0)
        os._exit(1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert store.rows("SELECT count(*) FROM pages") == [(0,)]
    store.close()


def test_a_source_changed_during_the_build_stops_it(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's body is read again from its file when it renders, and must be the text its front matter
    was parsed with: a file saved between the two is an error that names it, and nothing is published."""
    import samizdat.build.pipeline as pipeline

    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    assert main(["build", str(site), "-o", str(out)]) == 0
    live = published(out)
    about = site / "content/en/about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA first edit.\n", encoding="utf-8")
    render = pipeline.render_site_pages

    def edited_meanwhile(*args: object, **kwargs: object) -> object:
        about.write_text(about.read_text(encoding="utf-8") + "\nA second edit, saved while it built.\n",
                         encoding="utf-8")
        return render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "render_site_pages", edited_meanwhile)
    capsys.readouterr()
    assert main(["build", str(site), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "content/en/about.md" in err and "changed while samizdat was building" in err and "build again" in err
    assert published(out) == live
    monkeypatch.setattr(pipeline, "render_site_pages", render)
    assert main(["build", str(site), "-o", str(out)]) == 0
    assert "A second edit" in (out / "en/about/index.html").read_text(encoding="utf-8")
    assert published(out) == cold_reference(tmp_path, site, "edited")


def test_a_source_made_a_link_during_the_build_is_not_followed(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A page put in place of a link to a file outside the site, between parsing and rendering: its body
    is never read through the link, and the build stops naming the page."""
    import samizdat.build.pipeline as pipeline

    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    outside = tmp_path / "secret.md"
    about = site / "content/en/about.md"
    outside.write_text(about.read_text(encoding="utf-8"), encoding="utf-8")  # the same bytes, even
    render = pipeline.render_site_pages

    def linked_meanwhile(*args: object, **kwargs: object) -> object:
        about.unlink()
        about.symlink_to(outside)
        return render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "render_site_pages", linked_meanwhile)
    capsys.readouterr()
    assert main(["build", str(site), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "content/en/about.md" in err and "changed while samizdat was building" in err
    assert not out.exists() or not any(out.iterdir())


# A build on two forced workers, in a process of its own: one that runs other threads (a test session may have
# some) renders in-process, as fork is unsafe there. It prints each page this process rendered, and whether the
# workers had ended by then (parallel._renderer is set only while they run).
RECORD_WHERE_PAGES_RENDER = """
import json, sys
from samizdat.build import parallel
parallel.PARALLEL_FROM, parallel.SLICE = 2, 2
parallel.os.sched_getaffinity = lambda _: {0, 1}
here, render_all = [], parallel.render_all
def recording(renderer, rules, pages):
    here.extend((page.key, parallel._renderer is None) for page in pages)
    return render_all(renderer, rules, pages)
parallel.render_all = recording
from samizdat.cli import main
code = main(["build", sys.argv[1], "-o", sys.argv[2]])
print(json.dumps([code, here]))
"""


def test_listings_render_in_the_main_process_once_the_workers_have_ended(tmp_path: Path) -> None:
    """A listing reads fields of every page it lists: rendered in a worker, it copies their memory into it.
    The main process renders the listings, after the workers, and the site is the one a build on one core
    makes, byte for byte."""
    site = tmp_path / "site"
    write_site(site, site_files())
    reference = cold_reference(tmp_path, site, "one core")  # fewer pages than PARALLEL_FROM: in-process

    with cold_user_cache(tmp_path / "cache-workers"):
        done = subprocess.run([sys.executable, "-c", RECORD_WHERE_PAGES_RENDER, str(site), str(tmp_path / "workers")],
                              cwd=REPO, env=dict(os.environ), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    code, here = json.loads(done.stdout.splitlines()[-1])
    assert code == 0
    listed = {key for key, _ in here}
    assert {"news", "meetings", "tags"} <= listed, listed
    assert any(key.startswith("tags/") for key in listed), listed
    assert not any(key.startswith(("news/20", "meetings/20")) or key in ("index", "about") for key in listed), listed
    assert all(ended for _, ended in here)
    assert published(tmp_path / "workers") == reference
