"""The dev server over HTTP and in Chromium: pages from memory, errors shown, never stopped, never misled."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import socket
import socketserver
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import samizdat.build.pipeline
from samizdat.serve import events, watcher
from samizdat.serve.handler import allow_dev_script
from samizdat.serve.server import WORKERS, DevServer, PooledHTTPServer, background
from samizdat.serve.state import TITLE_FAILED, TITLE_GONE, DevState

PAGE = "---\ntitle: Home\n---\n\n{text}\n"
MARKER = "EXPLODE-HERE"


@pytest.fixture
def site(make_site) -> Path:
    files = {f"content/{c}/index.md": PAGE.format(text=f"Hello {c}") for c in ("ru", "en", "ko")}
    return make_site({**files, "static/notes.txt": "plain notes\n"})


@pytest.fixture
def dev(site: Path) -> Iterator[DevServer]:
    with background(site) as server:
        yield server


@pytest.fixture
def explode_on_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug inside the pipeline: a stage raises an exception that is not samizdat's own."""
    secure = samizdat.build.pipeline.secure

    def failing(config, outputs, *rest):  # type: ignore[no-untyped-def]
        if any(MARKER.encode() in data for data in outputs.pages.values()):
            raise RuntimeError("a stage failed on the marker")
        return secure(config, outputs, *rest)

    monkeypatch.setattr(samizdat.build.pipeline, "secure", failing)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, str, dict[str, str]]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def raw(dev: DevServer, method: str, path: str, host: str | None) -> tuple[int, bytes, dict[str, str]]:
    """A request with exactly the Host header given (None: no Host header at all)."""
    connection = http.client.HTTPConnection("127.0.0.1", dev.http.server_port, timeout=5)
    connection.putrequest(method, path, skip_host=True)
    if host is not None:
        connection.putheader("Host", host)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, dict(response.headers)


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_pages_are_served_with_the_reload_script(dev: DevServer) -> None:
    status, html, headers = get(dev.url + "/kr/")
    assert status == 200 and "Hello ko" in html
    assert f'src="/__samizdat/livereload.js?g={dev.state.generation}"' in html
    allowed = re.search(r"script-src ([^;\"]*)", html)
    assert allowed is not None and "'self'" in allowed[1].split() and "connect-src 'self'" in html
    assert headers["Cache-Control"] == "no-store"
    assert get(dev.url + "/__samizdat/livereload.js")[0] == 200


def test_the_built_output_never_holds_the_reload_script(dev: DevServer, site: Path, run_cli, tmp_path: Path) -> None:
    assert run_cli("build", site, "-o", tmp_path / "out").code == 0
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert b"__samizdat" not in path.read_bytes()


def test_unknown_path_gets_the_language_404(dev: DevServer) -> None:
    status, html, _ = get(dev.url + "/en/nothing-here/")
    assert status == 404 and 'lang="en"' in html


def test_a_broken_change_keeps_the_last_good_site_and_reports(dev: DevServer, site: Path) -> None:
    state = dev.state
    good_generation = state.generation
    (site / "content/en/index.md").write_text("---\ntitle: [broken\n---\nHi\n", encoding="utf-8")
    report = state.rebuild()
    assert report.startswith("error:") and "index.md:2" in report
    status, html, _ = get(dev.url + "/en/")
    assert status == 200 and "Hello en" in html
    assert json.loads(state.message()) == {"generation": good_generation, "error": state.error,
                                           "title": TITLE_FAILED}

    (site / "content/en/index.md").write_text(PAGE.format(text="Fixed"), encoding="utf-8")
    assert state.rebuild().startswith("rebuilt")
    # The watcher may have built the same save first: one good build or two, never none.
    assert state.error is None and state.generation > good_generation
    assert "Fixed" in get(dev.url + "/en/")[1]


