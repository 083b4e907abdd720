"""`.gz` and `.br` beside each text file, for servers that send them as they are (nginx `gzip_static`,
`brotli_static`): the server compresses nothing per request, and the files get the slowest, best settings.

Brotli comes from the `brotli` package (Google's reference encoder): Python has no Brotli of its own, and
`.br` files are about a fifth smaller than `.gz` for HTML. Both outputs are byte-for-byte reproducible
(gzip's stored time is 0).
"""

from __future__ import annotations

import gzip
import posixpath
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli

TEXT_EXTENSIONS = frozenset({
    ".html", ".css", ".js", ".mjs", ".svg", ".xml", ".atom", ".rss", ".json", ".webmanifest", ".txt", ".ics",
    ".map", ".csv", ".md",
})


def is_text(rel: str) -> bool:
    return posixpath.splitext(rel)[1].lower() in TEXT_EXTENSIONS


def compressed_versions(rel: str, data: bytes) -> dict[str, bytes]:
    """`rel.gz` and `rel.br`, each only when it is smaller than the file itself."""
    candidates = {
        rel + ".gz": gzip.compress(data, compresslevel=9, mtime=0),
        rel + ".br": brotli.compress(data, mode=brotli.MODE_TEXT, quality=11),
    }
    return {name: packed for name, packed in candidates.items() if len(packed) < len(data)}


def precompress(pages: Mapping[str, bytes], copies: Mapping[str, Path]) -> dict[str, bytes]:
    """Compressed versions of every text file of the site, rendered or copied."""
    sources: dict[str, bytes | Path] = {rel: path for rel, path in copies.items() if is_text(rel)}
    sources |= {rel: data for rel, data in pages.items() if is_text(rel)}

    def one(item: tuple[str, bytes | Path]) -> dict[str, bytes]:
        rel, source = item
        data = source.read_bytes() if isinstance(source, Path) else source
        return compressed_versions(rel, data)

    # zlib and brotli release the GIL while they work, so threads use every core.
    result: dict[str, bytes] = {}
    with ThreadPoolExecutor() as pool:
        for versions in pool.map(one, sorted(sources.items())):
            result |= versions
    return result
