"""A save built from the paths the file watcher saw: the dev server reads content/'s folders again only
when a file there came or went, and whatever a watcher reports of a move or a removal (often the folder
alone, not each file in it) never leaves a page served that is gone, or misses one that came.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from watchfiles import Change

import samizdat.content.sources
from samizdat.serve.state import DevState
from samizdat.serve.watcher import SiteFilter

POST = "---\ntitle: {title}\ndate: 2026-01-0{day}\n---\n\n{text}\n"


@pytest.fixture
def site(make_site) -> Path:
    files = {f"content/en/news/2026-01-0{day}-post.md": POST.format(title=f"Post {day}", day=day, text=f"Text {day}.")
             for day in (1, 2, 3)}
    return make_site({**files, "content/en/index.md": "---\ntitle: Home\n---\n\nHome.\n"})


@pytest.fixture
def walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times discovery walked content/ (one entry per walk)."""
    counted: list[int] = []
    walk = samizdat.content.sources.site_file_names

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        counted.append(1)
        return walk(*args, **kwargs)

    monkeypatch.setattr(samizdat.content.sources, "site_file_names", counting)
    return counted


def built(state: DevState) -> DevState:
    assert state.output is not None and state.error is None, state.error
    return state


def page(state: DevState, rel: str) -> str | None:
    data = built(state).output.pages.get(rel)  # type: ignore[union-attr]
    return data.decode() if data is not None else None


def cold(site: Path) -> dict[str, bytes]:
    fresh = DevState(site)
    fresh.rebuild()
    return dict(built(fresh).output.pages)  # type: ignore[union-attr]


def test_an_edit_is_built_without_walking_content(site: Path, walks: list[int]) -> None:
    state = DevState(site)
    state.rebuild()
    assert len(walks) == 2  # the first part and the whole build, each from the folders
    post = site / "content/en/news/2026-01-02-post.md"
    post.write_text(POST.format(title="Post 2", day=2, text="A sentence saved just now."), encoding="utf-8")
    walks.clear()
    report = state.rebuild({os.fspath(post)})
    assert not report.startswith("error"), report
    assert walks == []
    assert "A sentence saved just now." in page(state, "en/news/2026-01-02-post/index.html")  # type: ignore[operator]
    assert dict(state.output.pages) == cold(site)  # type: ignore[union-attr]


def test_a_folder_moved_away_is_reported_by_its_name_alone(site: Path, walks: list[int]) -> None:
    """inotify tells a moved folder's watch one event, for the folder: the pages in it are gone all the same."""
    state = DevState(site)
    state.rebuild()
    news = site / "content/en/news"
    assert page(state, "en/news/2026-01-01-post/index.html") is not None
    shutil.move(news, site.parent / "elsewhere")
    walks.clear()
    state.rebuild({os.fspath(news)})
    assert walks, "a folder that held pages is gone: content/ is read again"
    assert page(state, "en/news/2026-01-01-post/index.html") is None
    assert dict(state.output.pages) == cold(site)  # type: ignore[union-attr]


def test_a_folder_moved_in_is_read(site: Path, tmp_path: Path) -> None:
    state = DevState(site)
    state.rebuild()
    outside = tmp_path / "reports"
    outside.mkdir()
    (outside / "march.md").write_text("---\ntitle: March\n---\n\nThe march.\n", encoding="utf-8")
    target = site / "content/en/reports"
    shutil.move(outside, target)
    state.rebuild({os.fspath(target)})
    assert "The march." in page(state, "en/reports/march/index.html")  # type: ignore[operator]
    assert dict(state.output.pages) == cold(site)  # type: ignore[union-attr]


def test_a_removed_page_and_a_page_renamed_in_place(site: Path) -> None:
    state = DevState(site)
    state.rebuild()
    gone = site / "content/en/news/2026-01-01-post.md"
    gone.unlink()
    state.rebuild({os.fspath(gone)})
    assert page(state, "en/news/2026-01-01-post/index.html") is None
    old, new = site / "content/en/news/2026-01-02-post.md", site / "content/en/news/2026-01-02-renamed.md"
    old.rename(new)
    state.rebuild({os.fspath(old), os.fspath(new)})
    assert page(state, "en/news/2026-01-02-post/index.html") is None
    assert page(state, "en/news/2026-01-02-renamed/index.html") is not None
    assert dict(state.output.pages) == cold(site)  # type: ignore[union-attr]


