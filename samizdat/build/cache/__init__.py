"""All build state in one place: parsed sources, rendered pages, the reads they made, the last build's record.

On disk for `samizdat build` (one SQLite file per site in the user's cache folder, store.py), in memory
for `serve`, which keeps the same objects between saves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from samizdat.build.cache.pages import RenderCache
from samizdat.build.cache.sources import ParseCache, config_digest
from samizdat.build.cache.store import Store
from samizdat.config import SiteConfig


@dataclass
class BuildCaches:
    store: Store = field(default_factory=lambda: Store(None))  # Store(None): kept in this process only
    parse: ParseCache | None = None
    render: RenderCache | None = None

    @classmethod
    def on_disk(cls, site_root: Path) -> BuildCaches:
        return cls(Store.open(site_root))

    def prepare(self, config: SiteConfig, drafts: bool = False) -> None:
        """Open the caches for this config; a changed samizdat.toml starts the parse cache afresh."""
        if self.parse is None or self.parse.config_digest != config_digest(config, drafts):
            self.parse = ParseCache.open(self.store, config, drafts)
        if self.render is None:
            self.render = RenderCache.open(self.store)

    def save(self) -> None:
        """Every changed row in one transaction: a crash leaves the last build's state whole."""
        with self.store.writing() as db:
            if db is None:
                return
            if self.parse is not None:
                self.parse.save(db)
            if self.render is not None:
                self.render.save(db)
