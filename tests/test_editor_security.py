"""The editor's gate: nothing without the one-time link or a login, no POST from another site, no write
outside the site folder, logins rate-limited, uploads bounded, sessions that end."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from samizdat.cli import main
from samizdat.editor.app import Settings, create_app
from samizdat.editor.auth import (
    FAILURES_ALLOWED,
    IDLE_SECONDS,
    LIFETIME_SECONDS,
    AccountsError,
    Sessions,
    add_account,
    load_accounts,
)
from tests.conftest import tree_digest
from tests.editing import client, csrf_of, site_in_repository

PAGE = "content/ru/meetings/index.md"
GET_ROUTES = ["/", "/pages", f"/page?path={PAGE}", "/meetings", "/photos", "/publish", "/preview/en/",
              "/photos/pending/x"]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return site_in_repository(tmp_path)[0]


def post_routes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [route.path for route in app.routes if "POST" in (getattr(route, "methods", None) or ())]


def test_nothing_without_the_link(site: Path) -> None:
    from starlette.testclient import TestClient

    app = create_app(Settings(site), watch=False)
    anonymous = TestClient(app, base_url="http://127.0.0.1:8001")
    secret_words = (site / PAGE).read_text(encoding="utf-8").split("---")[-1].split()[:3]
    for path in GET_ROUTES:
        answer = anonymous.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/login", path
        assert not any(word in answer.text for word in secret_words), path
    before = tree_digest(site)
    for path in post_routes(app):
        if path != "/login":
            answer = anonymous.post(path, data={"path": PAGE, "body": "x", "csrf": "x"}, follow_redirects=False)
            assert answer.status_code == 403, path
    assert tree_digest(site) == before


def test_the_link_works_once_and_sets_a_strict_cookie(site: Path) -> None:
    from starlette.testclient import TestClient

    app = create_app(Settings(site), watch=False)
    token = app.state.editor.token.value
    first = TestClient(app, base_url="http://127.0.0.1:8001")
    assert first.get("/login?token=" + "x" * 43, follow_redirects=False).status_code == 403
    answer = first.get(f"/login?token={token}", follow_redirects=False)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower() and "Path=/" in cookie
    assert first.get("/pages").status_code == 200
    again = TestClient(app, base_url="http://127.0.0.1:8001")
    assert again.get(f"/login?token={token}", follow_redirects=False).status_code == 403
    assert again.get("/pages", follow_redirects=False).status_code == 303


def test_every_post_route_is_guarded(site: Path) -> None:
    test = client(site)
    routes = [route for route in test.app.routes if "POST" in (getattr(route, "methods", None) or ())]
    assert len(routes) >= 9
    assert all(getattr(route.endpoint, "guarded", False) for route in routes), [r.path for r in routes]


CROSS_SITE = {
    "no token": ({}, None),
    "a wrong token": ({}, "not-the-token"),
    "another site's Origin": ({"origin": "https://evil.example"}, "TOKEN"),
    "Origin null (a sandboxed frame)": ({"origin": "null"}, "TOKEN"),
    "Sec-Fetch-Site cross-site": ({"sec-fetch-site": "cross-site"}, "TOKEN"),
    "Sec-Fetch-Site same-site (a sibling subdomain)": ({"sec-fetch-site": "same-site"}, "TOKEN"),
}


@pytest.mark.parametrize("headers,token", CROSS_SITE.values(), ids=CROSS_SITE.keys())
def test_cross_site_posts_are_refused(site: Path, headers: dict[str, str], token: str | None) -> None:
    test = client(site)
    page = test.get(f"/page?path={PAGE}")
    real = csrf_of(page.text)
    base = re.search(r'name="base" value="([^"]+)"', page.text)[1]  # type: ignore[index]
    before = tree_digest(site)
    form = {"path": PAGE, "base": base, "body": "overwritten by another site"}
    if token is not None:
        form["csrf"] = real if token == "TOKEN" else token
    answer = test.post("/page/save", data=form, headers=headers, follow_redirects=False)
    assert answer.status_code == 403
    assert tree_digest(site) == before
    # The same form from the editor's own page is accepted: the refusals above are not a broken route.
    form["csrf"] = real
    accepted = test.post("/page/save", data=form, headers={"origin": "http://127.0.0.1:8001",
                                                           "sec-fetch-site": "same-origin"}, follow_redirects=False)
    assert accepted.status_code == 303
    assert "overwritten by another site" in (site / PAGE).read_text(encoding="utf-8")


OUTSIDE = {
    "parent folder": "../outside.md",
    "parent inside a path": "content/ru/../../../outside.md",
    "absolute path": "/tmp/outside.md",
    "backslashes": "content\\ru\\..\\..\\..\\outside.md",
    "encoded dots": "content/ru/%2e%2e/%2e%2e/outside.md",
    "a hidden folder": "content/.git/config",
    "the site's settings": "samizdat.toml",
    "the git folder": ".git/config",
    "a drive letter": "C:/outside.md",
    "a control character": "content/ru/a\x00.md",
    "a symbolic link out": "content/ru/linked.md",
    "a folder that is a link": "content/linked/x.md",
}


@pytest.mark.parametrize("rel", OUTSIDE.values(), ids=OUTSIDE.keys())
def test_paths_outside_the_site_are_refused(site: Path, tmp_path: Path, rel: str) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: secret 4417\n---\nsecret 4417\n", encoding="utf-8")
    (site / "content/ru/linked.md").symlink_to(outside)
    (site / "content/linked").symlink_to(tmp_path)
    test = client(site)
    csrf = csrf_of(test.get("/pages").text)
    before, outside_before = tree_digest(site), outside.read_bytes()
    shown = test.get("/page", params={"path": rel})
    assert shown.status_code in (400, 404) and "secret 4417" not in shown.text
    for route in ("/page/save", "/page/translated"):
        answer = test.post(route, data={"csrf": csrf, "path": rel, "base": "", "body": "written 9921"})
        assert answer.status_code in (400, 404), route
    assert tree_digest(site) == before
    assert outside.read_bytes() == outside_before
    assert not any("written 9921" in p.read_text(errors="replace") for p in tmp_path.rglob("*.md") if p.is_file())


def accounts_file(tmp_path: Path, site: Path) -> Path:
    path = tmp_path / "private" / "accounts"
    add_account(path, site, "mina", "correct horse battery")
    return path


def test_logins_are_rate_limited(site: Path, tmp_path: Path) -> None:
    test = client(site, accounts=load_accounts(accounts_file(tmp_path, site), site))
    login = test.get("/login")
    csrf = csrf_of(login.text)
    for _ in range(FAILURES_ALLOWED):
        wrong = test.post("/login", data={"csrf": csrf, "name": "mina", "password": "guess"}, follow_redirects=False)
        assert wrong.status_code == 403
    blocked = test.post("/login", data={"csrf": csrf, "name": "mina", "password": "correct horse battery"},
                        follow_redirects=False)
    assert blocked.status_code == 429
    assert test.get("/pages", follow_redirects=False).status_code == 303


def test_a_right_password_logs_in_with_a_new_session(site: Path, tmp_path: Path) -> None:
    test = client(site, accounts=load_accounts(accounts_file(tmp_path, site), site))
    login = test.get("/login")
    before = test.cookies.get("samizdat_editor")
    answer = test.post("/login", data={"csrf": csrf_of(login.text), "name": "mina",
                                       "password": "correct horse battery"}, follow_redirects=False)
    assert answer.status_code == 303
    assert test.cookies.get("samizdat_editor") not in (None, before)
    assert test.get("/pages").status_code == 200


def test_one_time_link_guesses_are_rate_limited(site: Path) -> None:
    from starlette.testclient import TestClient

    app = create_app(Settings(site), watch=False)
    guesser = TestClient(app, base_url="http://127.0.0.1:8001")
    for _ in range(FAILURES_ALLOWED):
        assert guesser.get("/login?token=guess", follow_redirects=False).status_code == 403
    right = guesser.get(f"/login?token={app.state.editor.token.value}", follow_redirects=False)
    assert right.status_code == 403  # even the right token, once the address is blocked


def test_accounts_file_must_be_private_and_outside_the_site(site: Path, tmp_path: Path) -> None:
    path = accounts_file(tmp_path, site)
    assert path.stat().st_mode & 0o077 == 0
    assert "$argon2id$" in path.read_text() and "correct horse" not in path.read_text()
    os.chmod(path, 0o644)
    with pytest.raises(AccountsError, match="read by other users"):
        load_accounts(path, site)
    with pytest.raises(AccountsError, match="inside the site folder"):
        add_account(site / "accounts", site, "mina", "correct horse battery")
    assert not (site / "accounts").exists()


def test_host_without_accounts_is_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["edit", str(site), "--host", "0.0.0.0"]) == 1
    assert "needs accounts" in capsys.readouterr().err


def test_other_host_names_are_refused(site: Path) -> None:
    test = client(site)
    answer = test.get("/pages", headers={"host": "rebound.example:8001"})
    assert answer.status_code == 421


def test_uploads_are_bounded(site: Path) -> None:
    test = client(site, max_upload_bytes=100_000)
    csrf = csrf_of(test.get("/photos").text)
    before = tree_digest(site)
    answer = test.post("/photos/upload", data={"csrf": csrf}, files={"photo": ("big.jpg", b"\xff" * 200_000)})
    assert answer.status_code == 413
    assert tree_digest(site) == before


def test_sessions_expire() -> None:
    now = [0.0]
    sessions = Sessions(clock=lambda: now[0])
    idle, busy = sessions.new("a"), sessions.new("b")
    now[0] = IDLE_SECONDS - 1
    assert sessions.get(busy.sid) is busy
    now[0] = IDLE_SECONDS + 1
    assert sessions.get(idle.sid) is None
    for step in range(2, LIFETIME_SECONDS // (IDLE_SECONDS - 60) + 2):
        now[0] = step * (IDLE_SECONDS - 60)
        if now[0] > LIFETIME_SECONDS:
            assert sessions.get(busy.sid) is None
            break
        assert sessions.get(busy.sid) is busy
    else:
        pytest.fail("the session never reached its lifetime")


def test_pages_carry_the_strict_policy_and_no_inline_code(site: Path) -> None:
    test = client(site)
    for path in [p for p in GET_ROUTES if "pending" not in p and "preview" not in p] + ["/login"]:
        answer = test.get(path)
        policy = answer.headers["content-security-policy"]
        assert policy.startswith("default-src 'none'") and "unsafe" not in policy, path
        assert "frame-ancestors 'none'" in policy and answer.headers["x-content-type-options"] == "nosniff"
        tree = LexborHTMLParser(answer.text)
        assert all(node.attributes.get("src") for node in tree.css("script")), path
        assert not tree.css("style") and not tree.css("[style]"), path
        assert not [n for n in tree.css("*") if any(a.startswith("on") for a in n.attributes)], path


def test_the_dashboard_reads_nothing_through_a_folder_linked_out(site: Path, tmp_path: Path) -> None:
    """The dashboard lists the placeholders left in the site's files; a site from a stranger may bring
    `data/` as a link to a folder of the volunteer's, whose files it must not read (or show)."""
    elsewhere = tmp_path / "volunteer"
    elsewhere.mkdir()
    (elsewhere / "notes.md").write_text("<<TODO: private 5521>>\n", encoding="utf-8")
    shutil.rmtree(site / "data", ignore_errors=True)
    (site / "data").symlink_to(elsewhere, target_is_directory=True)
    dashboard = client(site).get("/")
    assert dashboard.status_code == 200
    assert "private 5521" not in dashboard.text
