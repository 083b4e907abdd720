"""The served review page in a real browser: a click on "Not a face" or "Face" writes data/faces.yaml."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
import yaml

from bench.faceset import make_scene
from samizdat.images.review import review_words, write_face_review
from samizdat.images.review_server import review_server
from tests.browser import PageWatch
from tests.conftest import MINIMAL_CONFIG, write_files

pytest.importorskip("cv2")
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser
PHOTO = "assets/crowd.jpg"


def _boxes(button) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(v) for v in button.get_attribute("data-box").split(",")]


def test_one_click_answers_are_written_to_faces_yaml(browser, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    make_scene(0, faces=12, size=(800, 600), seed=11).image().save(buffer, "JPEG", quality=90)
    root = tmp_path / "site"
    write_files(root, {"samizdat.toml": MINIMAL_CONFIG + "\n[images]\nmask_faces = true\n",
                       "content/index.md": "Hi.\n", PHOTO: buffer.getvalue()})
    server = review_server(root, write_face_review(root, language="en", interactive=True))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        watched = PageWatch()
        watched.attach(page)
        page.goto(server.url)
        words = review_words("en")
        figures = page.locator("figure")
        assert figures.count() >= 2
        reject = figures.nth(0).get_by_role("button", name=words["not_face"], exact=True)
        accept = figures.nth(1).get_by_role("button", name=words["is_face"], exact=True)
        rejected, accepted = _boxes(reject), _boxes(accept)
        reject.click()
        playwright_api.expect(figures.nth(0)).to_have_attribute("data-decided", "reject")
        accept.click()
        playwright_api.expect(figures.nth(1)).to_have_attribute("data-decided", "accept")
        saved = yaml.safe_load((root / "data/faces.yaml").read_text(encoding="utf-8"))
        assert saved == {PHOTO: {"not_faces": [rejected], "regions": [accepted]}}
        assert watched.errors == [] and watched.outside(server.url.rstrip("/").rsplit("/", 1)[0]) == []
        page.close()
        # Looked at again, neither answered box is asked about: one is left alone, one is masked by hand.
        again = write_face_review(root, tmp_path / "again").index.read_text(encoding="utf-8")
        assert f"- [{', '.join(map(str, rejected))}]" not in again
        assert f"- [{', '.join(map(str, accepted))}]" not in again and "- [" in again
    finally:
        server.shutdown()
        server.server_close()
