"""Never stale: after any random series of edits, an incremental build gives the bytes of a cold build.

Seeded, so a failure is replayed by its seed; each step names the edit that broke the promise.
SAMIZDAT_STALE_STEPS (e.g. 2000) runs longer sequences when looking for trouble on purpose, and
SAMIZDAT_STALE_SEQUENCES (e.g. 300) more of them, each from its own seed, in `build` and in `serve`
(docs/performance.md gives the last such run).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import re
import shutil
from pathlib import Path

import pytest

from samizdat.build.cache.reads import ReadBook, decode_read, encode_read
from samizdat.build.dependencies import ReadAnswers, SiteSources
from samizdat.build.output import SiteOutput
from samizdat.build.writer import MARKER
from samizdat.config import load_config
from samizdat.content.collections import Collections
from samizdat.content.translations import TranslationIndex
from samizdat.i18n.strings import load_catalogs
from samizdat.search.index import INDEX_FOLDER
from samizdat.serve.state import DevState
from tests.conftest import cold_user_cache, tree_digest
from tests.staleness import BANNER, random_edit, set_field, site_files, write_site

SEQUENCES = int(os.environ.get("SAMIZDAT_STALE_SEQUENCES", "0"))  # 0: the few long ones below
CLI_SEEDS = tuple(range(1, SEQUENCES + 1)) if SEQUENCES else (1, 2, 3, 4, 5, 6)
CLI_STEPS = int(os.environ.get("SAMIZDAT_STALE_STEPS", "50"))  # 6 × 50 = 300 steps by default
SERVE_SEEDS = tuple(range(10_001, 10_001 + SEQUENCES)) if SEQUENCES else (11, 12)
SERVE_STEPS = int(os.environ.get("SAMIZDAT_STALE_SERVE_STEPS", "40"))
CACHE = ".samizdat-cache"


def output_digest(out: Path) -> dict[str, str]:
    return {rel: digest for rel, digest in tree_digest(out).items() if rel != MARKER}


def cold_build(run_cli, site: Path, out: Path) -> dict[str, str]:
    """The same site built with no cache at all into an empty folder; the incremental cache is put back."""
    stash = site.parent / "stashed-cache"
    if (site / CACHE).exists():
        (site / CACHE).rename(stash)
    try:
        shutil.rmtree(out, ignore_errors=True)
        with cold_user_cache(site.parent / "cold-user-cache"):
            result = run_cli("build", site, "-o", out)
        assert result.code == 0, result.err
        return output_digest(out)
    finally:
        shutil.rmtree(site / CACHE, ignore_errors=True)
        if stash.exists():
            stash.rename(site / CACHE)


@pytest.mark.parametrize("seed", CLI_SEEDS)
def test_cli_rebuilds_equal_cold_builds(seed: int, run_cli, tmp_path: Path) -> None:
    site, out, cold_out = tmp_path / "site", tmp_path / "out", tmp_path / "cold"
    write_site(site, site_files())
    rng = random.Random(seed)
    assert run_cli("build", site, "-o", out).code == 0
    done: list[str] = []
    for _ in range(CLI_STEPS):
        done.append(random_edit(site, rng))
        result = run_cli("build", site, "-o", out)
        assert result.code == 0, (done, result.err)
        incremental = output_digest(out)
        cold = cold_build(run_cli, site, cold_out)
        stale = sorted(rel for rel in incremental.keys() | cold.keys() if incremental.get(rel) != cold.get(rel))
        assert not stale, f"seed {seed}, after {done[-3:]}: stale {stale}"


def served(state: DevState) -> dict[str, str]:
    """Every file the dev server would answer with, by content hash."""
    assert state.output is not None and state.error is None, state.error
    pages = {rel: hashlib.sha256(data).hexdigest() for rel, data in state.output.pages.items()}
    copies = {rel: hashlib.sha256(path.read_bytes()).hexdigest() for rel, path in state.output.copies.items()}
    return pages | copies


class Recording(DevState):
    """The dev server's state, keeping each output it served: a save's first part (everything but the
    search index, shown at once) as well as the whole build."""

    def __init__(self, site_root: Path) -> None:
        super().__init__(site_root)
        self.published: list[tuple[SiteOutput, bool, bool]] = []

    def _publish(self, output: SiteOutput, completing: bool, new_generation: bool) -> None:
        self.published.append((output, completing, new_generation))
        super()._publish(output, completing, new_generation)


def files_of(output: SiteOutput) -> dict[str, str]:
    pages = {rel: hashlib.sha256(data).hexdigest() for rel, data in output.pages.items()}
    return pages | {rel: hashlib.sha256(path.read_bytes()).hexdigest() for rel, path in output.copies.items()}


def watched(site: Path) -> dict[str, tuple[int, ...]]:
    """What a file watcher tells apart: every file by its stat, every folder by its existence."""
    found = {}
    for top, folders, files in os.walk(site):
        folders[:] = [name for name in folders if name != CACHE]
        found[top] = (0,)
        for name in files:
            info = os.lstat(os.path.join(top, name))
            found[os.path.join(top, name)] = (1, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    return found


def changes(before: dict[str, tuple[int, ...]], after: dict[str, tuple[int, ...]]) -> set[str]:
    """The paths a file watcher reports between two looks: created, removed or written."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


