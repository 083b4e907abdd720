"""Generated files by output path: those made in this process held in memory, the rest kept in the build
store by the sha256 of their bytes and read from it each time they are asked for.

A language's search index files are megabytes (a third of the 39 MB of a 10,000-page site's index), and
the feeds carry their entries' whole bodies (21 MB on a 3,000-page site): a build needs the bytes of few
of them. A one-edit build refiles a handful of chunks and makes again the feeds that list the edit, and
publishes only those, the rest being in the output already. Holding every file from its stage to
publication made these files the largest thing the build kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping

from samizdat.sealed import CacheDamaged

Reader = Callable[[str, str], bytes]  # (output path, sha256 of the bytes) → the bytes, from the build store


def checked(path: str, data: bytes, digest: str) -> bytes:
    """The bytes read back for `path` from the build store, if they hash to the sha256 it was filed under: any
    other bytes (a damaged or altered store) are CacheDamaged, never output."""
    if hashlib.sha256(data).hexdigest() != digest:
        raise CacheDamaged(f"a generated file in the build cache is not the one filed ({path})")
    return data


class StoredFiles(Mapping[str, bytes]):
    __slots__ = ("_digests", "_held", "_read", "_stored")

    def __init__(self, held: Mapping[str, bytes] | None = None, stored: Mapping[str, str] | None = None,
                 read: Reader | None = None, digests: Mapping[str, str] | None = None) -> None:
        """held: path → bytes; stored: path → sha256, read by `read`; digests: the held files' hashes where
        already known (a held file's is worked out when first asked for)."""
        self._held = dict(held or {})
        self._stored = {path: digest for path, digest in (stored or {}).items() if path not in self._held}
        if self._stored and read is None:
            raise ValueError("files kept in the store need a reader")
        self._read = read
        self._digests = {path: digest for path, digest in (digests or {}).items() if path in self._held}

    def __getitem__(self, path: str) -> bytes:
        data = self._held.get(path)
        if data is not None:
            return data
        digest = self._stored[path]
        assert self._read is not None
        return checked(path, self._read(path, digest), digest)

    def __contains__(self, path: object) -> bool:
        return path in self._held or path in self._stored

    def __iter__(self) -> Iterator[str]:
        yield from self._held
        yield from self._stored

    def __len__(self) -> int:
        return len(self._held) + len(self._stored)

    def digest(self, path: str) -> str:
        """sha256 of the file's bytes, as hex: what the output's manifest and the index's version take."""
        stored = self._stored.get(path)
        if stored is not None:
            return stored
        known = self._digests.get(path)
        if known is None:
            known = self._digests[path] = hashlib.sha256(self._held[path]).hexdigest()
        return known

    def held(self) -> dict[str, bytes]:
        """The files in memory: the ones made in this process and not yet filed in a store."""
        return dict(self._held)

    def stored(self) -> dict[str, str]:
        """path → sha256 of the files read from the store when asked for."""
        return dict(self._stored)

    def changed(self, made: Mapping[str, bytes], gone: frozenset[str] = frozenset()) -> StoredFiles:
        """These files with `made` held anew (replacing any of the same name) and `gone` left out."""
        keep = {path for path in self if path not in made and path not in gone}
        return StoredFiles({**{path: data for path, data in self._held.items() if path in keep}, **made},
                          {path: digest for path, digest in self._stored.items() if path in keep}, self._read,
                          {path: digest for path, digest in self._digests.items() if path in keep})

    def in_store(self, read: Reader) -> StoredFiles:
        """The same files, all read from the store by `read` once the held ones have been filed there."""
        return StoredFiles(stored={path: self.digest(path) for path in self}, read=read)

    @staticmethod
    def joined(parts: list[StoredFiles]) -> StoredFiles:
        """Several languages' files as one mapping (their paths never meet: each language has its folder)."""
        held: dict[str, bytes] = {}
        digests: dict[str, str] = {}
        stored: dict[str, str] = {}
        reads = [part._read for part in parts if part._stored]
        if any(read != reads[0] for read in reads):  # bound methods of one store are equal, not the same
            raise ValueError("files read from more than one store")
        for part in parts:
            held |= part._held
            digests |= part._digests
            stored |= part._stored
        return StoredFiles(held, stored, reads[0] if reads else None, digests)