def test_a_page_replaced_by_a_link_is_refused_as_on_a_walk(site: Path, tmp_path: Path) -> None:
    state = DevState(site)
    state.rebuild()
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\n---\n\nNot for the site.\n", encoding="utf-8")
    post = site / "content/en/news/2026-01-03-post.md"
    post.unlink()
    post.symlink_to(secret)
    report = state.rebuild({os.fspath(post)})
    assert report.startswith("error") and "symbolic link" in report, report
    assert all(b"Not for the site" not in data for data in state.output.pages.values())  # type: ignore[union-attr]


def test_changes_outside_the_site_or_after_a_failed_build_read_every_folder(site: Path, walks: list[int]) -> None:
    state = DevState(site)
    state.rebuild()
    post = site / "content/en/news/2026-01-03-post.md"
    post.write_text(POST.format(title="Post 3", day=3, text="Changed."), encoding="utf-8")
    walks.clear()
    state.rebuild({os.fspath(post), os.fspath(site.parent / "not-the-site.md")})
    assert walks, "a path the build cannot place: every folder is read"
    broken = site / "content/en/broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    assert state.rebuild({os.fspath(broken)}).startswith("error")
    broken.unlink()
    walks.clear()
    state.rebuild({os.fspath(broken)})
    assert walks, "after a failed build the last reading of the folders may not be whole"
    assert dict(built(state).output.pages) == cold(site)  # type: ignore[union-attr]


def test_a_change_the_watcher_passes_over_makes_the_next_build_read_every_folder(site: Path) -> None:
    """The watcher does not build for an editor's swap file or a name ending in ~, yet such a file in
    content/ is published: the build after it must not take the folders as they were."""
    site_filter = SiteFilter()
    assert site_filter(Change.modified, os.fspath(site / "content/en/index.md"))
    assert not site_filter.passed_over
    assert not site_filter(Change.added, os.fspath(site / "content/en/notes.txt~"))
    assert site_filter.passed_over
    site_filter.passed_over = False
    assert not site_filter(Change.added, os.fspath(site / "content/en/node_modules/page.md"))
    assert site_filter.passed_over, "content/ publishes a node_modules folder: only the watcher skips it"


def test_editors_saves_through_the_real_watcher(site: Path, walks: list[int]) -> None:
    """The running server's watcher, with the ways editors save: in place, by writing a temporary file
    and renaming it over the page, and by renaming the page to a backup (`page.md~`, which the watcher
    does not report) before writing it anew. Each save is served; a page added and a folder moved away
    by its name alone are too; the saves in between are built without walking content/."""
    from samizdat.serve.server import background

    post = site / "content/en/news/2026-01-02-post.md"
    url = "en/news/2026-01-02-post/index.html"

    def save_and_wait(change, text: str) -> DevState:  # type: ignore[no-untyped-def]
        generation = dev.state.generation
        change(text)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            shown = page(dev.state, url) if dev.state.output is not None else None
            if dev.state.generation > generation and not dev.state.completing and shown and text in shown:
                return dev.state
            time.sleep(0.02)
        raise AssertionError(f"{text!r} was not served: {dev.state.error}")

    def in_place(text: str) -> None:
        post.write_text(POST.format(title="Post 2", day=2, text=text), encoding="utf-8")

    def renamed_over(text: str) -> None:
        temporary = post.with_name(".post.md.tmp")
        temporary.write_text(POST.format(title="Post 2", day=2, text=text), encoding="utf-8")
        os.replace(temporary, post)

    def backup_first(text: str) -> None:
        os.replace(post, post.with_name(post.name + "~"))
        post.write_text(POST.format(title="Post 2", day=2, text=text), encoding="utf-8")

    with background(site) as dev:
        walks.clear()
        # The watches were set before the first build: even the first save is built from what they saw.
        save_and_wait(in_place, "The first save.")
        save_and_wait(in_place, "Saved in place.")
        save_and_wait(renamed_over, "Saved by a rename over the page.")
        assert walks == [], "an edit of a page that stays where it was needs no walk, the first one included"
        save_and_wait(backup_first, "Saved after a backup by rename.")  # the backup is passed over: a walk
        new = site / "content/en/news/2026-01-04-post.md"
        new.write_text(POST.format(title="Post 4", day=4, text="A new post."), encoding="utf-8")
        save_and_wait(in_place, "Saved beside a new post.")
        assert "A new post." in page(dev.state, "en/news/2026-01-04-post/index.html")  # type: ignore[operator]
        shutil.move(site / "content/en/news", site.parent / "news-elsewhere")
        deadline = time.monotonic() + 20
        while page(dev.state, url) is not None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert page(dev.state, url) is None, "a folder moved away is still served"


