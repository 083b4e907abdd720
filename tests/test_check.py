"""`samizdat check`: one finding per problem, at the source file and line a volunteer edits."""

from __future__ import annotations

import io
import re
from pathlib import Path

from PIL import Image

from tests.conftest import BUNDLED_SITE, MINIMAL_CONFIG, tree_digest

HOME_EN = """\
---
title: Home
---
# Home

<img src="https://cdn.example.net/banner.png" alt="Our banner">

Read [our story](https://news.example.org/story?utm_source=newsletter&id=4).

The [old archive](http://archive.example.org/) is still up.

See [the page that is gone](/en/nowhere/).

Jump to [the details](#no-such-section) or to [the real ones](#details).

<video src="/assets/missing-video.mp4" controls></video>

<img src="/assets/photo.png">

## Details

#### Deep heading

<p id="twice">One.</p>
<p id="twice">Two.</p>

<<TODO: write the introduction>>
"""
HOME_RU = "---\ntitle: Главная\n---\n# Главная\n\nТекст.\n"
HOME_KO = "---\ntitle: 홈\n---\n# 홈\n\n본문.\n"
ABOUT_EN = "---\ntitle: About\n---\nWho we are.\n"
ABOUT_RU = "---\ntitle: О нас\n---\nКто мы.\n"
FINDING_RE = re.compile(r"^(?P<path>[^\s:]+?)(?::(?P<line>\d+))?: (?P<severity>\w+) \[(?P<code>[\w-]+)\]: ", re.M)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "#1f5fa8").save(buffer, "PNG")
    return buffer.getvalue()


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def findings_of(output: str) -> dict[str, list[tuple[str, int | None, str]]]:
    found: dict[str, list[tuple[str, int | None, str]]] = {}
    for match in FINDING_RE.finditer(output):
        line = int(match["line"]) if match["line"] else None
        found.setdefault(match["code"], []).append((Path(match["path"]).as_posix(), line, match["severity"]))
    return found


def problem_site(make_site, run_cli) -> Path:  # type: ignore[no-untyped-def]
    site = make_site({
        "content/en/index.md": HOME_EN, "content/ru/index.md": HOME_RU, "content/ko/index.md": HOME_KO,
        "content/en/about.md": ABOUT_EN, "content/ru/about.md": ABOUT_RU,
        "assets/photo.png": png(),
    })
    for path in ("content/ru/index.md", "content/ko/index.md", "content/ru/about.md"):
        assert run_cli("translated", site / path, "--from", "en").code == 0
    ko = site / "content/ko/index.md"
    ko.write_text(ko.read_text(encoding="utf-8").replace("hash: ", "hash: 0"), encoding="utf-8")  # follows an old text
    return site


def test_one_finding_per_problem_at_its_source_line(make_site, run_cli, monkeypatch) -> None:
    site = problem_site(make_site, run_cli)
    monkeypatch.chdir(site)
    result = run_cli("check")
    assert result.code == 1
    found = findings_of(result.out)
    en, ko = "content/en/index.md", "content/ko/index.md"
    ko_text = (site / ko).read_text(encoding="utf-8")
    expected = {
        "third-party-load": (en, line_of(HOME_EN, "cdn.example.net")),
        "tracking-link": (en, line_of(HOME_EN, "utm_source")),
        "http-link": (en, line_of(HOME_EN, "http://archive")),
        "broken-link": (en, line_of(HOME_EN, "/en/nowhere/")),
        "broken-anchor": (en, line_of(HOME_EN, "#no-such-section")),
        "missing-file": (en, line_of(HOME_EN, "missing-video.mp4")),
        "missing-alt": (en, line_of(HOME_EN, "/assets/photo.png")),
        "heading-skip": (en, line_of(HOME_EN, "#### Deep heading")),
        "duplicate-id": (en, line_of(HOME_EN, 'id="twice"')),
        "placeholder": (en, line_of(HOME_EN, "<<TODO:")),
        "translation-outdated": (ko, line_of(ko_text, "translation_of:")),
        "translation-missing": ("content/en/about.md", None),
    }
    assert {code: [(path, line) for path, line, _ in items] for code, items in found.items()} == {
        code: [place] for code, place in expected.items()
    }
    # Translations and heading levels are warnings by default; five pages, three 404 pages, three search pages.
    assert result.out.endswith("checked 11 pages: 9 error(s), 3 warning(s)\n")


