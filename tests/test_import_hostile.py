"""`samizdat import` given a source made to hurt it: a page that multiplies a long value, a page of
hundreds of thousands of tags, two files that want one place in the new site. Each import finishes in
seconds, with the new site or one clear error, and never with a traceback or half a site.

The slow cases run the command in a child process with a time-out, which detects a hang (the old
code ran for minutes) without asserting how fast a machine is; the child's memory is capped, so
a regression cannot take the machine down with it.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from samizdat.cli import main
from samizdat.errors import ImportSourceError
from samizdat.importers import REPORT_NAME
from samizdat.importers.liquid import MAX_EXPANDED

HANG = 20  # seconds: the fixed import needs a few; the old code needed minutes
MEMORY = 4_000_000_000  # bytes a child import may map


@dataclass
class Imported:
    code: int
    out: str
    err: str


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _import(kind: str, src: Path, dest: Path) -> Imported:
    """`samizdat import` in a child process; a time-out fails the test as a hang."""
    done = subprocess.run([sys.executable, "-m", "samizdat", "import", kind, str(src), str(dest)],
                          capture_output=True, text=True, timeout=HANG, check=False, preexec_fn=_cap_memory)
    return Imported(done.returncode, done.stdout, done.stderr)


LONG = 600_000  # one setting's length: three fit in the page's budget, not four


def test_a_long_setting_named_many_times_is_written_in_up_to_the_limit(tmp_path: Path) -> None:
    """Each `{{ site.big }}` was written in whole (200 MB from 200 references, and a build that crashed);
    the page's translation now adds at most MAX_EXPANDED characters and lists the tags past it."""
    src, dest = tmp_path / "old", tmp_path / "new"
    _write(src, {"_config.yml": f'url: https://x.org\nbig: "{"A" * LONG}"\n',
                 "index.md": "---\ntitle: Home\n---\nBEGIN " + "{{site.big}}" * 200 + " END\n"})
    done = _import("jekyll", src, dest)
    assert done.code == 0, done.err
    assert "Traceback" not in done.err
    page = (dest / "content" / "en" / "index.md").read_text()
    written_in = MAX_EXPANDED // (LONG + 2)  # each literal is the value in quotes
    assert page.count("A" * LONG) == written_in
    assert page.count("{## {{site.big}} ##}") == 200 - written_in
    assert len(page) < MAX_EXPANDED + 200 * 40
    report = (dest / REPORT_NAME).read_text()
    assert "Build: built" in report
    past = _notes_at(report, "index.md:4")
    assert past == _listed_then_counted(past[0], 200 - written_in)
    assert past[0].startswith("- `index.md:4`: Liquid '{{site.big}}'")
    assert f"limit of {MAX_EXPANDED:,} added characters" in past[0] and "write the text in by hand" in past[0]
    assert "A" * LONG in (dest / "_site" / "index.html").read_text()
    shown_notes = [line for line in done.out.splitlines() if line.startswith("- `")]
    needs_a_person = report.split("## Needs a person", 1)[1].split("## Not imported", 1)[0]
    assert shown_notes == [line for line in needs_a_person.splitlines() if line.startswith("- `")]
    assert past[-1] in shown_notes and "more in the report" not in done.out  # the alike notes, counted, fit


def test_twenty_thousand_references_to_a_long_setting_do_not_hang(tmp_path: Path) -> None:
    """Each reference past the limit costs a look-up, whatever the value's length (a regex over the
    value took a fifth of a second per use)."""
    src, dest = tmp_path / "old", tmp_path / "new"
    _write(src, {"_config.yml": f'url: https://x.org\nbig: "{"A" * 1_000_000}"\n',
                 "index.md": "---\ntitle: Home\n---\n" + "{{ site.big }} " * 20_000 + "\n"})
    done = _import("jekyll", src, dest)
    assert done.code == 0, done.err
    assert (dest / "content" / "en" / "index.md").stat().st_size < MAX_EXPANDED + 20_000 * 40


