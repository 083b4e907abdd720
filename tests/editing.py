"""The editor's test sites and servers: the bundled site in a git clone of a bare repository, the app
in-process (Starlette's TestClient) or on a real port for the browser."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from samizdat.editor.app import Settings, create_app
from tests.conftest import BUNDLED_SITE, MINIMAL_CONFIG, copy_site, write_files

GIT_ID = ("-c", "user.name=Setup", "-c", "user.email=setup@example.org")
SOURCE_TEXT = ("Мы встречаемся по субботам. Приходите с флагом.\n\n"
               "Каждый, кто разделяет наши взгляды, может прийти.\n")
# A small site in three languages (Russian the source, both translations current): builds in a blink.
SMALL_SITE = {
    "samizdat.toml": MINIMAL_CONFIG.replace('base_url = "https://example.org"',
                                            'base_url = "https://example.org"\ntimezone = "Asia/Seoul"'),
    "content/ru/index.md": "---\ntitle: Главная\n---\n\nПривет.\n",
    "content/en/index.md": "---\ntitle: Home\ntranslation_of: {lang: ru, hash: \"H\"}\n---\n\nHello.\n",
    "content/ko/index.md": "---\ntitle: 홈\ntranslation_of: {lang: ru, hash: \"H\"}\n---\n\n안녕하세요.\n",
    "content/ru/meetings/index.md": f"---\ntitle: Встречи\nmenu: 2\n---\n\n{SOURCE_TEXT}",
    "content/en/meetings/index.md": "---\ntitle: Meetings\nmenu: 2\n---\n\nWe meet on Saturdays. Bring a flag.\n\n"
                                    "Everyone who shares our views is welcome.\n",
    "content/ko/meetings/index.md": "---\ntitle: 모임\nmenu: 2\n---\n\n"
                                    "우리는 토요일마다 모입니다. 깃발을 가져오세요.\n\n"
                                    "우리의 뜻에 함께하는 누구나 올 수 있습니다.\n",
}


def git(*args: str | Path, cwd: Path) -> str:
    done = subprocess.run(["git", *GIT_ID, *map(str, args)], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout


def small_site(root: Path) -> Path:
    from samizdat.content.mark_translated import mark_translated

    write_files(root, SMALL_SITE)
    for rel in ("index.md", "meetings/index.md"):
        for code in ("en", "ko"):
            mark_translated(root / "content" / code / rel, "ru")
    return root


def site_in_repository(tmp_path: Path, name: str = "work", bundled: bool = False) -> tuple[Path, Path]:
    """(the site, a clone of a bare origin holding it on main), and the bare origin."""
    origin = tmp_path / "origin.git"
    if not origin.exists():
        git("init", "-q", "--bare", "-b", "main", origin, cwd=tmp_path)
        seed = copy_site(BUNDLED_SITE, tmp_path / "seed") if bundled else small_site(tmp_path / "seed")
        git("init", "-q", "-b", "main", cwd=seed)
        git("add", "-A", cwd=seed)
        git("commit", "-qm", "the site", cwd=seed)
        git("push", "-q", origin, "main", cwd=seed)
    git("clone", "-q", origin, tmp_path / name, cwd=tmp_path)
    return tmp_path / name, origin


def client(site: Path, **settings: object):  # type: ignore[no-untyped-def]
    """A TestClient already logged in through the one-time link; the app is `client.app`."""
    from starlette.testclient import TestClient

    app = create_app(Settings(site, **settings), watch=False)  # type: ignore[arg-type]
    port = app.state.editor.settings.port
    test = TestClient(app, base_url=f"http://127.0.0.1:{port}")
    if app.state.editor.settings.accounts is None:
        assert test.get(f"/login?token={app.state.editor.token.value}", follow_redirects=False).status_code == 303
    return test


def csrf_of(html: str) -> str:
    marker = 'name="csrf" value="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_editor(site: Path) -> Iterator[tuple[str, object]]:
    """The editor on a real port, as `samizdat edit` runs it; yields (the one-time login link, the app)."""
    import uvicorn

    port = free_port()
    app = create_app(Settings(site.resolve(), "127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield app.state.editor.login_url(), app
    finally:
        server.should_exit = True
        thread.join(10)
        app.state.editor.preview.close()