def test_translation_status_kept_between_saves_follows_each_source_edit(tmp_path: Path) -> None:
    """The dev server keeps each key's translation status while its pages are the same: a save of the English
    home page alone marks its translations out of date, and writing the old text back marks them current."""
    from tests.conftest import BUNDLED_SITE, copy_site

    site = copy_site(BUNDLED_SITE, tmp_path / "site")
    english = site / "content/en/index.md"
    before = english.read_text(encoding="utf-8")
    state = DevState(site)
    state.rebuild()
    notice = 'class="translation-notice"'
    assert notice not in page(state, "index.html")  # type: ignore[operator]
    kept = dict(state.caches.parse.status_rows)  # type: ignore[union-attr]
    assert len(kept) >= 2 and "index" in kept
    english.write_text(before.replace("freedom for Russians", "freedom and peace for Russians"), encoding="utf-8")
    assert not state.rebuild({os.fspath(english)}).startswith("error")
    assert notice in page(state, "index.html")  # type: ignore[operator]
    assert notice in page(state, "kr/index.html")  # type: ignore[operator]
    rows = state.caches.parse.status_rows  # type: ignore[union-attr]
    assert rows["index"][3] is not kept["index"][3]
    assert all(rows[key][3] is kept[key][3] for key in kept if key != "index")  # the others were kept
    assert dict(state.output.pages) == cold(site)  # type: ignore[union-attr]
    english.write_text(before, encoding="utf-8")
    assert not state.rebuild({os.fspath(english)}).startswith("error")
    assert notice not in page(state, "index.html")  # type: ignore[operator]
    assert dict(state.output.pages) == cold(site)  # type: ignore[union-attr]


