"""Cleaned PDFs (and videos), one per source content and cleaning engine, kept with the build's other results.

A rebuild with nothing changed opens no PDF to clean it. The cleaned copies are files named by their
sha256 in the folder beside the build store (samizdat/products.py), each hashed again before use unless
its stat data says it was not written since; copies no build used are pruned. Nothing is read from the
site's `.samizdat-cache/`.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from samizdat.products import ProductBook

ENGINE_VERSION = "1"  # raise when pdf.py changes what it writes, so old entries are not reused
KIND = "document:"


@functools.cache
def pdf_operation() -> str:
    """What cleans a PDF: pdf.py's version and pikepdf's, imported only when a site publishes a PDF."""
    import pikepdf

    return f"pdf {ENGINE_VERSION}\n{pikepdf.__version__}\n{pikepdf.__libqpdf_version__}"


class DocumentCache:
    def __init__(self, book: ProductBook) -> None:
        self.book = book

    def key(self, source: Path, operation: str = "") -> str:
        """The result's key: the source's bytes and what cleans them (`operation`; a PDF's by default)."""
        operation = operation or pdf_operation()
        return KIND + hashlib.sha256(f"{self.book.digest(source)}\n{operation}".encode()).hexdigest()

    def cleaned(self, key: str) -> Path | None:
        """The cleaned copy made for this key, its bytes checked; None: clean the source again."""
        found = self.book.find(key)
        if found is None or len(found[1]) != 1:
            return None
        return next(iter(found[1].values()))

    def staging(self) -> Path:
        """Where a cleaner writes (a name of its own), before store() moves it into place."""
        return self.book.folder.staging()

    def store(self, key: str, made: Path) -> Path:
        digest = self.book.folder.put(made)
        self.book.keep(key, {}, [digest])
        return self.book.folder.folder / digest
