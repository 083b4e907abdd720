"""A rebuild after any series of changes gives exactly the bytes of a cold build."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from samizdat.build.writer import MARKER
from tests.conftest import MINIMAL_CONFIG, tree_digest

HOME = "---\ntitle: Home\nmenu: 1\n---\n\n{{ next_meeting() }}\n\n{{ latest_news() }}\n"
MEETING = 'start: "2099-05-01 15:00"\nplace:\n  name: Square\n'


def page(title: str, body: str = "Text.") -> str:
    return f"---\ntitle: {title}\n---\n\n{body}\n"


FILES: dict[str, str | bytes] = {
    **{f"content/{c}/index.md": HOME for c in ("ru", "en", "ko")},
    **{f"content/{c}/about.md": page(f"About {c}") for c in ("ru", "en", "ko")},
    **{f"content/{c}/news/index.md": page(f"News {c}") for c in ("ru", "en", "ko")},
    **{f"content/{c}/news/2026-01-0{n}-post{n}.md": page(f"Post {n} {c}") for c in ("ru", "en") for n in (1, 2)},
    **{f"content/{c}/meetings/index.md": page(f"Meetings {c}") for c in ("ru", "en", "ko")},
    "meetings/2099-05-01-square.yaml": MEETING,
    **{f"content/{c}/meetings/2099-05-01-square.md": page(f"Square {c}") for c in ("ru", "en", "ko")},
    "data/header.yaml": "links:\n  - url: https://example.org/help\n    text: Help\n",
}


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("edit a body", lambda s: edit(s / "content/en/about.md", "Text.", "Other text.")),
    ("retitle a listed post", lambda s: edit(s / "content/ru/news/2026-01-01-post1.md", "Post 1 ru", "Новое")),
    ("add a page", lambda s: (s / "content/en/contact.md").write_text(page("Contact"), encoding="utf-8")),
    ("rename a page", lambda s: (s / "content/en/contact.md").rename(s / "content/en/write-to-us.md")),
    ("delete a translation", lambda s: (s / "content/ko/about.md").unlink()),
    ("move a meeting", lambda s: edit(s / "meetings/2099-05-01-square.yaml", "15:00", "16:30")),
    ("cancel it", lambda s: edit(s / "meetings/2099-05-01-square.yaml", "place:", "status: cancelled\nplace:")),
    ("change a data file", lambda s: edit(s / "data/header.yaml", "Help", "Help now")),
    ("override a template", lambda s: (s / "templates/partials").mkdir(parents=True) or (
        s / "templates/partials/footer.html").write_text("<footer>ours</footer>\n", encoding="utf-8")),
    ("change a string", lambda s: (s / "strings").mkdir() or (s / "strings/en.yaml").write_text(
        'skip_to_content: "Jump"\n', encoding="utf-8")),
    ("delete a post", lambda s: (s / "content/en/news/2026-01-02-post2.md").unlink()),
    ("change the config", lambda s: edit(s / "samizdat.toml", 'title = "Site"', 'title = "Our site"')),
]


def output_digest(out: Path) -> dict[str, str]:
    return {rel: digest for rel, digest in tree_digest(out).items() if rel != MARKER}


def test_incremental_rebuilds_equal_cold_builds(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site(FILES, config=MINIMAL_CONFIG)
    out = tmp_path / "incremental"
    assert run_cli("build", site, "-o", out).code == 0
    for name, change in STEPS:
        change(site)
        result = run_cli("build", site, "-o", out)
        assert result.code == 0, (name, result.err)
        cold_site = shutil.copytree(site, tmp_path / "cold" / name.replace(" ", "-"),
                                    ignore=shutil.ignore_patterns(".samizdat-cache"))
        cold_out = tmp_path / "cold-out" / name.replace(" ", "-")
        assert run_cli("build", cold_site, "-o", cold_out).code == 0
        assert output_digest(out) == output_digest(cold_out), name


def test_a_body_edit_renders_one_page_and_writes_one_file(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site(FILES, config=MINIMAL_CONFIG)
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    unchanged = run_cli("build", site, "-o", out)
    assert "(0 rendered)" in unchanged.out and "0 written" in unchanged.out
    index = {path: path.read_bytes() for path in (out / "_search").rglob("*.css")}
    edit(site / "content/en/about.md", "Text.", "Other text.")
    edited = run_cli("build", site, "-o", out)
    assert "(1 rendered)" in edited.out
    # The page, and the search index chunks its words are in (docs/search.md: incremental builds).
    touched = sum(1 for path, data in index.items() if path.read_bytes() != data)
    assert 0 < touched <= 4 and f"files: {1 + touched} written" in edited.out


def test_nothing_changed_is_known_without_building(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site(FILES, config=MINIMAL_CONFIG)
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    again = run_cli("build", site, "-o", out)
    assert "nothing changed since the last build" in again.out and "0 written" in again.out
    (out / "en/about/index.html").write_text("edited by hand", encoding="utf-8")
    repaired = run_cli("build", site, "-o", out)
    assert "nothing changed" not in repaired.out and "files: 1 written" in repaired.out
    assert "About en" in (out / "en/about/index.html").read_text(encoding="utf-8")
    other = run_cli("build", site, "-o", tmp_path / "elsewhere")  # another folder is another build
    assert "nothing changed" not in other.out


def test_a_meeting_passing_makes_the_next_build_real(tmp_path: Path) -> None:
    import datetime as dt

    from samizdat.build.cache.record import BuildRecord, unchanged
    from samizdat.build.writer import write_output

    write_output(tmp_path / "out", {"index.html": b"x"}, {})
    soon = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    record = BuildRecord("f", soon, 1, 1, 0, ())
    assert unchanged(record, "f", tmp_path / "out", soon - dt.timedelta(minutes=1))
    assert not unchanged(record, "f", tmp_path / "out", soon)  # the meeting ended: it moves to "past"
    assert not unchanged(record, "g", tmp_path / "out", soon - dt.timedelta(minutes=1))
