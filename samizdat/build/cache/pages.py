"""Rendered pages kept between builds, keyed by their signatures (signatures.py) and the reads they made.

On disk they are rows of the store's `pages` table (store.py), written only for the pages rendered
anew and removed for pages that are gone; the dev server keeps the same objects in memory.

Opening the table reads only what deciding about a page takes: its signature, reads and scripts, and
what the later stages ask of every page without its bytes (the hash of its HTML, the policy tag it
carries, whether it shows an image). Its HTML, body and search entry are read from the store when a
stage asks for that page's (a one-edit build reads a handful; `search_entries` the entries of the pages
of a language whose index is filed again). The hash of each entry is read with the small facts: it is
all the search stage needs of a language none of whose entries changed.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

from samizdat.build.cache.reads import ReadBook
from samizdat.build.cache.signatures import UrlTable
from samizdat.build.cache.store import Store
from samizdat.build.cache.templates import TemplateCode
from samizdat.collector import gc_paused
from samizdat.sealed import CacheDamaged

# The policy tag the security stage looks for (build/finishing.py: secure). Its content never holds a
# quote, so each tag in a page is exactly one match.
_POLICY_TAG = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_NO_CONTENT = hashlib.sha256(b"").digest()  # the content hash of a page that keeps no body


def policy_tags(html: bytes) -> tuple[str, ...]:
    return tuple(sorted({tag.decode("utf-8") for tag in _POLICY_TAG.findall(html)}))


def shows_media(html: bytes) -> bool:
    """What makes the image stage look at a page: without an <img> tag, whose name it reads in any case
    (images/rewrite.py), or a share picture's og:image/twitter:image (images/share.py), it hands the page on
    as it is. A page written <Img …> and nothing else was taken for one without. Lowering the case costs
    what the three searches it replaces did (about 20 µs for an 8 KB page)."""
    return b"<img" in html.lower() or b":image" in html


class FinalPage:
    """A rendered page as the cache keeps it: its links already cleaned and hardened.

    html: the page; content: the body HTML, kept for listed pages (feeds and calendars carry it);
    scripts: hashes of the page's inline scripts, for the security policy; reads: what it read while
    rendering, as numbers in the ReadBook; search: what the search index takes of it, as one string
    (search/entry.py), "" when not searchable. A page read from the store holds only the small facts
    until a stage asks for its HTML, body or entry (`_loader`)."""

    __slots__ = (
        "_content",
        "_content_hash",
        "_digest",
        "_html",
        "_loader",
        "_search",
        "_search_hash",
        "has_content",
        "media",
        "policy",
        "reads",
        "scripts",
    )

    def __init__(self, html: bytes, content: str, scripts: tuple[str, ...], reads: tuple[int, ...] = (),
                 search: str = "") -> None:
        self._html: bytes | None = html
        self._content: str | None = content
        self._search: str | None = search
        self._digest: str | None = None
        self._content_hash: bytes | None = None
        self._search_hash: bytes | None = None
        self.scripts, self.reads = scripts, reads
        self.policy = policy_tags(html)  # the Content-Security-Policy tags it carries
        self.media = shows_media(html)  # whether the image stage has anything to look at in it
        self.has_content = bool(content)
        self._loader: _RowLoader | None = None

    @classmethod
    def stored(cls, loader: _RowLoader, scripts: tuple[str, ...], reads: tuple[int, ...], digest: str,
               policy: tuple[str, ...], media: bool, content_hash: bytes, search_hash: bytes) -> FinalPage:
        page = cls.__new__(cls)
        page._html = page._content = page._search = None
        page._search_hash = search_hash
        page._digest, page.scripts, page.reads = digest, scripts, reads
        page._content_hash, has_content = content_hash, content_hash != _NO_CONTENT
        page.policy, page.media, page.has_content, page._loader = policy, media, has_content, loader
        return page

    @property
    def html(self) -> bytes:
        if self._html is None:
            assert self._loader is not None
            self._html = self._loader.html()
        return self._html

    def read_html(self) -> bytes:
        """The HTML, without keeping it in memory when it comes from the store: the writer reads each page
        once, and keeping them all would hold the whole site again."""
        if self._html is not None:
            return self._html
        assert self._loader is not None
        return self._loader.html()

    @property
    def content(self) -> str:
        if self._content is None:
            assert self._loader is not None
            self._content = self._loader.content() if self.has_content else ""
        return self._content

    def read_content(self) -> str:
        """The body HTML, without keeping it in memory when it comes from the store: the feeds read the
        bodies of the pages they list, and kept they held 8 MB at 3,000 files of the linked profile."""
        if self._content is not None:
            return self._content
        assert self._loader is not None
        return self._loader.content() if self.has_content else ""

    @property
    def search(self) -> str:
        if self._search is None:
            assert self._loader is not None
            self._search = self._loader.search()
        return self._search

    @property
    def digest(self) -> str:
        """sha256 of the HTML: what the output's manifest says of a file that holds it."""
        if self._digest is None:
            self._digest = hashlib.sha256(self.html).hexdigest()
        return self._digest

    @property
    def content_hash(self) -> bytes:
        """sha256 of the body HTML's UTF-8: what a feed's inputs hash (outputs/syndication.py)."""
        if self._content_hash is None:
            self._content_hash = hashlib.sha256(self.content.encode()).digest()
        return self._content_hash

    @property
    def search_hash(self) -> bytes:
        """sha256 of the search entry's UTF-8: what a language's index files are kept under (search/stage.py)."""
        if self._search_hash is None:
            self._search_hash = hashlib.sha256(self.search.encode()).digest()
        return self._search_hash

    @property
    def loaded(self) -> bool:
        """Whether the HTML is in memory (always, for a page rendered by this process)."""
        return self._html is not None

    def without_content(self) -> FinalPage:
        """The same page without its body HTML, for a page no feed or calendar lists."""
        page = FinalPage(self.html, "", self.scripts, self.reads, self.search)
        page._digest, page._search_hash = self._digest, self._search_hash
        return page

    def known_search(self, entry: str) -> None:
        """The entry read for it with every other (RenderCache.search_entries)."""
        if self._search is None:
            self._search = entry

    def forget_search(self) -> None:
        """The entry may go from memory: the search stage has filed it, and the store still holds it."""
        if self._loader is not None:
            self._search = None