def test_values_includes_and_texts_share_one_budget(tmp_path: Path) -> None:
    """An include, a translated text and a value written in are paid from the same budget: after a
    long include, a long value no longer fits, and its tag is kept as a comment with its line."""
    src, dest = tmp_path / "old", tmp_path / "new"
    half = MAX_EXPANDED // 2 + 10
    _write(src, {"_config.yml": f'url: https://x.org\nlanguages: [en]\nbig: "{"B" * half}"\n',
                 "_includes/long.html": "I" * half,
                 "_i18n/en.yml": f"hello: {'T' * 1000}\n",
                 "index.md": "---\ntitle: Home\n---\n{% include long.html %}\n{% t hello %}\n{{ site.big }}\n"})
    done = _import("jekyll", src, dest)
    assert done.code == 0, done.err
    page = (dest / "content" / "en" / "index.md").read_text()
    assert "I" * half in page and "T" * 1000 in page and "B" * half not in page
    assert "{## {{ site.big }} ##}" in page
    report = (dest / REPORT_NAME).read_text()
    assert f"`index.md:6`: Liquid '{{{{ site.big }}}}' not written in: the page would grow past the import's " \
           f"limit of {MAX_EXPANDED:,}" in report


def _notes_at(report: str, place: str) -> list[str]:
    return [line for line in report.splitlines() if line.startswith(f"- `{place}`")]


def _listed_then_counted(note: str, times: int) -> list[str]:
    """How the report lists a note given `times` times at one place: three times, then a count of the rest."""
    place = note.split("`")[1]
    return [note] * 3 + [f"- `{place}`: … and the same {times - 3} more times"]


def test_line_numbers_are_the_newlines_before_each_place() -> None:
    from samizdat.line_numbers import LineNumbers  # here, so the other tests also run on code without it

    text = "a\n\nbc\nd\n\n"
    lines = LineNumbers(text, first_line=4)
    assert [lines.at(offset) for offset in range(len(text) + 1)] == [
        4 + text.count("\n", 0, offset) for offset in range(len(text) + 1)]
    data = "ж\nы\n".encode()  # the byte offsets pulldown-cmark gives (markdown.html_pieces)
    in_bytes = LineNumbers(data, first_line=0)
    assert [in_bytes.at(offset) for offset in range(len(data) + 1)] == [
        data.count(b"\n", 0, offset) for offset in range(len(data) + 1)]


def test_a_jekyll_page_of_many_tags_imports_in_linear_time(tmp_path: Path) -> None:
    """Each tag's line was counted from the start of the page: 400,000 tags in 2 MB ran past five
    minutes. Every tag is still listed, with the line it is on."""
    src, dest = tmp_path / "old", tmp_path / "new"
    _write(src, {"_config.yml": "url: https://x.org\n",
                 "index.md": "---\ntitle: Home\n---\n" + "{%x%}" * 200_000 + "\n\n{% seo %}\n"})
    done = _import("jekyll", src, dest)
    assert done.code == 0, done.err
    report = (dest / REPORT_NAME).read_text()
    assert _notes_at(report, "index.md:4") == _listed_then_counted(
        "- `index.md:4`: Liquid '{%x%}' not translated; kept as a comment", 200_000)
    assert _notes_at(report, "index.md:6") == ["- `index.md:6`: Liquid '{% seo %}' not translated; kept as a comment"]


def test_a_hugo_page_of_many_shortcodes_imports_in_linear_time(tmp_path: Path) -> None:
    src, dest = tmp_path / "old", tmp_path / "new"
    _write(src, {"hugo.toml": 'baseURL = "https://x.org/"\n',
                 "content/_index.md": "---\ntitle: Home\n---\n" + "{{<x>}}" * 200_000 + "\n\n{{< y >}}\n"})
    done = _import("hugo", src, dest)
    assert done.code == 0, done.err
    report = (dest / REPORT_NAME).read_text()
    assert _notes_at(report, "content/_index.md:4") == _listed_then_counted(
        "- `content/_index.md:4`: Hugo shortcode '{{<x>}}' kept as a comment: redo it with a samizdat shortcode or "
        "HTML", 200_000)
    last = _notes_at(report, "content/_index.md:6")
    assert len(last) == 1 and "Hugo shortcode '{{< y >}}' kept as a comment" in last[0]


