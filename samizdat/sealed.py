"""Cache files that can neither run code nor be forged: JSON and raw bytes, sealed with this computer's key.

A site folder comes from strangers (a pull request, a ZIP), and so may its .samizdat-cache/. Pickle and
marshal run code while loading, so the caches hold only a JSON header and byte strings at offsets it
gives: reading one executes nothing, whatever it holds.

Plain data could still carry different HTML than the page's sources render to. Content hashes cannot
catch that without rendering the page again, which is the work the cache saves, so every file carries
an HMAC-SHA256 made with a random key kept outside the site folder, in the user's cache folder
(readable by the user only). A file not sealed with that key (planted, edited, cut short, made on
another computer or by another user) is thrown away, and the build starts cold.

Layout: MAGIC, the 32-byte MAC, the header's length (8 bytes, little-endian), the header (JSON:
{"blobs": [length, …], "index": …}), then the blobs one after another.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

MAGIC = b"samizdat-cache 1\n"
MAC_SIZE = 32
KEY_SIZE = 32
KEY_NAME = "cache-key"


class CacheDamaged(Exception):
    """A cache file that was not written, as it is, by samizdat on this computer."""


def key_path() -> Path:
    """$XDG_CACHE_HOME/samizdat/cache-key, else ~/.cache/samizdat/cache-key: never in a site folder."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "samizdat" / KEY_NAME


def machine_key() -> bytes | None:
    """This user's key, made on first use; None when it cannot be kept (then caches stay in memory)."""
    return _key_at(key_path())


@cache
def _key_at(path: Path) -> bytes | None:
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = _new_key(path)
    except OSError:
        return None
    return key if key is not None and len(key) == KEY_SIZE else None


def _new_key(path: Path) -> bytes | None:
    """Written beside its place and linked in, so two builds starting at once agree on one key."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temp = path.with_name(f".{KEY_NAME}.{os.getpid()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(secrets.token_bytes(KEY_SIZE))
        try:
            os.link(temp, path)
        except FileExistsError:
            pass  # another build made it first: use theirs
        finally:
            temp.unlink(missing_ok=True)
        return path.read_bytes()
    except OSError:
        return None


Blob = bytes | memoryview


def write_sealed(path: Path, key: bytes, index: Any, blobs: Sequence[Blob] = ()) -> None:
    """Replace `path` in one step with the index (plain JSON values) and the blobs it refers to by number."""
    header = json.dumps({"blobs": [len(blob) for blob in blobs], "index": index},
                        ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    body = [len(header).to_bytes(8, "little"), header, *blobs]
    mac = hmac.new(key, path.name.encode("utf-8"), "sha256")
    for part in body:
        mac.update(part)
    # A name of its own per writer: a dev server's rebuild and a build started beside it may seal the
    # same file at once, and a shared temporary name let one rename the other's half away.
    temp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    try:
        with temp.open("wb") as file:
            file.write(MAGIC + mac.digest())
            for part in body:
                file.write(part)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def read_sealed(path: Path, key: bytes) -> tuple[Any, list[memoryview]] | None:
    """(index, blobs) as written; None when there is no such file; CacheDamaged for anything else.
    The blobs are views of the file's bytes: text is decoded from them without a copy in between."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CacheDamaged(f"{path.name} cannot be read ({exc.strerror})") from exc
    start = len(MAGIC) + MAC_SIZE
    if not data.startswith(MAGIC) or len(data) < start + 8:
        raise CacheDamaged(f"{path.name} is not a samizdat cache file")
    body = memoryview(data)[start:]
    mac = hmac.new(key, path.name.encode("utf-8"), "sha256")
    mac.update(body)
    if not hmac.compare_digest(mac.digest(), data[len(MAGIC):start]):
        raise CacheDamaged(f"{path.name} was changed or not made on this computer")
    return _unpack(body, path.name)


def _unpack(body: memoryview, name: str) -> tuple[Any, list[memoryview]]:
    length = int.from_bytes(body[:8], "little")
    try:
        header = json.loads(bytes(body[8:8 + length]))
        lengths, index = header["blobs"], header["index"]
        if not all(type(size) is int and size >= 0 for size in lengths):
            raise ValueError("blob lengths")
    except (ValueError, KeyError, TypeError) as exc:
        raise CacheDamaged(f"{name} has a header samizdat cannot read") from exc
    blobs, offset = [], 8 + length
    for size in lengths:
        blobs.append(body[offset:offset + size])
        offset += size
    if offset != len(body):
        raise CacheDamaged(f"{name} does not end where its header says")
    return index, blobs
