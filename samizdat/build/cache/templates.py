"""The Python that Jinja2 makes of each template, kept between builds as text.

Turning a template into Python (reading its tags, checking them, writing the code) took four fifths of
loading it, and a one-edit build loads most of the theme's templates again (the edited page's layout and
partials, the news list, the 404, search and flyer pages). What Jinja2 wrote is kept in the store's
`templates` table, under a key made of the template's name, file and sha256 of its text, everything of
the environment that shapes the code, and Jinja2's version (`templates.py: _CompiledTemplates`); the next
build compiles that text with Python's `compile`, as Jinja2 would have. The text is a plain value, never
marshalled or pickled code, and it comes from the store in the user's cache folder (store.py), which no
site folder can reach. Templates run in the sandbox whichever way they were loaded: the code calls the
environment for every attribute and call.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from samizdat.build.cache.store import Store
from samizdat.sealed import CacheDamaged

LIMIT = 256  # rows: beyond it, those no page of this build used are dropped on save


@dataclass
class TemplateCode:
    store: Store
    code: dict[str, str] = field(default_factory=dict)  # key → the Python Jinja2 made of the template
    used: set[str] = field(default_factory=set)
    dirty: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, store: Store) -> TemplateCode:
        try:
            code = {}
            for key, text in store.rows("SELECT key, code FROM templates"):
                if not (isinstance(key, str) and isinstance(text, str)):
                    raise CacheDamaged("a template's code does not have the shape samizdat writes")
                code[key] = text
        except CacheDamaged as exc:
            store.discard(exc)
            code = {}
        return cls(store, code)

    def get(self, key: str) -> str | None:
        self.used.add(key)
        return self.code.get(key)

    def put(self, key: str, text: str) -> None:
        self.used.add(key)
        self.code[key] = text
        self.dirty.add(key)

    def save(self, db: sqlite3.Connection) -> None:
        for key in sorted(self.dirty):
            db.execute("INSERT OR REPLACE INTO templates VALUES (?, ?)", (key, self.code[key]))
        if len(self.code) > LIMIT:
            for key in sorted(self.code.keys() - self.used):
                del self.code[key]
                db.execute("DELETE FROM templates WHERE key = ?", (key,))
        self.dirty = set()