def test_many_attribute_lists_and_scripts_import_in_linear_time(tmp_path: Path) -> None:
    """Kramdown's attribute lists and scripts kept from readers counted their lines the same way."""
    src, dest = tmp_path / "old", tmp_path / "new"
    _write(src, {"_config.yml": "url: https://x.org\n",
                 "index.md": "---\ntitle: Home\n---\n" + "x {:.a}" * 150_000 + "\n\n"
                             + "<script>x</script>" * 150_000 + "\n"})
    done = _import("jekyll", src, dest)
    assert done.code == 0, done.err
    report = (dest / REPORT_NAME).read_text()
    assert _notes_at(report, "index.md:4") == _listed_then_counted(
        "- `index.md:4`: Kramdown attribute list (add the class in HTML if it matters) '{:.a}' removed", 150_000)
    assert _notes_at(report, "index.md:6") == _listed_then_counted(
        "- `index.md:6`: '<script>x</script>…' would run code or embed a document, which samizdat pages may not "
        "(docs/security.md); kept as a comment", 150_000)


CLASHES = [  # (case, kind, the old site's files, what the error must say): two files that want one place
    ("data files named alike", "jekyll", {"_data/a-b.yml": "x: 1\n", "_data/a/b.yml": "y: 2\n"},
     "`_data/a-b.yml` and `_data/a/b.yml` would both be written as data/a-b.yaml in the new site"),
    ("one data file in two formats", "jekyll", {"_data/nav.yml": "x: 1\n", "_data/nav.json": '{"y": 2}'},
     "`_data/nav.json` and `_data/nav.yml` would both be written as data/nav.yaml in the new site"),
    ("a collection published at the top beside a file there", "jekyll",
     {"_config.yml": "url: https://x.org\ncollections:\n  root:\n    output: true\n    permalink: /\n",
      "_root/style.css": "a {}\n", "style.css": "b {}\n"},
     "`_root/style.css` and `style.css` would both be written as static/style.css in the new site"),
    ("a page where another page needs a folder", "jekyll",
     {"a.md": "---\npermalink: /a.html\n---\nA\n", "b.md": "---\npermalink: /a.md/\n---\nB\n"},
     "`a.md` would be written as the file content/en/a.md, where `b.md` needs a folder (for "
     "content/en/a.md/index.md)"),
    ("names that differ only in case", "hugo", {"static/Logo.css": "a {}\n", "static/logo.css": "b {}\n"},
     "`static/Logo.css` and `static/logo.css` would both be written as static/Logo.css and static/logo.css in "
     "the new site, one file on macOS and Windows, where names ignore case"),
    ("Hugo data files named alike", "hugo", {"data/a-b.toml": "x = 1\n", "data/a/b.yaml": "y: 2\n"},
     "`data/a-b.toml` and `data/a/b.yaml` would both be written as data/a-b.yaml in the new site"),
]


@pytest.mark.parametrize(("case", "kind", "files", "said"), CLASHES, ids=[c[0] for c in CLASHES])
def test_two_files_for_one_place_refuse_the_import_before_anything_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str, kind: str, files: dict[str, str],
        said: str) -> None:
    """The second file crashed the import (FileExistsError, a traceback) and left the new folder half
    written; now the import names both files and what to do, and the new folder is as it was."""
    src = tmp_path / "old"
    home = {"jekyll": {"_config.yml": "url: https://x.org\n", "index.md": "---\ntitle: Home\n---\nhi\n"},
            "hugo": {"hugo.toml": 'baseURL = "https://x.org/"\n', "content/_index.md": "---\ntitle: Home\n---\nhi\n"}}
    _write(src, {**home[kind], **files})
    for dest in (tmp_path / "new", tmp_path / "empty"):
        existed = dest.name == "empty"
        if existed:
            dest.mkdir()
        assert main(["import", kind, str(src), str(dest)]) == 1
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert f"{said}; nothing was written to the new site's folder" in err, err
        assert "hint: rename one of them (in a copy of the old site if it is not yours), then import again" in err
        assert dest.exists() == existed and (not existed or not any(dest.iterdir()))


