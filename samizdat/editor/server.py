"""`samizdat edit`: check how it may be reached, print the way in, and serve the editor with uvicorn."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from samizdat.config import load_config
from samizdat.editor.auth import add_account, load_accounts
from samizdat.errors import SamizdatError

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def run(site_root: Path, host: str, port: int, accounts_file: Path | None, public_names: tuple[str, ...]) -> None:
    import uvicorn

    from samizdat.editor.app import Settings, create_app

    load_config(site_root)  # a folder that is not a site fails here, with the config's own error
    accounts = load_accounts(accounts_file, site_root) if accounts_file else None
    if host not in LOOPBACK and accounts is None:
        raise SamizdatError(f"--host {host} makes the editor reachable from other machines, so it needs accounts",
                            hint="add one with --accounts FILE --add-account NAME, then start with --accounts FILE "
                                 "(and put the editor behind HTTPS: see docs/editor.md)")
    app = create_app(Settings(site_root.resolve(), host, port, accounts, public_names))
    editor = app.state.editor
    if accounts is None:
        print(f"open this link to edit {site_root} (it works once):\n    {editor.login_url()}", file=sys.stderr)
    else:
        print(f"editing {site_root} at http://{host}:{port}/ for {len(accounts.hashes)} account(s)", file=sys.stderr)
    try:
        # proxy_headers: behind the group's HTTPS proxy on this machine, rate limits count each real address.
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True,
                    forwarded_allow_ips="127.0.0.1")
    finally:
        editor.preview.close()


def add_account_interactively(accounts_file: Path, site_root: Path, name: str) -> None:
    if sys.stdin.isatty():
        password = getpass.getpass(f"password for {name}: ")
        if getpass.getpass("the same again: ") != password:
            raise SamizdatError("the two passwords differ; nothing was written", hint="try again")
    else:
        password = sys.stdin.readline().rstrip("\n")
    add_account(accounts_file, site_root, name, password)
    print(f"account {name} saved in {accounts_file} (readable by you only)")