class _RowLoader:
    """Reads one page's large columns when they are first asked for. By the row's number, not its output
    path: a page rendered anew moves its old row aside (RenderCache.file), which this build may still read."""

    __slots__ = ("row", "store")

    def __init__(self, store: Store, row: int) -> None:
        self.store, self.row = store, row

    def _column(self, column: str) -> object:
        rows = self.store.rows(f"SELECT {column} FROM pages WHERE rowid = ?", (self.row,))
        if not rows:
            raise CacheDamaged("a rendered page went missing from the build cache")
        return rows[0][0]

    def html(self) -> bytes:
        value = self._column("html")
        if not isinstance(value, bytes):
            raise CacheDamaged("a rendered page does not have the shape samizdat writes (html)")
        return value

    def content(self) -> str:
        value = self._column("content")
        try:
            if not isinstance(value, bytes):
                raise ValueError("content")
            return value.decode("utf-8")
        except (ValueError, UnicodeDecodeError) as exc:
            raise CacheDamaged("a rendered page does not have the shape samizdat writes (content)") from exc

    def search(self) -> str:
        value = self._column("search")
        if not isinstance(value, str):
            raise CacheDamaged("a rendered page does not have the shape samizdat writes (search)")
        return value


@dataclass
class RenderCache:
    store: Store
    book: ReadBook = field(default_factory=ReadBook)
    entries: dict[str, tuple[str, FinalPage]] = field(default_factory=dict)  # output path → (signature, page)
    dirty: set[str] = field(default_factory=set)  # output paths whose row must be written or removed
    # Output path → (page object, site-wide inputs…, signature); lives as long as this object (see render_stage).
    signature_memo: dict[str, tuple[object, ...]] = field(default_factory=dict)
    # The pages a template makes alone, by the site-wide inputs and their arguments → (each read they made
    # with its answer, their HTML): in memory only (build/render_stage.py: _KeptSpecials).
    special_memo: dict[str, tuple[tuple[tuple[tuple[str, ...], str], ...], bytes]] = field(default_factory=dict)
    # Every page's line of the URL table, kept while the page is the same object (signatures.py)
    url_table: UrlTable = field(default_factory=UrlTable)
    # The Python Jinja2 made of each template, kept as text (build/cache/templates.py)
    templates: TemplateCode = field(default_factory=lambda: TemplateCode(Store(None)))
    # Output path → the page this object held there before the last replace_all put another in its place
    replaced: dict[str, FinalPage] = field(default_factory=dict)
    # Read number → how many kept pages made it, while this object lives: a save of 10,000 pages counted
    # every page's reads again (200,000 of them) to find the few that no page makes any more.
    _uses: Counter[int] | None = None
    # Output path → the page whose row `file` wrote into the store's open transaction: save() passes over it
    _filed: dict[str, FinalPage] = field(default_factory=dict)
    _aside: list[str] = field(default_factory=list)  # the names the rows they replaced were moved to

    def file(self, path: str, signature: str, page: FinalPage) -> FinalPage:
        """The page's row, written now into the transaction the build commits once its site is published
        (Store.begin), and the page as read from the store: the small facts in memory, the bytes on the
        disk until a stage asks for them. A cold build of 10,000 pages held about 200 MB of them until it
        saved. Where the store keeps nothing (the dev server), the page as it is."""
        if path in self._filed or not self.store.begin():
            return page
        if path in self.entries:  # its old row stays readable by its number until the save (search/stage.py)
            aside = _ASIDE + path
            self.store.file("UPDATE pages SET output = ? WHERE output = ?", (aside, path))
            self._aside.append(aside)
        row = self.store.file(_INSERT, _row(path, signature, page))
        stored = FinalPage.stored(_RowLoader(self.store, row), page.scripts, page.reads, page.digest, page.policy,
                                  page.media, page.content_hash, page.search_hash)
        self._filed[path] = stored
        return stored

    @classmethod
    def open(cls, store: Store) -> RenderCache:
        try:
            texts: dict[object, tuple[str, ...]] = {}  # most pages carry the same scripts and policy tag
            with gc_paused():  # tens of thousands of rows, each a few new objects: nothing for the collector
                book = ReadBook.load(store)
                # typeof() and length() are read from the row's header: the large values themselves are not
                rows = store.rows("SELECT output, signature, scripts, reads, digest, policy, media, content_hash, "
                                  "search_hash, typeof(search) || typeof(content) || typeof(html), rowid FROM pages")
                held = book.numbers_held()
                entries = {str(row[0]): _unpack(row, held, store, texts) for row in rows}
        except CacheDamaged as exc:
            store.discard(exc)
            book, entries = ReadBook(), {}
        return cls(store, book, entries, templates=TemplateCode.open(store))

    def get(self, output_path: str, signature: str) -> FinalPage | None:
        entry = self.entries.get(output_path)
        if entry is None or entry[0] != signature:
            return None
        return entry[1]

    def replace_all(self, entries: dict[str, tuple[str, FinalPage]]) -> None:
        """What this build rendered: entries of pages that are gone are dropped with it, and so are
        reads no page made any more."""
        old = self.entries
        changed = [key for key, (_, page) in entries.items() if (known := old.get(key)) is None or known[1] is not page]
        gone = old.keys() - entries.keys()
        self.dirty.update(changed, gone)
        self.replaced = {key: old[key][1] for key in changed if key in old}
        self.entries = entries
        uses = self._uses
        if uses is None and self.store.db is not None and _FEW * len(changed) < len(entries):
            # `samizdat build`, a few pages rendered anew: the reads to drop are those whose answer changed,
            # which no page made again (ReadBook.drop_broken); counting every page's reads (200,000 at 10,000
            # pages) would find, besides them, the reads no page makes any more whose answers still hold.
            # Those may stay until a build that renders many pages counts them (below).
            self.book.drop_broken()
            return
        if uses is None:  # every kept page's reads, counted in C
            uses = self._uses = Counter(chain.from_iterable(page.reads for _, page in entries.values()))
        else:  # the dev server's next save: only the pages that are not the same objects change the counts
            _count(uses, (old[key][1] for key in (*changed, *gone) if key in old), -1)
            _count(uses, (entries[key][1] for key in changed), 1)
        self.book.keep(uses.keys())

    def search_entries(self, pages: Iterable[FinalPage]) -> None:
        """The search entries of these pages that are not in memory yet, read a few hundred to a query (the
        search stage takes all of a language's entries when it files that language again)."""
        by_row = {page._loader.row: page for page in pages if page._search is None and page._loader is not None}
        if not by_row or self.store.db is None:
            return
        for row, entry in self.store.rows_in("SELECT rowid, search FROM pages WHERE rowid IN ({})", sorted(by_row)):
            if not isinstance(entry, str) or row not in by_row:
                raise CacheDamaged("a rendered page does not have the shape samizdat writes (search)")
            by_row[row].known_search(entry)

    def save(self, db: sqlite3.Connection) -> None:
        """The changed rows, in the caller's transaction."""
        for aside in self._aside:
            db.execute("DELETE FROM pages WHERE output = ?", (aside,))
        for path in sorted(self.dirty):
            entry = self.entries.get(path)
            if entry is None:
                db.execute("DELETE FROM pages WHERE output = ?", (path,))
                continue
            signature, page = entry
            if self._filed.get(path) is not page:
                db.execute(_INSERT, _row(path, signature, page))
        self.book.save(db)
        self.templates.save(db)
        self.dirty, self._filed, self._aside = set(), {}, []