def test_an_address_outside_the_new_site_refuses_before_anything_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A collection's permalink is hostile too: its static files were refused halfway through writing."""
    src, dest = tmp_path / "old", tmp_path / "new"
    _write(src, {"_config.yml": "url: https://x.org\ncollections:\n  x:\n    permalink: /../../:path\n",
                 "index.md": "---\ntitle: Home\n---\nhi\n", "_x/a.css": "a {}\n"})
    assert main(["import", "jekyll", str(src), str(dest)]) == 1
    err = capsys.readouterr().err
    assert f"{src / '_x' / 'a.css'}: `_x/a.css` would be written outside the new site, as 'static/../../a.css'; " \
           "nothing was written" in err, err
    assert "hint: change its address (permalink)" in err
    assert not dest.exists()


def test_a_write_that_fails_takes_back_what_was_written(tmp_path: Path) -> None:
    """A failure no check can foresee (here a source file gone since it was listed) leaves the new
    folder as it was, not half a site."""
    from samizdat.importers.jekyll_site import plan_jekyll
    from samizdat.importers.report import ReportBuilder
    from samizdat.importers.source import walk_source
    from samizdat.importers.writer import SiteWriter, write_site

    src, dest = tmp_path / "old", tmp_path / "new"
    _write(src, {"_config.yml": "url: https://x.org\n", "index.md": "---\ntitle: Home\n---\nhi\n",
                 "_data/nav.yml": "x: 1\n", "css/style.css": "a {}\n"})
    plan = plan_jekyll(walk_source(src), None, ReportBuilder())
    (src / "css" / "style.css").unlink()
    with pytest.raises(ImportSourceError, match="nothing was written to the new site's folder"):
        write_site(plan, SiteWriter(dest))
    assert not dest.exists()
    # A new site asked for deeper, below folders that do not exist yet: those the import made go too, and a
    # folder that was there before stays, with what else it holds.
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "keep.txt").write_text("mine\n")
    with pytest.raises(ImportSourceError, match="nothing was written to the new site's folder"):
        write_site(plan, SiteWriter(tmp_path / "sites" / "2026" / "groups" / "new"))
    assert sorted(path.name for path in (tmp_path / "sites").iterdir()) == ["keep.txt"]


def _jekyll_page(tmp_path: Path, name: str, body: str) -> tuple[Imported, str, str]:
    """A Jekyll site of one page, imported: the result, the new page and the report."""
    src, dest = tmp_path / "old", tmp_path / "new"
    _write(src, {"_config.yml": "url: https://x.org\n", name: "---\ntitle: Home\n---\n" + body})
    done = _import("jekyll", src, dest)
    assert done.code == 0, done.err
    new_name = name.rsplit(".", 1)[0] + ".md"
    return done, (dest / "content" / "en" / new_name).read_text(), (dest / REPORT_NAME).read_text()


def test_unclosed_loops_over_the_posts_are_noted_in_linear_time(tmp_path: Path) -> None:
    """The fors and endfors after each loop over the posts were counted again to find its end (5.8 s for
    4,000 unclosed loops, forty minutes for 2 MB), and a loop without an end vanished without a note.
    Now a loop without an end is kept as a comment and listed; one with its end still becomes the list."""
    loops = 20_000
    body = "{% for p in site.posts %}{{ p.title }}\n" * loops + "{% for p in site.posts limit: 3 %}x{% endfor %}\n"
    _, page, report = _jekyll_page(tmp_path, "index.md", body)
    assert page.count("{## {% for p in site.posts %} ##}") == loops and "{{ latest_news(3) }}" in page
    notes = [line for line in report.splitlines() if "over the posts has no '{% endfor %}'" in line]
    assert len(notes) == loops
    assert notes[-1].startswith(f"- `index.md:{3 + loops}`: Liquid '{{% for p in site.posts %}}'")
    assert "add one where the list of posts ends, or write {{ latest_news() }} there" in notes[0]


