"""The editor driven in Chromium, as a volunteer uses it: translate, announce a meeting, add a photo,
publish, meet a colleague's change; and every page of it checked by axe at a phone's and a laptop's width."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from samizdat.build.command import build_site
from samizdat.build.options import BuildOptions
from samizdat.images.verify import metadata_blocks
from tests.editing import git, live_editor, site_in_repository
from tests.imagefiles import SECRETS, jpeg_with_everything
from tests.tools import REPO, npm_file

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

SHOTS = REPO / "screenshots" / "editor"
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective));
"""
NEW_SOURCE = "Мы встречаемся по воскресеньям. Приходите с флагом.\n\nКаждый, кто разделяет наши взгляды, может прийти."
NEW_KOREAN = "우리는 일요일마다 모입니다. 깃발을 가져오세요.\n\n우리의 뜻에 함께하는 누구나 올 수 있습니다."


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[tuple[str, object, Path]]:
    site, _ = site_in_repository(tmp_path)
    with live_editor(site) as (link, app):
        yield link, app, site


@pytest.fixture
def page(browser, editor):  # type: ignore[no-untyped-def]
    link, _, _ = editor
    context = browser.new_context(viewport={"width": 390, "height": 900})
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    tab = context.new_page()
    tab.goto(link)
    assert tab.url.endswith("/") and tab.get_by_role("heading", level=1).count() == 1
    yield tab
    assert tab.evaluate("window.__cspViolations") == []
    context.close()


