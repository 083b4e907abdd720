"""`samizdat status`: the page × language matrix, and what changed in the source of each outdated page.

The findings themselves (missing, outdated, untracked) come with every build; see
samizdat/content/translation_status.py for how a translation records the source it follows.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from samizdat.content.mark_translated import load_pages
from samizdat.content.translation_status import (
    HISTORY_FILE,
    OUTDATED,
    PageStatus,
    changed_paragraphs,
    load_history,
    paragraphs,
    translation_status,
)
from samizdat.errors import SourceLocation


def status_report(site_root: Path) -> str:
    config, index = load_pages(site_root)
    status = translation_status(index, config)
    codes = [language.code for language in config.languages]
    width = max([len("page"), *(len(key) for key in status)])
    lines = ["page".ljust(width) + "".join(f"  {code:<10}" for code in codes)]
    for key in sorted(status):
        lines.append(key.ljust(width) + "".join(f"  {status[key][code].state:<10}" for code in codes))
    history = load_history(config.root)
    for key in sorted(status):
        for code in codes:
            entry = status[key][code]
            if entry.state == OUTDATED:
                lines += ["", *_changes(entry, history)]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _changes(entry: PageStatus, history: dict[str, list[str]]) -> list[str]:
    assert entry.page and entry.source and entry.recorded
    head = f"{SourceLocation(entry.page.path)} is outdated: {SourceLocation(entry.source.path)} changed since"
    old = history.get(entry.recorded.hash)
    if old is None:
        return [head + ";", f"  the text it followed is not in {HISTORY_FILE}: compare the two files by hand"]
    lines = [head + ":"]
    for mark, text in changed_paragraphs(old, paragraphs(entry.source.body)):
        word = "removed" if mark == "-" else "new or changed"
        lines.append(f"  {mark} ({word})")
        lines += textwrap.wrap(text, 100, initial_indent="    ", subsequent_indent="    ") or ["    "]
    lines.append(f"  when the translation matches again: samizdat translated {SourceLocation(entry.page.path)}")
    return lines