def test_unclosed_raw_blocks_import_in_linear_time(tmp_path: Path) -> None:
    """`{% endraw %}` was searched for again from each `{% raw %}` (comment and highlight alike)."""
    raws = 100_000
    _, page, report = _jekyll_page(tmp_path, "index.md", "{% raw %}{{ y }}{% endraw %}\n" + "{% raw %}{{x}}\n" * raws)
    assert '---\n{{ "{{" }} y }}\n' in page and page.count("{## {% raw %} ##}") == raws
    assert report.count("Liquid '{% raw %}' has no end; kept as a comment") == raws


def test_unclosed_hugo_highlights_import_in_linear_time(tmp_path: Path) -> None:
    src, dest = tmp_path / "old", tmp_path / "new"
    _write(src, {"hugo.toml": 'baseURL = "https://x.org/"\n',
                 "content/_index.md": "---\ntitle: Home\n---\n{{< highlight go >}}y{{< /highlight >}}\n"
                                      + "{{< highlight go >}}x\n" * 100_000})
    done = _import("hugo", src, dest)
    assert done.code == 0, done.err
    page = (dest / "content" / "en" / "index.md").read_text()
    assert page.count("{## {{< highlight go >}} ##}") == 100_000 and "\n```go\ny\n```\n" in page
    assert len(_notes_at((dest / REPORT_NAME).read_text(), "content/_index.md:100004")) == 1


def test_unclosed_kramdown_extensions_import_in_linear_time(tmp_path: Path) -> None:
    """Each `{::comment}` was read on to the end of the page for its `{:/}`; one without stays as text."""
    _, page, report = _jekyll_page(tmp_path, "index.md", "{::nomarkdown}y{:/}z\n" + "{::comment}x\n" * 80_000)
    assert "---\nz\n{::comment}x\n" in page and page.count("{::comment}") == 80_000
    assert _notes_at(report, "index.md:4") == ["- `index.md:4`: Kramdown extension '{::nomarkdown}y{:/}' removed"]


def test_unclosed_scripts_are_kept_as_comments_in_linear_time(tmp_path: Path) -> None:
    """Each `<script>` was read on to the end of the page for its `</script>` (35 minutes for 2 MB)."""
    scripts = 60_000
    _, page, report = _jekyll_page(tmp_path, "index.md", "<script>y</script>\n" + "<script>x\n" * scripts)
    assert page.count("{## <script> ##}") == scripts and "{## <script>y</script> ##}" in page
    assert report.count("would run code or embed a document") == scripts + 1


def test_an_html_page_of_unclosed_pre_imports_in_linear_time(tmp_path: Path) -> None:
    """An `.html` page kept as HTML read on from each `<pre` for its `</pre>`."""
    src, dest = tmp_path / "old", tmp_path / "new"
    _write(src, {"_config.yml": "url: https://x.org\n",
                 "index.html": "---\ntitle: Home\n---\n<pre>\n  a\n\n  b\n</pre>\n" + "<pre\n" * 100_000})
    done = _import("jekyll", src, dest)
    assert "Traceback" not in done.err, done.err
    assert "its elements nest 100,001 deep" in (dest / REPORT_NAME).read_text()  # so the build kept it unpublished
    page = (dest / "content" / "en" / "_index.md").read_text()
    assert page.count("<pre\n") == 100_000 and "<pre>\n  a\n\n  b\n</pre>" in page


def test_a_tag_with_many_handlers_loses_them_in_linear_time(tmp_path: Path) -> None:
    """One handler came off per pass over the page, so a tag with many took a pass each (five minutes
    for 2 MB); a long run of spaces in a tag was read again from each space."""
    handlers = 150_000
    _, page, report = _jekyll_page(tmp_path, "index.md", "<p" + ' onclick="x"' * handlers + ">a</p>\n"
                                   + "<b" + " " * 200_000 + ">b</b>\n")
    assert "<p>a</p>" in page and "onclick" not in page
    assert _notes_at(report, "index.md:4") == _listed_then_counted(
        "- `index.md:4`: an event handler (on…=) removed: samizdat pages run no code from content", handlers)


