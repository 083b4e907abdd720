"""The index of one language as chunk files: a manifest, term buckets and document chunks.

    _search/<code>/m.css     the manifest: how many documents and buckets, each document's kind
    _search/<code>/h<N>.css  Korean terms (syllable pairs) whose hash falls in bucket N
    _search/<code>/x<N>.css  stems whose word starts with letters that hash to bucket N, with endings
    _search/<code>/d<N>.css  DOCS_PER_CHUNK document numbers: address, title, date, kind, snippet text

A query reads the manifest, one bucket per query word and the document chunks of the results it shows.
Bucket counts follow the number of documents only, and a page's document number comes from its own
address (slots.py), so an edit to one page, a new page or a removed one changes the chunks holding its
terms, its own document chunk and the manifest (and, now and then, those of a page its number moved).
Each page's words come counted from the render step (entry.py), its terms and weights from postings.py:
this module files them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache

from samizdat.search import chunks
from samizdat.search.entry import PageEntry
from samizdat.search.tokens import HANGUL, OTHER, Stems, bucket, form_of, word_key, word_stems
from samizdat.stored_files import StoredFiles

INDEX_FOLDER = "_search"
# Numbers per document chunk. A quarter to a half of the numbers hold a page (slots.py), so a chunk holds
# four to eight documents; a result page of 20 loads at most 20 chunks. See docs/search.md.
DOCS_PER_CHUNK = 16
BUCKET_DOCS = 32  # about this many documents' worth of postings per term bucket
HOLE_KIND = "-"  # the kind of a number no page holds (slots.py): never a filter, never in postings


def language_folder(code: str) -> str:
    return f"{INDEX_FOLDER}/{chunk_prefix(code)}"


@lru_cache(maxsize=64)  # asked for each file a kept filing names (is_index_file): hundreds a language
def chunk_prefix(code: str) -> str:
    return re.sub(r"[^a-z0-9]", "-", code.lower())


def is_index_file(path: str, code: str) -> bool:
    """Whether path is one of the names build_language_index gives language `code`'s files."""
    folder = language_folder(code) + "/"
    return path.startswith(folder) and _FILE_NAME.fullmatch(path[len(folder):]) is not None


_FILE_NAME = re.compile(r"m\.css|[hxd][0-9]+\.css")  # the manifest, term buckets, document chunks


def bucket_count(documents: int) -> int:
    """A power of two, so that a site growing past a boundary splits every bucket in two."""
    count = 1
    while count * BUCKET_DOCS < documents:
        count *= 2
    return count


def build_language_index(code: str, numbered: list[PageEntry | None]) -> StoredFiles:
    """Every chunk file of one language, by output path. numbered: document number → entry (slots.py),
    None for a number no page holds."""
    return file_language(code, numbered)[0]


def file_language(code: str, numbered: list[PageEntry | None]) -> tuple[StoredFiles, Stems]:
    """build_language_index(), and the language's Stems (tokens.py), which refiling it takes (refile.py)."""
    buckets = bucket_count(sum(entry is not None for entry in numbered))
    files, stems = _term_buckets(code, numbered, buckets)
    for n in range(0, len(numbered), DOCS_PER_CHUNK):
        payload = [None if d is None else document_row(d) for d in numbered[n: n + DOCS_PER_CHUNK]]
        if not any(payload):
            continue  # numbers no page holds: nothing will ask for them
        files[index_path(code, f"d{n // DOCS_PER_CHUNK}")] = encode_file(code, f"d{n // DOCS_PER_CHUNK}", payload)
    kinds = "".join(HOLE_KIND if d is None else d.kind for d in numbered)
    return with_manifest(code, StoredFiles(files), len(numbered), buckets, kinds), stems


# What refile.py writes again must be these bytes: the names, rows, buckets and manifest are made here only.

def index_path(code: str, name: str) -> str:
    """The output path of the language's file `name` (m, h3, x12, d0…)."""
    return f"{language_folder(code)}/{name}.css"


def encode_file(code: str, name: str, payload: object) -> bytes:
    return chunks.encode(f"{chunk_prefix(code)}-{name}", payload)


def document_row(entry: PageEntry) -> list[str]:
    """A page as a document chunk holds it."""
    return [entry.path, entry.title, entry.date, entry.kind, entry.snippet]


def stem_buckets(root: str, ends: Iterable[str], buckets: int) -> set[int]:
    """The buckets a stem's entry is in: that of each of its forms' first letters."""
    return {bucket(word_key(form_of(root, end)), buckets) for end in ends}


def with_manifest(code: str, files: StoredFiles, documents: int, buckets: int, kinds: str) -> StoredFiles:
    """The files with their manifest, made after every other file: its version makes a browser that kept an
    older manifest or chunk load the set that belongs together. It is made from each other file's name and
    sha256, which a build knows of the files it did not read (stored_files.py)."""
    path = index_path(code, "m")
    listed = "".join(f"{other}\0{files.digest(other)}\n" for other in sorted(files) if other != path)
    version = hashlib.blake2b(listed.encode(), digest_size=6).hexdigest()
    manifest = {"docs": documents, "buckets": buckets, "per": DOCS_PER_CHUNK, "v": version, "kinds": kinds}
    return files.changed({path: encode_file(code, "m", manifest)})


def _term_buckets(code: str, numbered: list[PageEntry | None], buckets: int) -> tuple[dict[str, bytes], Stems]:
    """Every term bucket's file, and the language's Stems. The terms are sorted into buckets by number;
    a bucket is then written from views into the postings' one array (postings.TermArrays), so only one
    bucket's terms are ever objects at a time."""
    from samizdat.search.postings import term_arrays  # NumPy: loaded when a language is filed, not to render a page

    found = term_arrays(code, numbered)
    in_bucket: dict[str, list[list[int]]] = {HANGUL: [[] for _ in range(buckets)], OTHER: [[] for _ in range(buckets)]}
    for i, number in enumerate(found.numbers):
        kind, name = found.names[number]
        if kind == HANGUL:
            in_bucket[HANGUL][bucket(name, buckets)].append(i)
        else:
            for place in stem_buckets(name, found.endings[number], buckets):
                in_bucket[OTHER][place].append(i)
    files: dict[str, bytes] = {}
    for kind, table in in_bucket.items():
        for n, held in enumerate(table):
            terms = [found.term(i) for i in held]
            payload = {term.name: term.listed if kind == HANGUL else [term.endings, term.listed] for term in terms}
            files[index_path(code, f"{kind}{n}")] = encode_file(code, f"{kind}{n}", payload)
    return files, word_stems(code, found.pages)
