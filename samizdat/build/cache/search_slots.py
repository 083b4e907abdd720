"""The search index's document numbers (search/slots.py), kept from build to build in the store's `meta`
table as JSON, so that a new or removed page rewrites only the index chunks it touches."""

from __future__ import annotations

import json
import sqlite3

from samizdat.build.cache.store import Store
from samizdat.search.slots import Slots, valid

_ROW = "search-slots"


def load_slots(store: Store) -> dict[str, Slots]:
    """{} when there is no numbering or it is not what save_slots writes: the index is numbered afresh."""
    rows = store.rows("SELECT value FROM meta WHERE name = ?", (_ROW,))
    try:
        slots = json.loads(str(rows[0][0])) if rows else {}
    except ValueError:
        return {}
    if not (isinstance(slots, dict) and all(isinstance(code, str) and valid(s) for code, s in slots.items())):
        return {}
    return slots


def save_slots(db: sqlite3.Connection, slots: dict[str, Slots]) -> None:
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (_ROW, json.dumps(slots, ensure_ascii=False)))