@pytest.mark.usefixtures("explode_on_marker")
def test_an_unexpected_exception_is_reported_and_the_next_save_rebuilds(dev: DevServer, site: Path) -> None:
    generation = dev.state.generation
    (site / "content/en/index.md").write_text(PAGE.format(text=MARKER), encoding="utf-8")
    assert wait_for(lambda: dev.state.error is not None)
    error = dev.state.error or ""
    assert error.startswith("internal error: RuntimeError: a stage failed on the marker")
    assert "Traceback" in error and "test_serve.py" in error and "bug in samizdat" in error
    assert get(dev.url + "/en/")[0] == 200  # the last good version is still served

    (site / "content/en/index.md").write_text(PAGE.format(text="Mended"), encoding="utf-8")
    assert wait_for(lambda: dev.state.generation == generation + 1)
    assert dev.state.error is None and "Mended" in get(dev.url + "/en/")[1]


def test_events_stream_sends_the_state(dev: DevServer) -> None:
    with urllib.request.urlopen(dev.url + "/__samizdat/events", timeout=5) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        assert stream.readline() == b"event: state\n"
        data = json.loads(stream.readline().decode().removeprefix("data: "))
        assert data == {"generation": dev.state.generation, "error": None, "title": None}


def open_stream(dev: DevServer) -> socket.socket:
    stream = socket.create_connection(("127.0.0.1", dev.http.server_port), timeout=5)
    stream.sendall(f"GET /__samizdat/events HTTP/1.1\r\nHost: 127.0.0.1:{dev.http.server_port}\r\n\r\n".encode())
    assert b"event: state" in stream.recv(4096) or b"event: state" in stream.recv(4096)
    return stream


def test_a_closed_tab_releases_its_stream_within_a_second(dev: DevServer) -> None:
    streams = [open_stream(dev) for _ in range(3)]
    assert wait_for(lambda: len(dev.hub) == 3, 2)
    for stream in streams[:2]:
        stream.close()
    started = time.monotonic()
    assert wait_for(lambda: len(dev.hub) == 1, 2)
    assert time.monotonic() - started < 1.0
    streams[2].close()


def test_open_tabs_do_not_hold_the_workers(dev: DevServer) -> None:
    streams = [open_stream(dev) for _ in range(WORKERS + 4)]
    started = time.monotonic()
    assert get(dev.url + "/en/")[0] == 200
    assert time.monotonic() - started < 1.0
    for stream in streams:
        stream.close()


def test_a_rebuild_reaches_every_open_stream(dev: DevServer, site: Path) -> None:
    streams = [open_stream(dev) for _ in range(2)]
    (site / "content/en/index.md").write_text(PAGE.format(text="Changed"), encoding="utf-8")
    for stream in streams:
        stream.settimeout(10)
        received = b""
        while b'"generation": 2' not in received:
            chunk = stream.recv(4096)
            assert chunk, received
            received += chunk
        stream.close()


