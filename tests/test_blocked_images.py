"""An <img> from another host: the page's security policy blocks it, so the build says so at once.

Readers see a blank picture, and until now the volunteer learned why only from `samizdat check` (or a
refused deploy). The build warns at the line that names the image, on every build while a page shows
it (also when that page is kept from the last build, and when nothing changed), and not for a host the
site allows. `samizdat check` still reports it once, as the privacy check's error.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image

from samizdat.build.command import build_site
from tests.conftest import MINIMAL_CONFIG

PAGE = """\
---
title: Rally
---
# Rally

We met at the station.

<img src="https://tracker.example/pixel.png" alt="a pixel">

And walked to the embassy.
"""
LINE = 8  # of the <img> in PAGE
FINDING = re.compile(r"^(?P<path>\S+):(?P<line>\d+): (?P<severity>\w+) \[third-party-load\]: (?P<message>.*)$",
                     re.MULTILINE)


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "teal").save(buffer, "JPEG")
    return buffer.getvalue()


def blocked(findings: object) -> list[tuple[str, int | None, str, str]]:
    return [(item.location.path.as_posix().split("/site/")[-1], item.location.line, item.severity, item.message)
            for item in findings if item.code == "third-party-load"]  # type: ignore[attr-defined]


def test_the_build_warns_at_the_line_on_every_build_while_the_page_shows_it(make_site, run_cli) -> None:
    site = make_site({"content/en/rally.md": PAGE, "content/en/other.md": "# Other\n\nText.\n"})
    first = build_site(site)
    assert first.html_pages > 0
    expected = [("content/en/rally.md", LINE, "warning",
                 "<img> loads https://tracker.example/pixel.png from another host (tracker.example): the page's "
                 "security policy blocks it, so readers see no picture there")]
    assert blocked(first.findings) == expected
    # The page is built and published as written: the warning stops nothing.
    built = (site / "_site/en/rally/index.html").read_text(encoding="utf-8")
    assert 'src="https://tracker.example/pixel.png"' in built
    assert "img-src 'self'" in built and "tracker.example" not in built.split("Content-Security-Policy")[1][:400]
    # Another page edited: the rally page is kept from the store, and the warning stays.
    (site / "content/en/other.md").write_text("# Other\n\nText, edited.\n", encoding="utf-8")
    kept = build_site(site)
    assert kept.rendered_count < first.rendered_count
    assert blocked(kept.findings) == expected
    # Nothing changed: the record tells it again, as the command line shows it.
    result = run_cli("build", site)
    assert result.code == 0 and "nothing changed" in result.out
    shown = [(m["path"].split("/site/")[-1], int(m["line"]), m["severity"], m["message"])
             for m in FINDING.finditer(result.err)]
    assert shown == expected
    # Fixed: the warning is gone.
    (site / "content/en/rally.md").write_text(PAGE.replace('<img src="https://tracker.example/pixel.png" '
                                                           'alt="a pixel">', "A pixel."), encoding="utf-8")
    assert blocked(build_site(site).findings) == []


def test_hosts_the_site_allows_and_its_own_are_not_warned_about(make_site, run_cli) -> None:
    page = PAGE.replace("https://tracker.example/pixel.png", "https://media.example.net/pixel.png") + (
        '\n<img src="https://example.org/assets/own.png" alt="ours, by its full address">\n')
    config = MINIMAL_CONFIG + '\n[check]\nallow_origins = ["https://Media.Example.net"]\n'  # as a host is written
    site = make_site({"content/en/rally.md": page}, config=config)
    output = build_site(site)
    assert output.html_pages > 0
    assert blocked(output.findings) == []
    checked = run_cli("check", site)  # nor by the check: an origin is compared in lower case
    assert checked.out.count("[third-party-load]") == 0 and "checked" in checked.out
    assert "https://media.example.net" in (site / "_site/en/rally/index.html").read_text(encoding="utf-8")
    # The same page without the allowance: one warning, for the other host only.
    (site / "samizdat.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    assert [message.split(" from ")[0] for *_, message in blocked(build_site(site).findings)] == [
        "<img> loads https://media.example.net/pixel.png"]


def test_a_srcset_on_another_host_is_warned_about_unless_the_tag_is_a_local_photo(make_site) -> None:
    page = PAGE.replace('<img src="https://tracker.example/pixel.png" alt="a pixel">',
                        '<img src="/assets/mark.svg" srcset="//cdn.example/mark.svg 2x" alt="mark">\n\n'
                        '<img src="/assets/photo.jpg" srcset="https://cdn.example/photo.jpg 2x" alt="photo">')
    site = make_site({"content/en/rally.md": page, "assets/photo.jpg": jpeg(),
                      "assets/mark.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'})
    output = build_site(site)
    # The photo's tag is written anew with its own variants, so its srcset names no other host any more;
    # the drawing's tag is published as written, and its srcset is blocked.
    built = (site / "_site/en/rally/index.html").read_text(encoding="utf-8")
    assert "cdn.example/photo.jpg" not in built and "//cdn.example/mark.svg 2x" in built
    assert [(path, line) for path, line, *_ in blocked(output.findings)] == [("content/en/rally.md", LINE)]
    assert "//cdn.example/mark.svg" in blocked(output.findings)[0][3]


def test_check_reports_the_load_once_as_its_error(make_site, run_cli, monkeypatch) -> None:
    site = make_site({"content/en/rally.md": PAGE})
    monkeypatch.chdir(site)
    result = run_cli("check")
    assert result.code == 1
    found = [(m["path"], int(m["line"]), m["severity"]) for m in FINDING.finditer(result.out)]
    assert found == [("content/en/rally.md", LINE, "error")]


def test_an_image_from_a_template_on_every_page_is_one_warning(make_site) -> None:
    files = {f"content/en/page-{n}.md": f"# Page {n}\n\nText.\n" for n in range(5)}
    files["templates/partials/footer.html"] = ('<footer><img src="https://badge.example/b.png" alt="badge">'
                                               "</footer>\n")
    site = make_site(files)
    output = build_site(site)
    found = blocked(output.findings)
    assert output.html_pages > 5
    assert [(path, line) for path, line, *_ in found] == [("templates/partials/footer.html", 1)]


def test_a_page_of_many_is_ten_warnings_and_a_count_each_file_read_once(make_site, monkeypatch) -> None:
    """A stranger's page of thousands of images from other hosts: each warning searched its file again,
    so 20,000 of them took 100 s; now ten are named at their lines, the rest counted, and each file read once."""
    images = "\n".join(f'<img src="https://h{n}.example/x.png" alt="{n}">' for n in range(25))
    files = {"content/en/many.md": f"# Many\n\n{images}\n",
             "templates/partials/footer.html": '<footer><img src="https://badge.example/b.png" alt="b"></footer>\n'}
    files |= {f"content/en/page-{n}.md": f"# Page {n}\n\nText.\n" for n in range(3)}
    site = make_site(files)
    first = build_site(site)
    assert first.html_pages > 4
    # The next build, with another page edited, reads the files again to locate each warning: once each.
    (site / "content/en/page-0.md").write_text("# Page 0\n\nText, edited.\n", encoding="utf-8")
    reads: dict[str, int] = {}
    real_read_text = Path.read_text

    def counted(self: Path, *args: object, **kwargs: object) -> str:
        reads[self.name] = reads.get(self.name, 0) + 1
        return real_read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", counted)
    found = blocked(build_site(site).findings)
    many = [(line, message) for path, line, _, message in found if path == "content/en/many.md"]
    assert [line for line, _ in many] == [*range(3, 13), None]
    # the fifteen left of the page and the footer's badge, which every page shows
    assert many[-1][1] == "16 more <img> on the page /en/many/ load from other hosts, which its security policy blocks"
    assert [(path, line) for path, line, *_ in found if path != "content/en/many.md"] == [
        ("templates/partials/footer.html", 1)]
    assert reads["many.md"] == 1 and reads["footer.html"] == 1, reads


def test_past_the_lines_looked_at_a_warning_names_its_page(make_site, monkeypatch) -> None:
    """Each warning looks through its page's lines; the lines looked at are counted as the check counts
    them, and past the limit (made small here) a warning names its page alone: a stranger's site cannot
    make the build look through a long page again for every image of every page."""
    import samizdat.images.locate as locate

    monkeypatch.setattr(locate, "LINES_LOOKED_AT", 2_500)
    filler = "Text.\n\n" * 50  # 100 lines before each image
    images = "".join(f'{filler}<img src="https://h{n}.example/x.png" alt="{n}">\n\n' for n in range(5))
    site = make_site({"content/en/many.md": f"# Many\n\n{images}"})
    found = [(path, line) for path, line, *_ in blocked(build_site(site).findings)]
    assert [path for path, _ in found] == ["content/en/many.md"] * 5
    located = [line for _, line in found if line is not None]
    assert 0 < len(located) < 5 and located == [103 + 102 * n for n in range(len(located))]