def test_the_rest_of_a_save_waits_for_the_tabs_told_of_it(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The search index is filed after the tabs fetched the page the save changed, not beside it."""
    import threading

    import samizdat.serve.state

    monkeypatch.setattr(samizdat.serve.state, "TABS_WAIT_SECONDS", 30.0)  # only the tab ends the wait here
    state = DevState(site)
    state.rebuild()
    state.open_tabs = lambda: 1
    events: list[str] = []
    build = state._build

    def logged(options, changed=None):  # type: ignore[no-untyped-def]
        events.append("whole build" if options.search_index else "first part")
        return build(options, changed)

    monkeypatch.setattr(state, "_build", logged)
    told = state.generation

    def tab() -> None:
        with state.changed:
            state.changed.wait_for(lambda: state.generation > told, timeout=30)
        time.sleep(0.2)  # a slow tab: the rest of the build still waits for it
        assert "A sentence" in page(state, "en/news/2026-01-02-post/index.html")  # type: ignore[operator]
        events.append("page sent")
        state.page_sent()

    fetching = threading.Thread(target=tab)
    fetching.start()
    post = site / "content/en/news/2026-01-02-post.md"
    post.write_text(POST.format(title="Post 2", day=2, text="A sentence saved just now."), encoding="utf-8")
    report = state.rebuild({os.fspath(post)})
    fetching.join()
    assert "then" in report, report  # built in two parts
    assert events == ["first part", "page sent", "whole build"]


def test_a_tab_that_never_asks_delays_the_rest_of_a_save_no_longer_than_the_wait(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import samizdat.serve.state

    monkeypatch.setattr(samizdat.serve.state, "TABS_WAIT_SECONDS", 0.3)
    state = DevState(site)
    state.rebuild()
    state.open_tabs = lambda: 3  # three tabs told, none asks
    post = site / "content/en/news/2026-01-03-post.md"
    post.write_text(POST.format(title="Post 3", day=3, text="Saved while no tab listens."), encoding="utf-8")
    started = time.monotonic()
    report = state.rebuild({os.fspath(post)})
    assert time.monotonic() - started >= 0.3  # it did wait for them
    assert "then" in report and not report.startswith("error"), report
    assert not state.completing  # and the whole build was served after
    assert "Saved while no tab listens." in page(state, "en/news/2026-01-03-post/index.html")  # type: ignore[operator]
    assert any(rel.startswith("search/") or "search" in rel for rel in built(state).output.pages)  # type: ignore[union-attr]


TAGGED = "---\ntitle: {title}\ndate: 2026-02-0{day}\ntags: [{tags}]\n---\n\n{text}\n"


def test_a_save_of_bodies_only_keeps_what_front_matter_made(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    """A save that changed only the text of pages keeps the tag index, the listings' order and the feeds'
    entries of the last build (build/body_only.py), and gives what a cold build gives; a save that changes
    front matter, or any file beside the pages, makes them again."""
    import samizdat.build.load

    files = {f"content/en/news/2026-02-0{day}-post.md": TAGGED.format(title=f"Post {day}", day=day,
                                                                         tags="strike" if day % 2 else "housing",
                                                                         text=f"Text {day}.")
             for day in (1, 2, 3, 4)}
    draft = "---\ntitle: {title}\ndraft: true\n---\n\n{text}\n"
    site = make_site({**files, "content/en/index.md": "---\ntitle: Home\n---\n\nHome.\n",
                      "content/en/news/index.md": "---\ntitle: News\n---\n\nNews.\n",
                      "content/en/plans.md": draft.format(title="Plans", text="Not yet."),
                      "data/banner.yaml": "text: Join\n"})
    built_indexes: list[int] = []
    build_index = samizdat.build.load.TagIndex.build

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        built_indexes.append(1)
        return build_index(*args, **kwargs)

    monkeypatch.setattr(samizdat.build.load.TagIndex, "build", counted)
    state = DevState(site)
    state.rebuild()
    post = site / "content/en/news/2026-02-03-post.md"

    def save(*paths: Path) -> None:
        built_indexes.clear()
        report = state.rebuild({os.fspath(path) for path in paths})
        assert not report.startswith("error"), report

    post.write_text(TAGGED.format(title="Post 3", day=3, tags="strike", text="A body saved alone."), encoding="utf-8")
    save(post)
    assert built_indexes == []  # both parts of the save kept the tag index
    assert "A body saved alone." in page(state, "en/tags/strike/feed.xml")  # type: ignore[operator]
    assert dict(built(state).output.pages) == cold(site)  # type: ignore[union-attr]

    post.write_text(TAGGED.format(title="Post 3", day=3, tags="housing", text="A body saved alone."),
                    encoding="utf-8")
    save(post)
    assert built_indexes == [1]  # a front-matter edit: made again by the first part (the second part's
    # site is the first part's, so it keeps what the first made)
    assert "Post 3" in page(state, "en/tags/housing/index.html")  # type: ignore[operator]
    assert "Post 3" not in page(state, "en/tags/strike/index.html")  # type: ignore[operator]
    assert dict(built(state).output.pages) == cold(site)  # type: ignore[union-attr]

    post.write_text(TAGGED.format(title="Post 3", day=3, tags="housing", text="Saved beside a data file."),
                    encoding="utf-8")
    banner = site / "data/banner.yaml"
    banner.write_text("text: Join us\n", encoding="utf-8")
    save(post, banner)
    assert built_indexes == [1]  # a file beside the pages: made again
    assert dict(built(state).output.pages) == cold(site)  # type: ignore[union-attr]

    plans = site / "content/en/plans.md"
    plans.write_text(draft.format(title="Plans", text="Still not yet."), encoding="utf-8")
    save(plans)  # a draft's text: nothing front matter made changes
    assert built_indexes == []
    plans.write_text(draft.format(title="Later plans", text="Still not yet."), encoding="utf-8")
    save(plans)  # a draft's front matter: the checks of translation sources read drafts' keys, made again
    assert built_indexes == [1]
    assert dict(built(state).output.pages) == cold(site)  # type: ignore[union-attr]

    older = site / "content/en/news/2026-02-02-post.md"
    listed = page(state, "en/tags/housing/index.html")
    assert listed is not None and listed.index("Post 3") < listed.index("Post 2")
    older.write_text(TAGGED.format(title="Post 2", day=9, tags="housing", text="Text 2."), encoding="utf-8")
    save(older)  # a new date: the listings' and the feeds' order change
    assert built_indexes == [1]
    listed = page(state, "en/tags/housing/index.html")
    assert listed is not None and listed.index("Post 2") < listed.index("Post 3")
    assert dict(built(state).output.pages) == cold(site)  # type: ignore[union-attr]


def test_a_save_during_the_first_build_is_served(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The watches are set before the first build reads the folders: a save made after it read them is one
    of the watcher's batches, never lost between the build and the watcher's start."""
    import samizdat.serve.state
    from samizdat.serve.server import background

    post = site / "content/en/news/2026-01-02-post.md"
    real = samizdat.serve.state.render_site
    calls: list[int] = []

    def saving_after_reading(*args, **kwargs):  # type: ignore[no-untyped-def]
        output = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:  # the first build's first part has read every file
            post.write_text(POST.format(title="Post 2", day=2, text="Saved while the first build ran."),
                            encoding="utf-8")
        return output

    monkeypatch.setattr(samizdat.serve.state, "render_site", saving_after_reading)
    with background(site) as dev:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            shown = page(dev.state, "en/news/2026-01-02-post/index.html") if dev.state.output else None
            if shown and "Saved while the first build ran." in shown and not dev.state.completing:
                break
            time.sleep(0.02)
        assert "Saved while the first build ran." in page(dev.state, "en/news/2026-01-02-post/index.html")  # type: ignore[operator]
        assert dict(dev.state.output.pages) == cold(site)  # type: ignore[union-attr]