def base_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def states(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """language → state of the meetings page, as the page list shows them."""
    page.goto(base_of(page.url) + "/pages")
    return {code: page.locator(f"a[href='/page?path=content/{code}/meetings/index.md']").get_attribute("class")
            .split("state-")[1] for code in ("ru", "en", "ko")}


def test_translate_a_changed_page(page) -> None:  # type: ignore[no-untyped-def]
    assert states(page) == {"ru": "source", "en": "ok", "ko": "ok"}
    page.goto(base_of(page.url) + "/page?path=content/ru/meetings/index.md")
    page.fill("#body", NEW_SOURCE)
    page.locator("#body").evaluate("area => area.setSelectionRange(0, 2)")  # "Мы"
    page.get_by_role("button", name="Bold").click()  # the toolbar: editor.js, allowed by the page's policy
    assert page.locator("#body").input_value().startswith("**Мы** встречаемся")
    page.fill("#body", NEW_SOURCE)
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("status").inner_text() == "Saved."
    assert states(page) == {"ru": "source", "en": "outdated", "ko": "outdated"}

    page.goto(base_of(page.url) + "/page?path=content/ko/meetings/index.md")
    marked = page.locator(".source-text mark").all_inner_texts()
    assert marked == ["Мы встречаемся по воскресеньям."]  # the one changed sentence, and only it
    page.fill("#body", NEW_KOREAN)
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Mark as translated").click()
    assert states(page) == {"ru": "source", "en": "outdated", "ko": "ok"}
    # The preview is the real build: the Korean page shows the new text.
    page.goto(base_of(page.url) + "/page?path=content/ko/meetings/index.md")
    frame = page.frame_locator("iframe")
    assert "일요일마다" in frame.locator("main").inner_text()


def fill_meeting(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_of(page.url) + "/meetings")
    page.fill("#date", "2031-05-17")
    page.fill("#time", "15:00")
    page.fill("#slug", "bosingak")
    for code, (title, place) in {"ru": ("Пикет у Посингака", "Посингак"), "en": ("A picket at Bosingak", "Bosingak"),
                                 "ko": ("보신각 피켓 시위", "보신각")}.items():
        page.fill(f"#title_{code}", title)
        page.fill(f"#place_{code}", place)
        page.fill(f"#address_{code}", "Jongno 54")
        page.fill(f"#text_{code}", f"{title}.")
    page.get_by_role("button", name="Create the meeting").click()


def test_a_meeting_in_three_languages_then_cancelled(page) -> None:  # type: ignore[no-untyped-def]
    fill_meeting(page)
    assert "2031-05-17-bosingak" in page.get_by_role("status").inner_text()
    base = base_of(page.url)
    shown = page.request.get(base + "/preview/en/meetings/2031-05-17-bosingak/").text()
    assert "A picket at Bosingak" in shown
    for prefix, title in (("", "Пикет у Посингака"), ("en/", "A picket at Bosingak"), ("kr/", "보신각 피켓 시위")):
        assert title in page.request.get(f"{base}/preview/{prefix}meetings.ics").text()
        assert title in page.request.get(f"{base}/preview/{prefix}feed.xml").text()
    page.goto(base + "/meetings")
    item = page.locator(".meetings li", has_text="2031-05-17-bosingak")
    item.get_by_label("Status").select_option("cancelled")
    item.get_by_role("button", name="Change").click()
    calendar = page.request.get(base + "/preview/en/meetings.ics").text()
    assert "STATUS:CANCELLED" in calendar
    assert "Cancelled" in page.request.get(base + "/preview/en/meetings/2031-05-17-bosingak/").text()


def test_a_photo_with_gps_leaves_no_metadata(page, editor, tmp_path: Path,  # type: ignore[no-untyped-def]
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import samizdat.editor.photos

    _, _, site = editor
    real, release = samizdat.editor.photos.detect_faces, threading.Event()
    monkeypatch.setattr(samizdat.editor.photos, "detect_faces", lambda image: release.wait(60) and real(image))
    page.goto(base_of(page.url) + "/photos")
    original = jpeg_with_everything(Image.new("RGB", (800, 600), "#2255aa"))
    page.set_input_files("#photo", files=[{"name": "IMG_2041.jpg", "mimeType": "image/jpeg", "buffer": original}])
    page.get_by_role("button", name="Upload").click()
    assert "Metadata removed" in page.get_by_role("status").inner_text()
    # Faces are looked for in the background (held here, as a large photo on a busy server holds them):
    # the page says so, and shows the answer when it comes, without a reload that would lose the alt texts.
    assert "Looking for faces" in page.locator("#face-search").inner_text()
    page.fill("#alt_ru", "Флаг")
    release.set()
    page.wait_for_selector("#face-search:has-text('No face was found')", timeout=60_000)
    assert page.locator("#alt_ru").input_value() == "Флаг"
    page.fill("#alt_ru", "Флаг")
    page.fill("#alt_en", "A flag")
    page.get_by_role("button", name="Add the photo to the site").click()
    # The Korean alt text is missing: the browser does not send the form (the server refuses it too:
    # test_editor_flows.py), and nothing is written.
    assert page.locator("#alt_ko").evaluate("field => field.validity.valueMissing")
    assert not (site / "assets/photos").exists()
    page.fill("#alt_ko", "깃발")
    page.get_by_role("button", name="Add the photo to the site").click()
    assert "assets/photos/img-2041.jpg" in page.get_by_role("status").inner_text()
    page.goto(base_of(page.url) + "/page?path=content/en/index.md")  # the photo, now usable in a page
    page.fill("#body", "")
    page.select_option("#insert-photo", label="img-2041.jpg")
    assert page.locator("#body").input_value() == "![A flag](/assets/photos/img-2041.jpg)"
    page.get_by_role("button", name="Save").click()
    assert page.frame_locator("iframe").locator("main img[alt='A flag']").count() == 1  # in the real build
    out = tmp_path / "out"
    build_site(site, out, BuildOptions())
    images = [p for folder in (site, out) for p in folder.rglob("*") if p.suffix in (".jpg", ".webp", ".avif")]
    assert len(images) >= 2
    for path in [p for folder in (site, out) for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts]:
        assert not any(secret in path.read_bytes() for secret in SECRETS), path
    assert all(metadata_blocks(path.read_bytes()) == [] for path in images)


def test_publish_to_a_bare_repository_under_a_pseudonym(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fill_meeting(page)
    page.goto(base_of(page.url) + "/publish")
    page.fill("#name", "Белка")
    page.fill("#message", "a picket on 17 May")
    page.get_by_role("button", name="Publish").click()
    assert page.get_by_role("status").inner_text().startswith("Published.")
    log = git("log", "-1", "--format=%an|%cn|%s", "main", cwd=tmp_path / "origin.git").strip()
    assert log == "Белка|Белка|a picket on 17 May"
    assert "meetings/2031-05-17-bosingak.yaml" in git("show", "--name-only", "main", cwd=tmp_path / "origin.git")


def test_two_editors_change_the_same_page(page, browser) -> None:  # type: ignore[no-untyped-def]
    second_context = browser.new_context(viewport={"width": 1280, "height": 900})
    second_context.add_cookies(page.context.cookies())  # a colleague logged in on another device
    second = second_context.new_page()
    url = base_of(page.url) + "/page?path=content/en/meetings/index.md"
    page.goto(url)
    second.goto(url)
    page.fill("#body", "We meet on Sundays.")
    page.get_by_role("button", name="Save").click()
    second.fill("#body", "We meet on Mondays.")
    second.get_by_role("button", name="Save").click()
    assert second.get_by_role("alert").count() == 1
    assert second.locator("del", has_text="Sundays").count() == 1
    assert second.locator("ins", has_text="Mondays").count() == 1
    assert "Mondays" in second.locator("#body").input_value()  # nothing lost: the text waits to be combined
    second_context.close()


def editor_pages(page, base: str) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Every kind of editor page, reached as a volunteer reaches it; yields a name for each."""
    for path in ("/", "/pages", "/page?path=content/ru/meetings/index.md", "/meetings", "/photos", "/publish"):
        page.goto(base + path)
        yield path.strip("/").split("?")[0].replace("/", "-") or "dashboard"
    page.goto(base + "/page?path=content/ru/meetings/index.md")
    page.fill("#body", NEW_SOURCE)
    submit(page, "#page-form button[type=submit]")
    page.goto(base + "/page?path=content/ko/meetings/index.md")
    yield "translation-outdated"
    page.evaluate("document.querySelector('[name=base]').value = 'opened-before-a-colleague-saved'")
    submit(page, "#page-form button[type=submit]")
    yield "conflict"
    page.goto(base + "/photos")
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "#cc3333").save(buffer, "JPEG")
    page.set_input_files("#photo", files=[{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}])
    submit(page, "form[action='/photos/upload'] button")
    yield "photo-review"
    page.goto(base + "/publish")
    submit(page, "form[action='/publish'] button")
    yield "publish-refused"


def submit(page, button: str) -> None:  # type: ignore[no-untyped-def]
    """A form sent and the page it leads to loaded with its stylesheet: a click waits only for the navigation
    to begin, and a page measured before its styles apply is wider than the screen (a CI run measured the
    conflict page at 418 px on a 390 px screen: unstyled, its heading's path does not wrap)."""
    with page.expect_navigation(wait_until="load"):
        page.locator(button).click()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("ui", ["en", "ru", "ko"])
def test_axe_finds_no_violation_on_any_editor_page(browser, editor, width: int, ui: str) -> None:
    link, _, _ = editor
    axe = npm_file("axe-core/axe.min.js", "axe-core")
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    base = base_of(link)
    page.goto(base + f"/login?ui={ui}")
    found = {}
    (SHOTS / str(width)).mkdir(parents=True, exist_ok=True)
    names = []

    def visited() -> Iterator[str]:
        yield "login"
        page.goto(link)
        yield from editor_pages(page, base)

    for name in visited():
        names.append(name)
        page.add_script_tag(path=str(axe))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = [f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
                      for v in result["violations"]]
        if violations:
            found[name] = violations
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        assert page.evaluate("document.documentElement.lang") == ui, name
        page.screenshot(path=str(SHOTS / str(width) / f"{ui}-{name}.png"), full_page=True)
    context.close()
    assert len(names) == 11
    assert found == {}