@pytest.mark.parametrize("seed", SERVE_SEEDS)
def test_serve_rebuilds_equal_cold_builds(seed: int, tmp_path: Path) -> None:
    """Each save is built as the watcher hands it over: with the paths it changed, so that the server
    walks the site's folders only when a file of content/ came or went."""
    site = tmp_path / "site"
    write_site(site, site_files())
    rng = random.Random(seed)
    state = Recording(site)
    state.rebuild()
    done: list[str] = []
    for _ in range(SERVE_STEPS):
        before = watched(site)
        done.append(random_edit(site, rng))
        state.published.clear()
        state.rebuild(changes(before, watched(site)))
        fresh = DevState(site)
        fresh.rebuild()
        incremental, cold = served(state), served(fresh)
        stale = sorted(rel for rel in incremental.keys() | cold.keys() if incremental.get(rel) != cold.get(rel))
        assert not stale, f"seed {seed}, after {done[-3:]}: stale {stale}"
        if state.error is None:
            # The first part, which the tabs were shown while the search index was filed: each of its files
            # is the cold build's, and it lacks only the index's (a request for one waits for the whole).
            (first, completing, _), (_, _, again) = state.published
            assert completing and first.later == ("search",) and not again, done[-3:]
            shown = files_of(first)
            assert shown, "the first part holds the pages"
            wrong = sorted(rel for rel in shown if shown[rel] != cold.get(rel))
            assert not wrong, f"seed {seed}, after {done[-3:]}: shown stale {wrong}"
            lacking = cold.keys() - shown.keys()
            assert lacking and all(rel.startswith(f"{INDEX_FOLDER}/") for rel in lacking), sorted(lacking)[:5]


def rendered_count(output: str) -> int:
    return int(re.search(r"\((\d+) rendered\)", output).group(1))  # type: ignore[union-attr]


# (what changes, the edit, how many pages must render again: those that read what changed, no more)
TARGETED = [
    ("a data file only a shortcode reads", lambda s: (s / "data/banner.yaml").write_text("text: Other\n"), 2),
    # every page with code in its text loads every shortcode: the about pages and the home pages
    ("the shortcode itself", lambda s: (s / "templates/shortcodes/banner.html").write_text(
        BANNER.replace("banner\">", "banner x\">")), 4),
    # the post, its language's news listing (the home page shows three newer posts) and the page of its tag
    ("a field only the site's post card prints", lambda s: set_field(
        s / "content/ru/news/2026-01-01-post1.md", "kicker", "fresh"), 3),
    # a tag more on a post: the post (its tag links), the tag's page that lists it now and the tags page
    # that counts them; the set of pages stays the same (a tag page appearing would change every menu)
    ("a post's tags", lambda s: set_field(s / "content/en/news/2026-01-01-post1.md", "tags", "[court, aid]"), 3),
    # English news and meetings pages print it, the English about page through the shortcode, and the two
    # English tag pages by their feed links
    ("a string five pages use", lambda s: (s / "strings/en.yaml").write_text(
        'no_news: "Nothing yet"\nfeed: "Atom"\n'), 5),
]


