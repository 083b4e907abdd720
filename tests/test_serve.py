"""The dev server over HTTP: pages from memory, reload script injected, errors reported, last good kept."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from samizdat.serve.server import make_server
from samizdat.serve.state import DevState

PAGE = "---\ntitle: Home\n---\n\n{text}\n"


@pytest.fixture
def dev(make_site) -> Iterator[tuple[DevState, str, Path]]:
    site = make_site({f"content/{c}/index.md": PAGE.format(text=f"Hello {c}") for c in ("ru", "en", "ko")})
    state = DevState(site)
    state.rebuild()
    server = make_server(state, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_port}", site
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_pages_are_served_with_the_reload_script(dev) -> None:
    state, base, _ = dev
    status, html, headers = get(base + "/kr/")
    assert status == 200 and "Hello ko" in html
    assert f'src="/__samizdat/livereload.js?g={state.generation}"' in html
    assert "script-src 'self'" in html and "connect-src 'self'" in html
    assert headers["Cache-Control"] == "no-store"
    assert get(base + "/__samizdat/livereload.js")[0] == 200


def test_the_built_output_never_holds_the_reload_script(dev, run_cli, tmp_path: Path) -> None:
    _, _, site = dev
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert b"__samizdat" not in path.read_bytes()


def test_unknown_path_gets_the_language_404(dev) -> None:
    _, base, _ = dev
    status, html, _ = get(base + "/en/nothing-here/")
    assert status == 404 and 'lang="en"' in html


def test_a_broken_change_keeps_the_last_good_site_and_reports(dev) -> None:
    state, base, site = dev
    good_generation = state.generation
    (site / "content/en/index.md").write_text("---\ntitle: [broken\n---\nHi\n", encoding="utf-8")
    report = state.rebuild()
    assert report.startswith("error:") and "index.md:2" in report
    status, html, _ = get(base + "/en/")
    assert status == 200 and "Hello en" in html
    assert json.loads(state.message()) == {"generation": good_generation, "error": state.error}

    (site / "content/en/index.md").write_text(PAGE.format(text="Fixed"), encoding="utf-8")
    assert state.rebuild().startswith("rebuilt")
    assert state.error is None and state.generation == good_generation + 1
    assert "Fixed" in get(base + "/en/")[1]


def test_events_stream_sends_the_state(dev) -> None:
    state, base, _ = dev
    with urllib.request.urlopen(base + "/__samizdat/events", timeout=5) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        assert stream.readline() == b"event: state\n"
        data = json.loads(stream.readline().decode().removeprefix("data: "))
        assert data == {"generation": state.generation, "error": None}


def test_dev_script_joins_the_page_policy() -> None:
    from samizdat.serve.server import allow_dev_script

    policy = "default-src 'none'; script-src 'sha256-abc'; img-src 'self'"
    assert allow_dev_script(policy) == (
        "default-src 'none'; script-src 'sha256-abc' 'self'; img-src 'self'; connect-src 'self'")
