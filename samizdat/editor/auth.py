"""Who may use the editor: a one-time link on this computer, accounts when reachable from others.

On 127.0.0.1 the terminal prints a link with a random token (as Jupyter does); opening it once trades
the token for a session cookie, and the link stops working. With --host, people log in with a name and
a password checked against argon2id hashes in an accounts file. Sessions live in memory only: they
expire when idle, after a fixed time, and when the editor stops. Failed logins are rate-limited per
address and per name, so a password cannot be guessed at network speed.
"""

from __future__ import annotations

import hmac
import os
import secrets
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from samizdat.errors import SamizdatError, SourceLocation

COOKIE = "samizdat_editor"
IDLE_SECONDS = 2 * 3600  # a session unused this long is over: a laptop left open in a café
LIFETIME_SECONDS = 12 * 3600  # and every session ends after a working day, used or not
FAILURES_ALLOWED = 5  # failed logins per address (and per name) within the window...
FAILURE_WINDOW_SECONDS = 15 * 60  # ...before further tries are refused until the window passes
MAX_SESSIONS = 1000  # anonymous sessions (the login form's) are made on request: bounded memory


class AccountsError(SamizdatError):
    """The accounts file is missing, unsafe or damaged."""


@dataclass
class Session:
    sid: str
    csrf: str
    user: str | None  # None: not logged in yet (the login form's session, for its CSRF token)
    created: float
    seen: float


@dataclass
class Sessions:
    clock: Callable[[], float] = time.monotonic
    _by_id: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def new(self, user: str | None) -> Session:
        now = self.clock()
        session = Session(secrets.token_urlsafe(32), secrets.token_urlsafe(32), user, now, now)
        with self._lock:
            self._forget_expired(now)
            if len(self._by_id) >= MAX_SESSIONS:  # only anonymous ones can pile up: drop the oldest
                anonymous = sorted((s for s in self._by_id.values() if s.user is None), key=lambda s: s.seen)
                for old in anonymous[: len(anonymous) // 2 + 1]:
                    del self._by_id[old.sid]
            self._by_id[session.sid] = session
        return session

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        now = self.clock()
        with self._lock:
            session = self._by_id.get(sid)
            if session is None:
                return None
            if now - session.seen > IDLE_SECONDS or now - session.created > LIFETIME_SECONDS:
                del self._by_id[sid]
                return None
            session.seen = now
            return session

    def end(self, sid: str) -> None:
        with self._lock:
            self._by_id.pop(sid, None)

    def _forget_expired(self, now: float) -> None:
        for sid in [sid for sid, s in self._by_id.items()
                    if now - s.seen > IDLE_SECONDS or now - s.created > LIFETIME_SECONDS]:
            del self._by_id[sid]


@dataclass
class OneTimeToken:
    """The token of the link printed in the terminal: good once, compared in constant time."""

    value: str | None = field(default_factory=lambda: secrets.token_urlsafe(32))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def redeem(self, offered: str) -> bool:
        with self._lock:
            if self.value is None or not hmac.compare_digest(self.value.encode(), offered.encode()):
                return False
            self.value = None
            return True


@dataclass
class LoginLimiter:
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def blocked(self, *keys: str) -> float:
        """Seconds until these keys may try again; 0 when they may now."""
        now = self.clock()
        with self._lock:
            waits = []
            for key in keys:
                recent = [t for t in self._failures.get(key, []) if now - t < FAILURE_WINDOW_SECONDS]
                self._failures[key] = recent
                if len(recent) >= FAILURES_ALLOWED:
                    waits.append(FAILURE_WINDOW_SECONDS - (now - recent[0]))
            return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, []).append(now)


@dataclass(frozen=True)
class Accounts:
    """name → argon2id hash, from a file of `name:hash` lines."""

    hashes: dict[str, str]

    def check(self, name: str, password: str) -> bool:
        from argon2 import PasswordHasher
        from argon2.exceptions import Argon2Error

        stored = self.hashes.get(name)
        try:
            # An unknown name still costs one hash, so timing does not tell which names exist.
            PasswordHasher().verify(stored or _DUMMY_HASH(), password)
        except Argon2Error:
            return False
        return stored is not None


def _dummy_hash() -> Callable[[], str]:
    cached: list[str] = []

    def get() -> str:
        if not cached:
            from argon2 import PasswordHasher

            cached.append(PasswordHasher().hash(secrets.token_urlsafe(16)))
        return cached[0]

    return get


_DUMMY_HASH = _dummy_hash()


def load_accounts(path: Path, site_root: Path) -> Accounts:
    safe_file(path, site_root)
    hashes = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, colon, digest = line.partition(":")
        if not colon or not digest.startswith("$argon2"):
            raise AccountsError("a line of the accounts file is not `name:argon2 hash`", SourceLocation(path, number),
                                hint="add accounts with: samizdat edit --accounts FILE --add-account NAME")
        hashes[name.strip()] = digest.strip()
    if not hashes:
        raise AccountsError("the accounts file holds no account", SourceLocation(path),
                            hint="add one with: samizdat edit --accounts FILE --add-account NAME")
    return Accounts(hashes)


def safe_file(path: Path, site_root: Path) -> None:
    """The accounts file must not be published or committed with the site, nor readable by others."""
    if path.resolve().is_relative_to(site_root.resolve()):
        raise AccountsError("the accounts file is inside the site folder, so it would be committed and published",
                            SourceLocation(path), hint="keep it outside the site, e.g. ~/.config/samizdat/accounts")
    if not path.is_file():
        raise AccountsError("the accounts file does not exist", SourceLocation(path),
                            hint="add an account with: samizdat edit --accounts FILE --add-account NAME")
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AccountsError("the accounts file can be read by other users of this computer", SourceLocation(path),
                            hint=f"chmod 600 {path}")


def add_account(path: Path, site_root: Path, name: str, password: str) -> None:
    """Add or replace one account; the file is created readable by its owner only."""
    from argon2 import PasswordHasher

    if not name or ":" in name or any(c.isspace() for c in name):
        raise AccountsError(f"the account name {name!r} may not be empty or hold ':' or spaces",
                            hint="e.g. --add-account mina")
    if len(password) < 10:
        raise AccountsError("the password is shorter than 10 characters", hint="choose a longer one")
    if path.resolve().is_relative_to(site_root.resolve()):
        safe_file(path, site_root)  # refuses, with the reason
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    lines = [line for line in lines if line.partition(":")[0].strip() != name]
    lines.append(f"{name}:{PasswordHasher().hash(password)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(path, 0o600)