@pytest.mark.parametrize(("name", "change", "expected"), TARGETED, ids=[case[0] for case in TARGETED])
def test_only_the_pages_that_read_an_input_render_again(name, change, expected, run_cli, tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "out"
    write_site(site, site_files())
    assert run_cli("build", site, "-o", out).code == 0
    change(site)
    result = run_cli("build", site, "-o", out)
    assert result.code == 0, result.err
    assert rendered_count(result.out) == expected, result.out
    assert output_digest(out) == cold_build(run_cli, site, tmp_path / "cold")


@pytest.mark.parametrize("text", [
    "", "{", "null", "{}", "[]", '["page", 1, "title"]', '[["page"]]', '{"page": "a"}', 7, b'["page"]', None,
])
def test_a_recorded_read_samizdat_cannot_have_written_is_refused(text: object) -> None:
    assert decode_read(text) is None


def test_reads_round_trip_and_only_changed_reads_break(tmp_path: Path) -> None:
    read = ("page", "content/a\tb.md", "data.x\n")
    assert decode_read(encode_read(read)) == read
    write_site(tmp_path, site_files())
    config = load_config(tmp_path)
    listings = Collections(config, TranslationIndex({}, config.languages), {}, dt.datetime.now(dt.UTC))
    answers = ReadAnswers(config, [], listings, SiteSources({}, load_catalogs([], config.languages, "ru"), ()))
    book = ReadBook.of({1: (("from a later version",), "h"),
                        2: (("data", "nothing"), answers.hash(("data", "nothing"))),
                        3: (("unrecorded",), answers.hash(("unrecorded",))), 4: (read, "old answer"),
                        5: (("page", "content/gone.md", "title"), "old answer")})
    book.check(answers, unchanged={"content/a\tb.md"})  # a page whose source did not change is not asked again
    assert book.broken == {1, 3, 5}
    assert book.holds((2, 4)) and not book.holds((2, 5))
    numbers = book.record([("data", "nothing"), ("page", "content/gone.md", "title"), ("data", "new")], answers)
    assert numbers[:2] == (2, 5) and numbers[2] not in (1, 2, 3, 4, 5)
    assert book.reads[5][1] == answers.hash(("page", "content/gone.md", "title"))  # the answer it gives now
    book.keep(set(numbers))
    assert set(book.reads) == set(numbers)


def test_a_build_that_renders_few_pages_drops_the_reads_that_broke_and_no_page_made_again(tmp_path: Path) -> None:
    """`samizdat build` of one edit does not count every page's reads: it drops the reads whose answers
    changed that no page rendered anew made again. A read no page makes any more stays only while its answer
    holds, so a page that makes it later finds it true."""
    write_site(tmp_path, site_files())
    config = load_config(tmp_path)
    listings = Collections(config, TranslationIndex({}, config.languages), {}, dt.datetime.now(dt.UTC))
    answers = ReadAnswers(config, [], listings, SiteSources({}, load_catalogs([], config.languages, "ru"), ()))
    book = ReadBook.of({2: (("data", "nothing"), answers.hash(("data", "nothing"))),
                        5: (("page", "content/gone.md", "title"), "old answer"),
                        6: (("data", "other"), "old answer")})
    book.check(answers, unchanged=set())
    assert book.broken == {5, 6}
    assert book.record([("data", "other")], answers) == (6,)  # a page rendered anew makes 6 again
    book.drop_broken()
    assert set(book.reads) == {2, 6}  # 5 broke and no page made it again; 2 holds, though no page made it
    assert book.reads[6][1] == answers.hash(("data", "other"))
    book.check(answers, unchanged=set())
    assert not book.broken  # what stayed answers as it does on this site