def test_unclosed_liquid_tags_import_in_linear_time(tmp_path: Path) -> None:
    """A `{%` or `{{` with no `%}` or `}}` after it was read on to the end of the page, once for each
    (8,000 took 1.5 s, the time growing with the square of their number); it stays text, as before."""
    openings = 50_000
    _, page, report = _jekyll_page(tmp_path, "index.md", "{% raw %}{{ y }}{% endraw %} {% seo %}\n"
                                   + "{%x {{x " * openings + "\n")
    assert '---\n{{ "{{" }} y }} {## {% seo %} ##}\n' in page
    assert page.count('{{ "{%" }}x {{ "{{" }}x ') == openings
    assert _notes_at(report, "index.md:4") == ["- `index.md:4`: Liquid '{% seo %}' not translated; kept as a comment"]
    assert _notes_at(report, "index.md:5") == []


def test_unclosed_hugo_shortcodes_import_in_linear_time(tmp_path: Path) -> None:
    """A `{{<` with no `>}}` after it was read on to the end of the page, once for each (8,000 took 3 s);
    a long run of spaces inside one was read again from each of its spaces."""
    src, dest = tmp_path / "old", tmp_path / "new"
    openings, spaces = 50_000, 200_000
    _write(src, {"hugo.toml": 'baseURL = "https://x.org/"\n',
                 "content/_index.md": "---\ntitle: Home\n---\n{{< youtube abc >}}\n"
                                      + "{{<" + " " * spaces + "! >}}\n{{< x" + " " * spaces + "y >}}\n"
                                      + "{{<x {{%x " * openings + "\n"})
    done = _import("hugo", src, dest)
    assert done.code == 0, done.err
    page = (dest / "content" / "en" / "index.md").read_text()
    assert "---\n[YouTube: abc](https://www.youtube.com/watch?v=abc)\n" in page
    assert '{{ "{{" }}<' + " " * spaces + "! >}}\n" in page  # no name: not a shortcode
    assert page.count('{{ "{{" }}<x {{ "{{" }}%x ') == openings
    report = (dest / REPORT_NAME).read_text()
    assert _notes_at(report, "content/_index.md:6") == [
        "- `content/_index.md:6`: Hugo shortcode '{{< x" + " " * 55 + "' kept as a comment: redo it with a samizdat "
        "shortcode or HTML"]
    assert _notes_at(report, "content/_index.md:7") == []


def test_many_attribute_lists_on_one_line_import_in_linear_time(tmp_path: Path) -> None:
    """Each `{:` of a line without a `}` after it was read on to the end of the line (150,000 on one line
    took minutes); a long run of spaces after one `{:` was read again from each space."""
    openings, spaces = 150_000, 400_000
    _, page, report = _jekyll_page(tmp_path, "index.md", "x {:.a} y\n" + "{:x " * openings + "\n{:"
                                   + " " * spaces + "z\nw {:" + " " * spaces + ".b}\n")
    assert "---\nx  y\n" in page and page.count("{:x ") == openings
    assert "\n{:" + " " * spaces + "z\nw \n" in page
    assert _notes_at(report, "index.md:4") == [
        "- `index.md:4`: Kramdown attribute list (add the class in HTML if it matters) '{:.a}' removed"]
    assert _notes_at(report, "index.md:5") == [] and _notes_at(report, "index.md:6") == []
    assert len(_notes_at(report, "index.md:7")) == 1


def test_a_note_given_many_times_at_one_place_is_counted_after_the_first_three(tmp_path: Path) -> None:
    """A page that repeats a refused tag listed one note for each (200,000 alike lines); now each note is
    listed three times, then one line counts the rest, in the report and in the terminal alike."""
    done, _, report = _jekyll_page(tmp_path, "index.md", "{%x%}{%y%}" * 1000 + "\n{%x%}\n")
    x, y = (f"- `index.md:4`: Liquid '{{%{tag}%}}' not translated; kept as a comment" for tag in "xy")
    listed = [x, y, x, y, x, "- `index.md:4`: … and the same 997 more times",
              y, "- `index.md:4`: … and the same 997 more times",
              "- `index.md:5`: Liquid '{%x%}' not translated; kept as a comment"]
    assert "\n".join(listed) + "\n\n## Not imported" in report
    assert "## Needs a person (2002)" in report  # every note counted, the guessed language's too
    assert "\n".join(listed) + "\n\n" in done.out
