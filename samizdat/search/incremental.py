"""One language's index kept between builds of one process (the dev server), updated page by page.

`index.build_language_index` makes every chunk from every document; on a save that changed one page's
text, that was the larger part of the dev server's rebuild. Documents are numbered in address order and
bucket counts follow the number of documents only (index.py), so while the addresses stay the same an
edited page changes only the buckets of the terms it had or has, its own document chunk and the
manifest. This keeps the postings by term and the bucket each term is in, and re-encodes just those
chunks; the files are byte for byte those `build_language_index` makes (tests/test_search.py checks).
"""

from __future__ import annotations

import hashlib
from collections import Counter

from samizdat.search import chunks
from samizdat.search.documents import SNIPPET_TEXT
from samizdat.search.index import (
    DOCS_PER_CHUNK,
    K1,
    REFERENCE_WORDS,
    TITLE_WEIGHT,
    B,
    IndexedDoc,
    bucket_count,
    chunk_prefix,
    gapped_postings,
    language_folder,
)
from samizdat.search.tokens import HANGUL, OTHER, bucket, ending, word_key


class IncrementalIndex:
    def __init__(self, code: str) -> None:
        self.code, self.prefix, self.folder = code, chunk_prefix(code), language_folder(code)
        self._reset()

    def _reset(self) -> None:
        self.docs: list[IndexedDoc] = []
        self.buckets = 0
        self.postings: dict[str, dict[str, dict[int, int]]] = {HANGUL: {}, OTHER: {}}  # kind → term → doc → weight
        self.forms: dict[str, Counter[str]] = {}  # stem → its folded words, each counted once per document
        self.members: dict[str, dict[int, set[str]]] = {HANGUL: {}, OTHER: {}}  # kind → bucket → terms
        self.files: dict[str, bytes] = {}
        self.fragments: dict[str, dict[str, str]] = {HANGUL: {}, OTHER: {}}  # kind → term → its entry as JSON

    def update(self, indexed: list[IndexedDoc]) -> dict[str, bytes]:
        """The chunk files for these documents, re-encoding only what the changed ones touch."""
        ordered = sorted(indexed, key=lambda item: item.doc.path)
        if [d.doc.path for d in ordered] != [d.doc.path for d in self.docs]:
            self._rebuild(ordered)
            return self.files
        changed = [n for n, (old, new) in enumerate(zip(self.docs, ordered, strict=True)) if old is not new]
        if not changed:
            return self.files
        touched: dict[str, set[str]] = {HANGUL: set(), OTHER: set()}
        for number in changed:
            for item in (self.docs[number], ordered[number]):
                touched[HANGUL] |= _terms(item, HANGUL)
                touched[OTHER] |= _terms(item, OTHER) | {root for root, _ in _form_pairs(item)}
        before = {root: self._other_buckets(root) for root in touched[OTHER]}
        for kind, terms in touched.items():
            for term in terms:
                self.fragments[kind].pop(term, None)
        for number in changed:
            self._remove(number, self.docs[number])
            self.docs[number] = ordered[number]
            self._add(number, ordered[number])
        dirty: dict[str, set[int]] = {HANGUL: set(), OTHER: set()}
        for term in touched[HANGUL]:
            home = bucket(term, self.buckets)
            dirty[HANGUL].add(home)
            if term in self.postings[HANGUL]:
                self.members[HANGUL].setdefault(home, set()).add(term)
            else:
                self.members[HANGUL].get(home, set()).discard(term)
        for root in touched[OTHER]:
            after = self._other_buckets(root)
            for number in before[root] - after:
                self.members[OTHER][number].discard(root)
            for number in after:
                self.members[OTHER].setdefault(number, set()).add(root)
            dirty[OTHER] |= before[root] | after
        for kind, numbers in dirty.items():
            for number in numbers:
                self._encode_bucket(kind, number)
        for chunk in {number // DOCS_PER_CHUNK for number in changed}:
            self._encode_docs(chunk)
        self._encode_manifest()
        return self.files

    def _rebuild(self, ordered: list[IndexedDoc]) -> None:
        self._reset()
        self.docs, self.buckets = list(ordered), bucket_count(len(ordered))
        for number, item in enumerate(ordered):
            self._add(number, item)
        for term in self.postings[HANGUL]:
            self.members[HANGUL].setdefault(bucket(term, self.buckets), set()).add(term)
        for root in self.postings[OTHER]:
            for number in self._other_buckets(root):
                self.members[OTHER].setdefault(number, set()).add(root)
        for kind in (HANGUL, OTHER):
            for number in range(self.buckets):
                self._encode_bucket(kind, number)
        for chunk in range(0, len(ordered), DOCS_PER_CHUNK):
            self._encode_docs(chunk // DOCS_PER_CHUNK)
        self._encode_manifest()

    def _add(self, number: int, item: IndexedDoc) -> None:
        for kind in (HANGUL, OTHER):
            for term, weight in _weights(item, kind).items():
                self.postings[kind].setdefault(term, {})[number] = weight
        for root, form in _form_pairs(item):
            self.forms.setdefault(root, Counter())[form] += 1

    def _remove(self, number: int, item: IndexedDoc) -> None:
        for kind in (HANGUL, OTHER):
            table = self.postings[kind]
            for term in _terms(item, kind):
                del table[term][number]
                if not table[term]:
                    del table[term]
        for root, form in _form_pairs(item):
            counts = self.forms[root]
            counts[form] -= 1
            if counts[form] <= 0:
                del counts[form]
            if not counts:
                del self.forms[root]

    def _other_buckets(self, root: str) -> set[int]:
        if root not in self.postings[OTHER]:
            return set()
        return {bucket(word_key(form), self.buckets) for form in self.forms.get(root, ())}

    def _encode_bucket(self, kind: str, number: int) -> None:
        """Each term's entry is written once and kept: an edit writes again only the entries it touched."""
        members = {term: self._fragment(kind, term) for term in self.members[kind].get(number, set())}
        name = f"{self.prefix}-{kind}{number}"
        self.files[f"{self.folder}/{kind}{number}.css"] = chunks.encode_json(name, chunks.object_json(members))

    def _fragment(self, kind: str, term: str) -> str:
        fragment = self.fragments[kind].get(term)
        if fragment is None:
            postings = gapped_postings(sorted(self.postings[kind][term].items()))
            if kind == HANGUL:
                fragment = chunks.to_json(postings)
            else:
                fragment = chunks.to_json([sorted({ending(term, form) for form in self.forms[term]}), postings])
            self.fragments[kind][term] = fragment
        return fragment

    def _encode_docs(self, chunk: int) -> None:
        part = self.docs[chunk * DOCS_PER_CHUNK: (chunk + 1) * DOCS_PER_CHUNK]
        payload = [[d.doc.path, d.doc.title, d.doc.date, d.doc.kind, d.doc.text[:SNIPPET_TEXT]] for d in part]
        self.files[f"{self.folder}/d{chunk}.css"] = chunks.encode(f"{self.prefix}-d{chunk}", payload)

    def _encode_manifest(self) -> None:
        manifest_path = f"{self.folder}/m.css"
        self.files.pop(manifest_path, None)
        version = hashlib.blake2b(b"".join(self.files[path] for path in sorted(self.files)), digest_size=6).hexdigest()
        manifest = {"docs": len(self.docs), "buckets": self.buckets, "per": DOCS_PER_CHUNK, "v": version,
                    "kinds": "".join(d.doc.kind for d in self.docs)}
        self.files[manifest_path] = chunks.encode(f"{self.prefix}-m", manifest)


def _weights(item: IndexedDoc, kind: str) -> dict[str, int]:
    """A document's weight for each term of this kind: as index._add computes it."""
    body, title = (item.body.hangul, item.title.hangul) if kind == HANGUL else (item.body.stems, item.title.stems)
    norm = K1 * (1 - B + B * item.body.words / REFERENCE_WORDS)
    weights = {term: round(100 * count * (K1 + 1) / (count + norm)) + (TITLE_WEIGHT if term in title else 0)
               for term, count in body.items()}
    for term in title.keys() - body.keys():
        weights[term] = TITLE_WEIGHT
    return weights


def _terms(item: IndexedDoc, kind: str) -> set[str]:
    if kind == HANGUL:
        return set(item.body.hangul) | set(item.title.hangul)
    return set(item.body.stems) | set(item.title.stems)


def _form_pairs(item: IndexedDoc) -> set[tuple[str, str]]:
    return {(root, form) for counts in (item.body, item.title) for root, seen in counts.forms.items() for form in seen}