_FEW = 4  # a build that renders fewer than a page in this many drops only the reads that broke (replace_all)
_ASIDE = "\0"  # + output path: an old row moved aside (no output path holds a NUL)
_INSERT = "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def _row(path: str, signature: str, page: FinalPage) -> tuple[object, ...]:
    return (path, signature, json.dumps(page.scripts), array("q", page.reads).tobytes(), page.digest,
            json.dumps(page.policy), int(page.media), page.content_hash, page.search_hash, page.search,
            page.content.encode("utf-8"), page.html)


def _unpack(row: tuple[object, ...], held: set[int], store: Store,
            texts: dict[object, tuple[str, ...]]) -> tuple[str, FinalPage]:
    """The row as save() wrote it; CacheDamaged for anything save() cannot have written."""
    _output, signature, scripts_text, reads, digest, policy_text, media, content_hash, search_hash, types, rowid = row
    try:
        if types != "textblobblob":
            raise ValueError("a column of the wrong type")
        if not (isinstance(signature, str) and isinstance(scripts_text, str) and isinstance(reads, bytes)
                and isinstance(digest, str) and len(digest) == 64 and isinstance(policy_text, str)
                and media in (0, 1) and isinstance(content_hash, bytes) and len(content_hash) == 32
                and isinstance(search_hash, bytes) and len(search_hash) == 32):
            raise ValueError("a column of the wrong type")
        scripts, policy = _texts(scripts_text, texts), _texts(policy_text, texts)
        numbers = tuple(array("q", reads))
        if not held.issuperset(numbers):
            raise ValueError("a read that is not in the book")
        if not isinstance(rowid, int):
            raise ValueError("a row number of the wrong type")
        loader = _RowLoader(store, rowid)
        return signature, FinalPage.stored(loader, scripts, numbers, digest, policy, bool(media), content_hash,
                                           search_hash)
    except ValueError as exc:
        raise CacheDamaged(f"a rendered page does not have the shape samizdat writes ({exc})") from exc


def _texts(encoded: str, known: dict[object, tuple[str, ...]]) -> tuple[str, ...]:
    """A JSON list of texts; ValueError for anything else."""
    found = known.get(encoded)
    if found is None:
        value = json.loads(encoded)
        if not (isinstance(value, list) and all(isinstance(text, str) for text in value)):
            raise ValueError("a list of texts of the wrong type")
        found = known[encoded] = tuple(value)
    return found


def _count(uses: dict[int, int], pages: Iterable[FinalPage], step: int) -> None:
    for page in pages:
        for number in page.reads:
            left = uses.get(number, 0) + step
            if left:
                uses[number] = left
            else:
                del uses[number]