def test_fifty_clients_at_once_are_all_answered_without_a_retry(dev: DevServer) -> None:
    """A connection the kernel's queue cannot hold is retried by TCP after a second: none may be."""
    assert dev.http.request_queue_size >= 128
    results: list[tuple[int, float]] = []
    start = threading.Barrier(50)

    def client() -> None:
        start.wait()
        began = time.monotonic()
        status = get(dev.url + "/en/")[0]
        results.append((status, time.monotonic() - began))

    threads = [threading.Thread(target=client) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert [status for status, _ in results] == [200] * 50
    assert max(seconds for _, seconds in results) < 1.0, sorted(seconds for _, seconds in results)[-5:]


@pytest.mark.parametrize("path", ["/en/", "/missing/", "/notes.txt", "/__samizdat/livereload.js"])
def test_head_is_answered_with_headers_and_no_body(dev: DevServer, path: str) -> None:
    host = f"127.0.0.1:{dev.http.server_port}"
    get_status, get_body, get_headers = raw(dev, "GET", path, host)
    status, body, headers = raw(dev, "HEAD", path, host)
    assert status == get_status and body == b"" and get_body != b""
    assert headers["Content-Type"] == get_headers["Content-Type"]
    assert headers["Content-Length"] == str(len(get_body))


def test_head_of_the_event_stream_opens_no_stream(dev: DevServer) -> None:
    status, body, headers = raw(dev, "HEAD", "/__samizdat/events", f"localhost:{dev.http.server_port}")
    assert status == 200 and body == b"" and headers["Content-Type"].startswith("text/event-stream")
    assert len(dev.hub) == 0


HOSTS = [
    ("evil.example", 421), ("evil.example:{port}", 421), ("127.0.0.1.evil.example:{port}", 421),
    ("localhost.evil.example:{port}", 421), ("localhost:{other}", 421), ("127.0.0.1:abc", 421), (None, 421),
    ("", 421), ("10.1.2.3:{port}", 421),
    ("localhost:{port}", 200), ("127.0.0.1:{port}", 200), ("LOCALHOST:{port}", 200), ("[::1]:{port}", 200),
    ("localhost", 200), ("site.localhost:{port}", 200),
]


@pytest.mark.parametrize(("host", "expected"), HOSTS)
def test_only_local_host_names_are_answered(dev: DevServer, host: str | None, expected: int) -> None:
    port = dev.http.server_port
    header = host.format(port=port, other=port + 1) if host is not None else None
    for method in ("GET", "HEAD"):
        status, body, _ = raw(dev, method, "/en/", header)
        assert status == expected, (method, header)
        if expected != 200:
            assert b"Hello" not in body


def test_a_taken_port_fails_before_building(site: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    builds: list[Path] = []
    monkeypatch.setattr("samizdat.serve.state.render_site", lambda root, **_: builds.append(root))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = run_cli("serve", site, "--port", str(taken.getsockname()[1]))
    assert result.code == 1 and builds == []
    assert result.err.startswith("error: cannot listen on 127.0.0.1:") and "hint: " in result.err
    assert "Traceback" not in result.err and "built" not in result.err


def test_a_dead_watcher_is_restarted(site: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    real = watcher.watch_changes
    starts: list[int] = []

    def dies_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        starts.append(1)
        if len(starts) == 1:
            raise RuntimeError("inotify watch limit reached")
        return real(*args, **kwargs)

    monkeypatch.setattr(watcher, "RESTART_SECONDS", 0.05)
    monkeypatch.setattr(watcher, "watch_changes", dies_once)
    with background(site) as dev:
        assert wait_for(lambda: len(starts) == 2, 5)
        time.sleep(0.3)
        (site / "content/en/index.md").write_text(PAGE.format(text="After restart"), encoding="utf-8")
        assert wait_for(lambda: "After restart" in get(dev.url + "/en/")[1])
    assert "the file watcher stopped and is restarted" in capsys.readouterr().err


def test_a_vanished_site_folder_is_reported_and_recovered(dev: DevServer, site: Path,
                                                          capfd: pytest.CaptureFixture[str]) -> None:
    assert get(dev.url + "/notes.txt")[:2] == (200, "plain notes\n")
    generation = dev.state.generation
    moved = site.with_name("moved")
    site.rename(moved)
    for _ in range(3):
        status, body, _ = get(dev.url + "/notes.txt")
        assert status == 503 and "cannot be read" in body
    assert wait_for(lambda: dev.state.gone)
    message = json.loads(dev.state.message())
    assert message["title"] == TITLE_GONE and "no longer exists" in message["error"]
    assert get(dev.url + "/en/")[0] == 200  # pages held in memory are still shown, under the overlay

    moved.rename(site)
    assert wait_for(lambda: dev.state.generation == generation + 1)
    assert dev.state.error is None and not dev.state.gone
    assert get(dev.url + "/notes.txt")[:2] == (200, "plain notes\n")
    err = capfd.readouterr().err
    assert err.count("no longer exists") == 1 and "Traceback" not in err


def test_the_hub_refuses_streams_beyond_its_limit(dev: DevServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(events, "MAX_STREAMS", 1)
    first = open_stream(dev)
    status, _, _ = raw(dev, "GET", "/__samizdat/events", f"127.0.0.1:{dev.http.server_port}")
    assert status == 503
    first.close()


def test_a_stream_handed_over_as_the_server_stops_is_closed(dev: DevServer) -> None:
    """A tab's request still running when the hub closed every stream: its connection is not kept."""
    dev.hub.close_all()
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert not dev.hub.add(theirs)
        assert len(dev.hub) == 0


def test_connections_no_worker_took_are_closed_when_the_server_stops() -> None:
    started, release = threading.Event(), threading.Event()

    class Slow(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            started.set()
            release.wait(10)

    server = PooledHTTPServer(("127.0.0.1", 0), Slow, workers=1)  # type: ignore[arg-type]
    address = server.server_address[:2]
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    with socket.create_connection(address) as busy:
        assert started.wait(5)  # the only worker is taken
        with socket.create_connection(address) as waiting:
            waiting.settimeout(5)
            time.sleep(0.5)  # accepted within the server's poll interval (0.05 s), then queued for a worker
            server.shutdown()
            server.server_close()
            assert waiting.recv(1) == b""  # closed by the server, not left open until it is collected
        release.set()
        assert busy.recv(1) == b""


def test_dev_script_joins_the_page_policy() -> None:
    policy = "default-src 'none'; script-src 'sha256-abc'; img-src 'self'"
    assert allow_dev_script(policy) == (
        "default-src 'none'; script-src 'sha256-abc' 'self'; img-src 'self'; connect-src 'self'")


PHONE = {"width": 390, "height": 844}
LONG_WORD = "W" * 200  # a line with no space to break at, as long paths and hashes are


@pytest.mark.browser
@pytest.mark.usefixtures("explode_on_marker")
def test_a_bug_in_a_rebuild_shows_the_overlay_and_the_next_save_recovers(browser, site: Path,
                                                                         tmp_path: Path) -> None:
    with background(site) as dev:
        from playwright.sync_api import expect

        page = browser.new_page(viewport=PHONE)
        page.goto(dev.url + "/en/")
        expect(page.locator("main")).to_contain_text("Hello en")

        (site / "content/en/index.md").write_text(PAGE.format(text=f"{MARKER} {LONG_WORD}"), encoding="utf-8")
        overlay = page.locator("#samizdat-build-error")
        expect(overlay).to_contain_text("RuntimeError: a stage failed on the marker", timeout=15_000)
        expect(overlay).to_contain_text(TITLE_FAILED)
        expect(overlay).to_contain_text("Traceback")
        page.screenshot(path=str(tmp_path / "overlay-390.png"))
        widths = page.evaluate("""() => {
            const pre = document.querySelector('#samizdat-build-error pre');
            return [document.documentElement.scrollWidth, pre.scrollWidth, pre.clientWidth];
        }""")
        assert widths[0] <= PHONE["width"] and widths[1] <= widths[2], widths  # wrapped, nothing to scroll

        (site / "content/en/index.md").write_text(PAGE.format(text="Mended"), encoding="utf-8")
        expect(page.locator("main")).to_contain_text("Mended", timeout=15_000)
        expect(overlay).to_have_count(0)
        page.close()


@pytest.mark.browser
def test_a_vanished_site_folder_shows_in_the_overlay_until_it_is_back(browser, site: Path) -> None:
    with background(site) as dev:
        from playwright.sync_api import expect

        page = browser.new_page(viewport=PHONE)
        page.goto(dev.url + "/en/")
        moved = site.with_name("elsewhere")
        site.rename(moved)
        overlay = page.locator("#samizdat-build-error")
        expect(overlay).to_contain_text(TITLE_GONE, timeout=10_000)
        expect(overlay).to_contain_text("no longer exists")

        moved.rename(site)
        expect(overlay).to_have_count(0, timeout=10_000)
        expect(page.locator("main")).to_contain_text("Hello en")
        page.close()


@pytest.fixture
def search_held(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The search stage of the next whole builds waits until the event is set: a save's first part is served,
    the rest is not done."""
    release = threading.Event()
    release.set()  # the first build runs through
    search_outputs = samizdat.build.pipeline.search_outputs

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert release.wait(30), "the test never released the search stage"
        return search_outputs(*args, **kwargs)

    monkeypatch.setattr(samizdat.build.pipeline, "search_outputs", held)
    return release


def test_a_file_the_first_part_lacks_waits_for_the_whole_build(dev: DevServer, site: Path,
                                                                search_held: threading.Event) -> None:
    status, before, _ = get(dev.url + "/_search/en/m.css")
    assert status == 200 and before
    generation = dev.state.generation
    search_held.clear()
    (site / "content/en/index.md").write_text(PAGE.format(text="Searchable newword"), encoding="utf-8")
    assert wait_for(lambda: dev.state.generation == generation + 1 and dev.state.completing)
    # The page is shown at once; the index, which the edit changes, is not answered from the last build.
    status, html, _ = get(dev.url + "/en/")
    assert status == 200 and "Searchable newword" in html
    answers: list[tuple[int, str]] = []
    asking = threading.Thread(target=lambda: answers.append(get(dev.url + "/_search/en/m.css")[:2]))
    asking.start()
    asking.join(0.5)
    assert asking.is_alive() and not answers, "a search file was answered before the index was filed"
    search_held.set()
    asking.join(10)
    assert answers and answers[0][0] == 200 and answers[0][1] != before
    assert not dev.state.completing and dev.state.generation == generation + 1  # the tabs were told once
    assert answers[0][1] == get(dev.url + "/_search/en/m.css")[1]


def watched_page(browser) -> tuple[object, list[str]]:  # type: ignore[no-untyped-def]
    """A new tab, and the Content Security Policy errors it logs: a swap must not break the policy."""
    page = browser.new_page()
    policy_errors: list[str] = []
    page.on("console", lambda message: policy_errors.append(message.text)
            if "Content Security Policy" in message.text else None)
    return page, policy_errors


@pytest.mark.browser
def test_an_edit_inside_main_is_swapped_in_and_any_other_reloads(browser, site: Path) -> None:
    with background(site) as dev:
        from playwright.sync_api import expect

        page, policy_errors = watched_page(browser)
        page.goto(dev.url + "/en/")
        expect(page.locator("main")).to_contain_text("Hello en")
        page.evaluate("window.sameDocument = true")

        (site / "content/en/index.md").write_text(PAGE.format(text="Swapped in place"), encoding="utf-8")
        expect(page.locator("main")).to_contain_text("Swapped in place", timeout=15_000)
        assert page.evaluate("window.sameDocument === true"), "the page was loaded again"
        generation = dev.state.generation
        assert page.evaluate("document.querySelectorAll('main').length") == 1

        # A second save in the same document: the script follows the generation it swapped in.
        (site / "content/en/index.md").write_text(PAGE.format(text="Swapped again"), encoding="utf-8")
        expect(page.locator("main")).to_contain_text("Swapped again", timeout=15_000)
        assert page.evaluate("window.sameDocument === true") and dev.state.generation > generation

        # The description is in <head>, outside <main>: the page is loaded again.
        (site / "content/en/index.md").write_text("---\ntitle: Home\ndescription: Described\n---\n\nAfter it\n",
                                                  encoding="utf-8")
        expect(page.locator("main")).to_contain_text("After it", timeout=15_000)
        expect(page.locator('meta[name="description"]')).to_have_attribute("content", "Described")
        assert page.evaluate("window.sameDocument === undefined"), "a change outside <main> was swapped in"
        assert not policy_errors, policy_errors
        page.close()


@pytest.mark.browser
def test_a_page_with_the_meeting_times_script_is_swapped_and_the_script_applied_again(browser, make_site) -> None:
    """The theme's script that hides meetings past since the build runs on every page of a site with
    meetings (the bundled one): it applies itself again after a swap, so such pages are swapped too, and
    a meeting that has ended by the reader's clock stays hidden in the new <main>."""
    home = "---\ntitle: Home\n---\n\n{{{{ next_meeting() }}}}\n\n{text}\n"
    site = make_site({
        "meetings/2027-06-01-rally.yaml": ('start: "2027-06-01 15:00"\nend: "2027-06-01 17:00"\n'
                                           "place:\n  name: Square\n"),
        "content/en/meetings/2027-06-01-rally.md": "---\ntitle: Rally\n---\n\nCome.\n",
        "content/en/index.md": home.format(text="Hello en"),
    })
    with background(site) as dev:
        from playwright.sync_api import expect

        page, policy_errors = watched_page(browser)
        page.goto(dev.url + "/en/")
        assert page.locator("script[data-main-swap]").count() == 1
        expect(page.locator("#next-meeting-list li")).to_be_visible()
        page.evaluate("window.sameDocument = true")
        page.clock.set_fixed_time(dt.datetime(2027, 6, 2, tzinfo=dt.UTC))  # the meeting has ended meanwhile

        (site / "content/en/index.md").write_text(home.format(text="Swapped beside a meeting"), encoding="utf-8")
        expect(page.locator("main")).to_contain_text("Swapped beside a meeting", timeout=15_000)
        assert page.evaluate("window.sameDocument === true"), "the page was loaded again"
        expect(page.locator("#next-meeting-list li")).to_be_hidden()  # the new <main>'s, hidden by the script
        expect(page.locator("p.none-planned")).to_be_visible()
        assert not policy_errors, policy_errors
        page.close()


def test_a_mistake_only_the_whole_build_finds_keeps_the_last_good_site(site: Path) -> None:
    """A site file in a search chunk's place, written as a template: the first part of the save has no
    search files to clash with, the whole build refuses it. The first part is not kept."""
    state = DevState(site)  # no watcher: only these builds run
    assert state.rebuild().startswith("built")
    good = state.output
    assert good is not None and "_search/en/m.css" in good.pages
    chunk = site / "static/_search/en/m.css"
    chunk.parent.mkdir(parents=True)
    chunk.write_text("{{ planted }}\n", encoding="utf-8")
    (site / "content/en/index.md").write_text(PAGE.format(text="Never shown alone"), encoding="utf-8")
    report = state.rebuild()
    assert report.startswith("error:") and "m.css" in report, report
    assert state.output is good and not state.completing and state.error
    chunk.unlink()
    assert state.rebuild().startswith("rebuilt") and state.error is None
    assert state.output is not None and b"Never shown alone" in state.output.pages["en/index.html"]


@pytest.mark.parametrize("when", ["before serve starts", "while it watches"])
def test_a_link_out_of_the_site_is_not_watched_through(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str], when: str) -> None:
    """A site from a stranger may hold a link to a folder elsewhere (to `/`, whose watches take minutes and
    end in /proc): the watcher sets none through it, says so, and watches again once it is gone."""
    monkeypatch.setattr(watcher, "LINK_POLL_SECONDS", 0.1)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = site / "junk"
    if when == "before serve starts":
        link.symlink_to(elsewhere, target_is_directory=True)
    with background(site) as dev:
        if when == "while it watches":
            link.symlink_to(elsewhere, target_is_directory=True)
        assert wait_for(lambda: "is a symbolic link to a folder" in capsys.readouterr().err, 5)
        (elsewhere / "note.md").write_text("outside\n", encoding="utf-8")
        time.sleep(0.5)
        assert "changed: note.md" not in capsys.readouterr().err  # nothing is watched there
        link.unlink()
        time.sleep(0.5)  # watched again within a poll and a watch setting
        (site / "content/en/index.md").write_text(PAGE.format(text="After the link"), encoding="utf-8")
        assert wait_for(lambda: "After the link" in get(dev.url + "/en/")[1])
