"""sha256 for the few small digests the "nothing changed" answer takes, without loading OpenSSL.

`hashlib` loads the OpenSSL library when imported, which costs that answer more than its digests do
(about 4 ms of 70). CPython also builds its own sha256 as a module of its own (`_sha256`, `_sha2` from
3.12): the same digests, taken from there where it exists. Anything hashing much data uses `hashlib`.
"""

from __future__ import annotations

try:
    from _sha256 import sha256  # type: ignore[import-not-found]
except ImportError:
    try:
        from _sha2 import sha256  # type: ignore[import-not-found, no-redef]
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment]

__all__ = ["sha256"]
