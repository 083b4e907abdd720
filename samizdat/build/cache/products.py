"""The image and document results in the build store: three tables of plain values beside the page tables.

`products`: a result's key ("image:<key>", "document:<key>"), its JSON value (a processed photo: sizes,
variants, masked regions; a cleaned document: nothing more) and the sha256 of each of its files, which
are in the folder beside the store (samizdat/products.py). `product_files`: each kept file's stat
data when its bytes last hashed right, so an unchanged file is not read again. `product_sources`: the
digest of every image and document the build read, and of every file it published, by path and stat
data. `clean_files`: the digests of the published files that images/verify.py read back clean, with
the reader that did.

The tables are made when first needed, so a store written before them is used as it is.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import suppress
from pathlib import Path

from samizdat.build.cache.store import FORMAT, Store, execute_script, store_path
from samizdat.engine import engine_id
from samizdat.products import ProductBook, ProductFolder, StatKey, folder_for, is_digest, transient_book
from samizdat.sealed import CacheDamaged

TABLES = """
CREATE TABLE IF NOT EXISTS products (key TEXT PRIMARY KEY, value TEXT NOT NULL, files TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS product_files (digest TEXT PRIMARY KEY, stat TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS product_sources (path TEXT PRIMARY KEY, stat TEXT NOT NULL, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS clean_files (digest TEXT PRIMARY KEY, reader TEXT NOT NULL);
"""


def open_products(store: Store, site_root: Path) -> ProductBook:
    """The last build's results, with the files beside the store. For `Store(None)` (the dev server) the
    rows `samizdat build` saved for this site are read once, if there are any, and then kept in memory:
    serving a site starts without processing its photos again, and never writes the store."""
    if store.db is None or store.path is None:
        return _read_only(site_root)
    folder = folder_for(site_root)
    try:
        _make_tables(store)
        return _book(store, folder)
    except CacheDamaged as exc:
        store.discard(exc)
        with suppress(CacheDamaged):  # a store that cannot be written: this build keeps nothing new
            _make_tables(store)
        return ProductBook(ProductFolder(folder))


def _book(store: Store, folder: Path) -> ProductBook:
    results = {_text(key): (_text(value), _digests(files))
               for key, value, files in store.rows("SELECT key, value, files FROM products")}
    verified = {_digest(digest): _stat(stat) for digest, stat in store.rows("SELECT digest, stat FROM product_files")}
    sources = {_text(path): (_stat(stat), _digest(digest))
               for path, stat, digest in store.rows("SELECT path, stat, digest FROM product_sources")}
    clean = {_digest(digest): _text(reader) for digest, reader in store.rows("SELECT digest, reader FROM clean_files")}
    return ProductBook(ProductFolder(folder, verified), results, sources, clean=clean)


def _read_only(site_root: Path) -> ProductBook:
    path = store_path(site_root)
    if not path.is_file():
        return transient_book(site_root)
    try:
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return transient_book(site_root)
    try:
        store = Store(db, path)
        if store.rows("SELECT value FROM meta WHERE name = 'format'") != [(f"{engine_id()}.{FORMAT}",)]:
            return transient_book(site_root)  # another version's rows mean something else
        return _book(store, folder_for(site_root))
    except CacheDamaged:  # another version's store, or a damaged one: `samizdat build` deals with it
        return transient_book(site_root)
    finally:
        db.close()


def save_products(book: ProductBook, db: sqlite3.Connection) -> int:
    """Rewrite the rows from what this build used, and prune the files no kept result names."""
    book.finish()
    if not book.changed:
        return 0
    kept = book.kept_files()
    db.execute("DELETE FROM products")
    db.executemany("INSERT INTO products VALUES (?, ?, ?)",
                   [(key, value, json.dumps(files)) for key, (value, files) in book.results.items()])
    db.execute("DELETE FROM product_files")
    db.executemany("INSERT INTO product_files VALUES (?, ?)",
                   [(digest, json.dumps(stat)) for digest, stat in book.folder.verified.items() if digest in kept])
    db.execute("DELETE FROM product_sources")
    db.executemany("INSERT INTO product_sources VALUES (?, ?, ?)",
                   [(path, json.dumps(stat), digest) for path, (stat, digest) in book.sources.items()])
    db.execute("DELETE FROM clean_files")
    db.executemany("INSERT INTO clean_files VALUES (?, ?)", sorted(book.clean.items()))
    book.changed = False
    return book.folder.prune(kept)


def _make_tables(store: Store) -> None:
    assert store.db is not None
    try:
        execute_script(store.db, TABLES)
    except sqlite3.Error as exc:
        raise CacheDamaged(f"the build cache cannot be written ({exc})") from exc


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise CacheDamaged("an image or document result does not have the shape samizdat writes")
    return value


def _digest(value: object) -> str:
    if not is_digest(value):
        raise CacheDamaged("a file digest does not have the shape samizdat writes")
    return str(value)


def _digests(value: object) -> tuple[str, ...]:
    try:
        files = json.loads(_text(value))
    except ValueError as exc:
        raise CacheDamaged("an image or document result does not have the shape samizdat writes") from exc
    if not isinstance(files, list):
        raise CacheDamaged("an image or document result does not have the shape samizdat writes")
    return tuple(_digest(digest) for digest in files)


def _stat(value: object) -> StatKey:
    try:
        stat = json.loads(_text(value))
    except ValueError as exc:
        raise CacheDamaged("a file's stat data does not have the shape samizdat writes") from exc
    if not (isinstance(stat, list) and len(stat) == 4 and all(type(n) is int for n in stat)):
        raise CacheDamaged("a file's stat data does not have the shape samizdat writes")
    return (stat[0], stat[1], stat[2], stat[3])