def test_severities_and_allowed_origins_come_from_the_config(make_site, run_cli, monkeypatch) -> None:
    site = problem_site(make_site, run_cli)
    (site / "samizdat.toml").write_text(MINIMAL_CONFIG + """
[check]
severity = { "http-link" = "warning", "placeholder" = "off" }
allow_origins = ["https://cdn.example.net"]
""", encoding="utf-8")
    monkeypatch.chdir(site)
    found = findings_of(run_cli("check").out)
    assert [severity for *_, severity in found["http-link"]] == ["warning"]
    assert "placeholder" not in found and "third-party-load" not in found
    assert run_cli("build").code == 0  # the allowed origin is in the policy the pages and headers carry
    assert "img-src 'self' https://cdn.example.net;" in (site / "_site/en/index.html").read_text(encoding="utf-8")
    assert "img-src 'self' https://cdn.example.net;" in (site / "_site/_headers").read_text(encoding="utf-8")


def test_bad_check_config_is_one_clear_error(make_site, run_cli) -> None:
    site = make_site({"content/en/index.md": ABOUT_EN}, config=MINIMAL_CONFIG + """
[check]
severity = { "http-links" = "warning", "tracking-link" = "loud" }
allow_origins = ["cdn.example.net"]
""")
    result = run_cli("check", site)
    assert result.code == 1
    assert "3 problem(s) in samizdat.toml" in result.err
    assert "unknown finding 'http-links'" in result.err and "'loud' must be one of" in result.err
    assert "'cdn.example.net' must be an origin" in result.err


def test_findings_in_templates_and_data_point_there(make_site, run_cli, monkeypatch) -> None:
    template = ('{% extends "base.html" %}\n{% block head %}\n'
                '<link rel="stylesheet" href="https://fonts.example.com/css?family=Inter">\n'
                '{% endblock %}\n{% block main %}{{ page.content }}'
                '{% for p in data.people %}<img src="{{ p.photo|url }}">{% endfor %}{% endblock %}\n')
    data = "# who is who\n- photo: assets/a.png\n"
    site = make_site({"content/en/index.md": ABOUT_EN, "templates/default.html": template,
                      "data/people.yaml": data, "assets/a.png": png()},
                     config=MINIMAL_CONFIG.split("\n[languages.ru]")[0] + '\n[languages.en]\nname = "English"\n'
                     'title = "Site"\n')
    monkeypatch.chdir(site)
    found = findings_of(run_cli("check").out)
    assert [(p, line) for p, line, _ in found["third-party-load"]] == [("templates/default.html", 3)]
    assert [(p, line) for p, line, _ in found["missing-alt"]] == [("data/people.yaml", 2)]


def test_the_bundled_site_has_no_findings_and_its_output_is_not_touched(run_cli, tmp_path) -> None:
    output = BUNDLED_SITE / "_site"
    before = tree_digest(output) if output.exists() else None
    result = run_cli("check", BUNDLED_SITE)
    assert result.code == 0
    assert len(result.out.splitlines()) == 1 and result.out.endswith(" pages: 0 error(s), 0 warning(s)\n")
    assert (tree_digest(output) if output.exists() else None) == before


def test_check_renders_only_what_changed_since_the_last_build_and_keeps_nothing(make_site, run_cli, monkeypatch,
                                                                                tmp_path: Path) -> None:
    """`samizdat check` rendered the whole site every time (6 of its 8 seconds at the bench's 3,000 files,
    and `samizdat deploy` runs it before each publish). It now reads what the last build kept, renders only
    what changed since, and saves nothing: the store is as the build left it, and the findings are those of
    a check that renders everything."""
    import hashlib

    import samizdat.build.render_stage as render_stage
    from samizdat.build.cache.store import store_path
    from tests.conftest import cold_user_cache

    pages = {f"content/en/page-{n}.md": f"---\ntitle: Page {n}\n---\nText {n}, [home](/en/).\n" for n in range(30)}
    site = make_site(pages)
    assert run_cli("build", site).code == 0
    (site / "content/en/page-7.md").write_text("---\ntitle: Page 7\n---\nText 7, [gone](/en/page-70/).\n",
                                               encoding="utf-8")
    store = store_path(site)
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    rendered: list[str] = []
    real_render_pages = render_stage.render_pages

    def counted(renderer, rules, others, listings):  # type: ignore[no-untyped-def]
        rendered.extend(page.output_path for page in [*others, *listings])
        return real_render_pages(renderer, rules, others, listings)

    monkeypatch.setattr(render_stage, "render_pages", counted)
    monkeypatch.chdir(site)
    warm = run_cli("check")
    assert warm.code == 1 and "content/en/page-7.md:4: error [broken-link]: link to /en/page-70/" in warm.out
    assert "en/page-7/index.html" in rendered and len(rendered) < 10  # the page, and what lists or links it
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
    rendered.clear()
    with cold_user_cache(tmp_path / "cold-cache"):
        cold = run_cli("check")
    assert len(rendered) > 30  # every page
    assert cold.out == warm.out
