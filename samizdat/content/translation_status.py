"""Which translations follow their source's current text, which are out of date, which are missing.

A translation names the source it follows in its front matter, written by `samizdat translated PATH`:

    translation_of: {lang: en, hash: "3f2a9c0d41be"}

`hash` is a hash of the source's body as it was when the translation was brought up to date, so the
status is the same in a fresh clone, where file times mean nothing. The source's paragraphs at that
time are kept in SITE/.samizdat/translations.json (committed with the site), so `samizdat status` can
show which paragraphs changed since.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from samizdat.config import SiteConfig
from samizdat.content.pages import SECTION_LAYOUTS, Page
from samizdat.content.sources import read_plain
from samizdat.content.tags import generated_key
from samizdat.content.translations import TranslationIndex
from samizdat.errors import ContentError, SourceLocation
from samizdat.findings import Finding, finding

TRANSLATION_OF = "translation_of"
HISTORY_FILE = ".samizdat/translations.json"
HASH_LENGTH = 12

SOURCE, OK, OUTDATED, MISSING, UNTRACKED = "source", "ok", "outdated", "missing", "untracked"


@dataclass(frozen=True)
class Recorded:
    lang: str
    hash: str


@dataclass(frozen=True)
class PageStatus:
    state: str  # SOURCE, OK, OUTDATED, MISSING or UNTRACKED
    page: Page | None  # None when missing
    source: Page | None  # the version this one is (or should be) a translation of
    recorded: Recorded | None = None


Status = dict[str, dict[str, PageStatus]]  # translation key → language code → status


def paragraphs(body: str) -> list[str]:
    """The body as paragraphs, with the whitespace and Unicode forms that do not change meaning evened out."""
    text = unicodedata.normalize("NFC", body.replace("\r\n", "\n"))
    blocks = ("\n".join(line.rstrip() for line in block.strip("\n").split("\n")) for block in text.split("\n\n"))
    return [block for block in blocks if block.strip()]


def body_hash(body: str) -> str:
    """Not memoised: a memo keyed by the body would keep every body it saw (a build lets them go once parsed);
    the dev server keeps each key's row between saves (KeptRows) and a build has the store's hashes."""
    return hashlib.sha256("\n\n".join(paragraphs(body)).encode("utf-8")).hexdigest()[:HASH_LENGTH]


def recorded_source(page: Page) -> Recorded | None:
    value = page.data.get(TRANSLATION_OF)
    if value is None:
        return None
    if (not isinstance(value, dict) or not isinstance(value.get("lang"), str)
            or not isinstance(value.get("hash"), str)):
        raise ContentError(
            f"`{TRANSLATION_OF}` must look like {{lang: en, hash: \"3f2a9c0d41be\"}}",
            page.location(TRANSLATION_OF),
            hint=f"run `samizdat translated {SourceLocation(page.path)}` to write it again",
        )
    return Recorded(value["lang"], value["hash"])


def recorded_language(page: Page) -> str | None:
    """The language a page says it translates, even when the rest of its record is damaged."""
    value = page.data.get(TRANSLATION_OF)
    lang = value.get("lang") if isinstance(value, dict) else None
    return lang if isinstance(lang, str) else None


def source_language(group: dict[str, Page], config: SiteConfig) -> str:
    """The language the group's translations say they follow; else the site's default, else the first."""
    for page in group.values():
        lang = recorded_language(page)
        if lang and lang in group and lang != page.language.code:
            return lang
    code = config.default_language.code
    return code if code in group else next(iter(group))


# The status of each key as the dev server keeps it between saves: the group's pages (the same objects while
# their files are unchanged; the row holds them, so their ids are not reused), the site's languages, the
# source and its body's hash. 10,000 rows were worked out again on every save, for one edited page.
KeptRows = dict[str, tuple[tuple[object, ...], Page, str, dict[str, "PageStatus"]]]


class BodyHashes(Protocol):
    """Source path (`Page.path_text`) → body_hash of its page, where known; the status adds the ones it
    works out."""

    def get(self, path_text: str) -> str | None: ...

    def __setitem__(self, path_text: str, body_hash: str) -> None: ...


def translation_status(index: TranslationIndex, config: SiteConfig, hashes: BodyHashes | None = None,
                       kept: KeptRows | None = None) -> Status:
    """hashes: source path → body_hash of its page, known from an earlier build (the build's store);
    the hashes worked out here are added to it. kept: the rows of the last status (the dev server's),
    replaced by this one's."""
    status: Status = {}
    hashes = {} if hashes is None else hashes
    languages = (config.default_language.code, *(language.code for language in config.languages))
    made: KeptRows = {}
    for key, group in index.by_key.items():
        if generated_key(key):
            continue  # news/page/2, news/2026, tags/…: made by the build, not translated
        identity = (languages, *((code, id(page)) for code, page in group.items()))
        earlier = kept.get(key) if kept is not None else None
        if earlier is not None and earlier[0] == identity:
            # The same page objects: the same source, whose body (a page is replaced, never changed) has the
            # same hash. The row follows from the three.
            source, current, row = earlier[1], earlier[2], earlier[3]
        else:
            source = group[source_language(group, config)]
            current = hashes.get(source.path_text)
            if current is None:
                current = hashes[source.path_text] = body_hash(source.body)
            row = _row(group, source, current, config)
        status[key] = row
        made[key] = (identity, source, current, row)
    if kept is not None:
        kept.clear()
        kept.update(made)
    return status


def _row(group: dict[str, Page], source: Page, current: str, config: SiteConfig) -> dict[str, PageStatus]:
    row: dict[str, PageStatus] = {}
    for language in config.languages:
        page = group.get(language.code)
        recorded = recorded_source(page) if page else None
        if page is None:
            row[language.code] = PageStatus(MISSING, None, source)
        elif page is source:
            row[language.code] = PageStatus(SOURCE, page, None)
        elif recorded is None or recorded.lang != source.language.code:
            row[language.code] = PageStatus(UNTRACKED, page, source, recorded)
        else:
            state = OK if recorded.hash == current else OUTDATED
            row[language.code] = PageStatus(state, page, source, recorded)
    return row


def outdated_sources(status: Status) -> dict[Path, Page]:
    """Translation file → its source, for each translation whose source changed since."""
    return {
        entry.page.path: entry.source for row in status.values() for entry in row.values()
        if entry.state == OUTDATED and entry.page and entry.source
    }


# What translation_findings made of each translation, for the dev server's next save (build/cache/memos.py):
# the text depends on nothing but the key (the working folder, the state, the language, both files' paths and
# the finding's line), and 2,000 findings a build were formatted again on every save.
Made = dict[tuple[object, ...], Finding]


def translation_findings(status: Status, config: SiteConfig, last: Made | None = None,
                         notes: bool = False) -> list[Finding]:
    """last: the findings the last save made, replaced by this one's; None, and nothing is remembered.
    notes: an untracked translation is told too (a note, for `samizdat check`)."""
    known = last if last is not None else {}
    findings = []
    made: dict[tuple[object, ...], Finding] = {}
    here = os.getcwd()  # paths in the text are shown relative to it
    for key, row in status.items():
        for code, entry in row.items():
            source = entry.source
            if entry.state == MISSING and source:
                findings.append(_missing(key, code, source, config))
            elif entry.state == OUTDATED and entry.page and source:
                place = (here, OUTDATED, code, source.path, entry.page.path, entry.page.location(TRANSLATION_OF))
                found = made[place] = known.get(place) or finding(
                    "translation-outdated",
                    f"this {code} translation is out of date: {SourceLocation(source.path)} changed since",
                    place[-1],
                    hint=f"see the changes with `samizdat status`, update this page, then run "
                    f"`samizdat translated {SourceLocation(entry.page.path)}`",
                )
                findings.append(found)
            elif notes and entry.state == UNTRACKED and entry.page and source:
                place = (here, UNTRACKED, code, source.path, entry.page.path, entry.page.location())
                found = made[place] = known.get(place) or finding(
                    "translation-untracked",
                    f"this {code} page does not record which version of {SourceLocation(source.path)} it follows",
                    place[-1],
                    hint=f"once it matches, run `samizdat translated {SourceLocation(entry.page.path)}`",
                )
                findings.append(found)
    if last is not None:
        last.clear()
        last.update(made)
    return findings


def _missing(key: str, code: str, source: Page, config: SiteConfig) -> Finding:
    content = config.root / "content"
    try:
        rel = source.path.relative_to(content / source.language.code).as_posix()
    except ValueError:
        rel = source.path.name
    language = config.language(code)
    listed = (f" (listed in {code} in the {source.language.code} version meanwhile)"
              if source.section in SECTION_LAYOUTS else "")
    return finding(
        "translation-missing", f"missing translation: {SourceLocation(content / code / rel)}{listed}",
        SourceLocation(source.path),
        hint=f"translate {rel} into {language.name if language else code}, "
        f"or give a page the translation_key {key!r}",
    )


def refuse_history_links(site_root: Path) -> None:
    """The history and its folder are the site's own: a link (a site from a stranger may bring one, to a
    file or folder of the volunteer's) is never read or written through."""
    for path in (site_root / HISTORY_FILE).parent, site_root / HISTORY_FILE:
        if os.path.islink(path):
            raise ContentError(f"{path.name} is a symbolic link (to {os.readlink(path)!r})", SourceLocation(path),
                               hint="replace the link with the file or folder itself: samizdat reads and writes "
                                    "only real files inside the site folder")


def load_history(site_root: Path) -> dict[str, list[str]]:
    """Source paragraphs by body hash, as `samizdat translated` saved them."""
    path = site_root / HISTORY_FILE
    refuse_history_links(site_root)
    if not path.exists():
        return {}
    hint = "restore it from version control, or delete it and mark the pages translated again"
    if not path.is_file():
        raise ContentError("the translation history is not a file", SourceLocation(path), hint=hint)
    try:
        data: Any = json.loads(read_plain(path).decode("utf-8"))
    except (ValueError, UnicodeDecodeError, OSError, RecursionError) as exc:
        reason = (exc.strerror if isinstance(exc, OSError)
                  else "it nests values too deep to read" if isinstance(exc, RecursionError) else exc)
        raise ContentError(f"cannot read the translation history: {reason}", SourceLocation(path),
                           hint=hint) from exc
    if not _is_history(data):
        raise ContentError(
            "the translation history is not what `samizdat translated` writes "
            "(an object of lists of paragraphs)", SourceLocation(path), hint=hint)
    return data


def _is_history(data: object) -> bool:
    return isinstance(data, dict) and all(
        isinstance(paragraphs, list) and all(isinstance(text, str) for text in paragraphs)
        for paragraphs in data.values())


# Paragraphs of the old and the new text, multiplied, up to which they are matched in order. Matching is
# slow where many paragraphs are the same ("* * *", "Photo:"): 6,000 of one text took 2.8 s, 20,000 half a
# minute of `samizdat status`. Past this, a paragraph is changed when the other text has fewer of it.
PARAGRAPHS_MATCHED = 4_000_000


def changed_paragraphs(old: list[str], new: list[str]) -> list[tuple[str, str]]:
    """("-", paragraph) for text the source lost, ("+", paragraph) for text it gained, in order."""
    start = 0  # what both begin and end with is the same: only the middle is matched
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    old, new = old[start:len(old) - end], new[start:len(new) - end]
    if len(old) * len(new) > PARAGRAPHS_MATCHED:
        kept_old, kept_new = Counter(new), Counter(old)
        lost = [("-", text) for text in old if not _taken(kept_old, text)]
        return lost + [("+", text) for text in new if not _taken(kept_new, text)]
    import difflib  # loaded when a translation's source has changed

    changes: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag != "equal":
            changes += [("-", text) for text in old[a1:a2]] + [("+", text) for text in new[b1:b2]]
    return changes


def _taken(counts: Counter[str], text: str) -> bool:
    """Whether the other text still has one of this paragraph, which it then has one less of."""
    if counts[text] > 0:
        counts[text] -= 1
        return True
    return False
