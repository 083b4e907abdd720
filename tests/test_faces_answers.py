"""One-click answers from the served review page: written to data/faces.yaml and nowhere else, and only
when they come from the page itself (its token, its origin, JSON), never from another site in the browser."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from samizdat.images.decisions import Decision, parse_decision, record
from samizdat.images.policy import load_face_policy
from samizdat.images.review import write_face_review
from samizdat.images.review_server import ReviewServer, review_server
from tests.conftest import MINIMAL_CONFIG, write_files
from tests.test_images_faces import ASTRONAUT

pytest.importorskip("cv2")
PHOTO = "assets/astronaut.png"
GOOD = {"photo": PHOTO, "box": [10, 20, 30, 40], "decision": "reject"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReviewServer]:
    root = tmp_path_factory.mktemp("answers") / "site"
    write_files(root, {"samizdat.toml": MINIMAL_CONFIG + "\n[images]\nmask_faces = true\n",
                       "content/index.md": "Hi.\n", PHOTO: ASTRONAUT.read_bytes()})
    page = write_face_review(root, interactive=True)
    server = review_server(root, page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _request(server: ReviewServer, method: str, path: str, body: object = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
    data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
    connection.request(method, path, body=data, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.read()


def _good_headers(server: ReviewServer) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Review-Token": server.review.token,
            "Origin": f"http://127.0.0.1:{server.server_port}"}


def _faces_yaml(server: ReviewServer) -> object:
    path = server.review.site_root / "data/faces.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def test_the_page_is_served_only_under_its_token(served: ReviewServer) -> None:
    token = served.review.token
    status, body = _request(served, "GET", f"/{token}/")
    assert status == 200 and b'data-decision="reject"' in body and b"review.js" in body
    for path in ("/", "/index.html", f"/{token[:-1]}/", f"/{token}/../index.html", f"/{token}/%2e%2e/samizdat.toml",
                 f"/{token}/.samizdat-faces-review", f"/{token}/sub/index.html", f"/x{token}/"):
        assert _request(served, "GET", path)[0] == 404, path


def test_a_request_naming_another_host_is_refused(served: ReviewServer) -> None:
    """DNS rebinding: a page at evil.example whose name now points at 127.0.0.1 sends its own Host."""
    token = served.review.token
    assert _request(served, "GET", f"/{token}/", headers={"Host": "evil.example"})[0] == 404


@pytest.mark.parametrize(("change", "status"), [
    ({"Origin": "https://evil.example"}, 403),  # another site's script or form
    ({"Origin": None}, 403),  # no origin at all
    ({"X-Review-Token": "guess"}, 403),
    ({"X-Review-Token": None}, 403),
    ({"Content-Type": "text/plain"}, 415),  # a form can send this without a CORS check
    ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
    ({"Host": "evil.example"}, 403),
])
def test_an_answer_not_from_the_page_is_refused_and_writes_nothing(served: ReviewServer, change: dict[str, str | None],
                                                                   status: int) -> None:
    before = _faces_yaml(served)
    headers = {k: v for k, v in (_good_headers(served) | change).items() if v is not None}
    assert _request(served, "POST", f"/{served.review.token}/decide", GOOD, headers)[0] == status
    assert _faces_yaml(served) == before


@pytest.mark.parametrize("body", [
    {"photo": "samizdat.toml", "box": [1, 2, 3, 4], "decision": "reject"},  # not a photo of the review
    {"photo": "../outside.png", "box": [1, 2, 3, 4], "decision": "reject"},
    {"photo": PHOTO, "box": [1, 2, 3], "decision": "reject"},
    {"photo": PHOTO, "box": [1, 2, 0, 4], "decision": "reject"},
    {"photo": PHOTO, "box": [-1, 2, 3, 4], "decision": "reject"},
    {"photo": PHOTO, "box": [1.5, 2, 3, 4], "decision": "reject"},
    {"photo": PHOTO, "box": [True, 2, 3, 4], "decision": "reject"},
    {"photo": PHOTO, "box": "1,2,3,4", "decision": "reject"},
    {"photo": PHOTO, "box": [1, 2, 3, 4], "decision": "delete"},
    {"photo": PHOTO, "box": [1, 2, 3, 4], "decision": "reject", "mask": False},  # nothing else is set
    ["not", "a", "map"],
    b"{not json",
    b"[" * 4000,  # nested past the reader's depth (a RecursionError, not a ValueError)
])
def test_a_malformed_answer_is_refused_and_writes_nothing(served: ReviewServer, body: object) -> None:
    before = _faces_yaml(served)
    status, message = _request(served, "POST", f"/{served.review.token}/decide", body, _good_headers(served))
    assert status == 400 and message
    assert _faces_yaml(served) == before


def test_an_overlong_answer_is_refused(served: ReviewServer) -> None:
    body = {**GOOD, "photo": PHOTO + " " * 5000}
    assert _request(served, "POST", f"/{served.review.token}/decide", body, _good_headers(served))[0] == 413


def test_a_good_answer_is_written_and_read_back_by_the_build(served: ReviewServer) -> None:
    token = served.review.token
    assert _request(served, "POST", f"/{token}/decide", GOOD, _good_headers(served))[0] == 204
    assert _faces_yaml(served)[PHOTO]["not_faces"] == [[10, 20, 30, 40]]
    accept = {**GOOD, "decision": "accept"}  # the volunteer changes their mind: the box moves, never both
    assert _request(served, "POST", f"/{token}/decide", accept, _good_headers(served))[0] == 204
    assert _faces_yaml(served)[PHOTO] == {"regions": [[10, 20, 30, 40]]}
    from samizdat.config import load_config

    plan = load_face_policy(load_config(served.review.site_root)).plan_for(PHOTO)
    assert [(r.x, r.y, r.w, r.h) for r in plan.regions] == [(10, 20, 30, 40)] and plan.not_faces == ()


def test_answers_keep_what_the_file_already_says(tmp_path: Path) -> None:
    write_files(tmp_path, {"data/faces.yaml": "assets/a.jpg:\n  mask: false\nassets/b.jpg:\n  mask: true\n"
                                              "  regions: [[1, 1, 5, 5]]\n"})
    record(tmp_path, Decision("assets/b.jpg", (7, 8, 9, 10), "reject"))
    record(tmp_path, Decision("assets/b.jpg", (7, 8, 9, 10), "reject"))  # twice: written once
    assert yaml.safe_load((tmp_path / "data/faces.yaml").read_text(encoding="utf-8")) == {
        "assets/a.jpg": {"mask": False},
        "assets/b.jpg": {"mask": True, "regions": [[1, 1, 5, 5]], "not_faces": [[7, 8, 9, 10]]}}


@pytest.mark.parametrize("link", ["data", "data/faces.yaml"])
def test_an_answer_is_never_written_through_a_link(tmp_path: Path, link: str) -> None:
    site, outside = tmp_path / "site", tmp_path / "outside"
    outside.mkdir()
    (outside / "faces.yaml").write_text("secret: kept\n", encoding="utf-8")
    (site / "data").mkdir(parents=True) if link != "data" else site.mkdir()
    (site / link).symlink_to(outside if link == "data" else outside / "faces.yaml")
    from samizdat.errors import ImageError

    with pytest.raises(ImageError, match="link"):
        record(site, Decision("assets/b.jpg", (1, 2, 3, 4), "accept"))
    assert (outside / "faces.yaml").read_text(encoding="utf-8") == "secret: kept\n"
    assert [p.name for p in outside.iterdir()] == ["faces.yaml"]


@pytest.mark.parametrize("text", ["- a list\n", "assets/b.jpg: [1, 2]\n"])
def test_a_faces_file_of_the_wrong_shape_is_an_error_not_overwritten(tmp_path: Path, text: str) -> None:
    from samizdat.errors import ImageError

    write_files(tmp_path, {"data/faces.yaml": text})
    with pytest.raises(ImageError):
        record(tmp_path, Decision("assets/b.jpg", (1, 2, 3, 4), "accept"))
    assert (tmp_path / "data/faces.yaml").read_text(encoding="utf-8") == text


def test_parse_takes_exactly_the_page_fields() -> None:
    assert parse_decision(GOOD, frozenset({PHOTO})) == Decision(PHOTO, (10, 20, 30, 40), "reject")


def test_a_port_in_use_is_one_clear_error(served: ReviewServer, run_cli) -> None:
    result = run_cli("faces", served.review.site_root, "--review", "--port", str(served.server_port))
    assert result.code == 1 and "cannot serve the review page" in result.err and "Traceback" not in result.err
    assert "hint:" in result.err
