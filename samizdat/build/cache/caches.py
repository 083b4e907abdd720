"""Every cache a build reads and saves, opened together for one config and saved in one transaction."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.build.cache.store import Store

if TYPE_CHECKING:  # imported when a build needs them: "nothing changed" is answered without them
    from samizdat.build.cache.generated import GeneratedCache
    from samizdat.build.cache.memos import ProcessMemos
    from samizdat.build.cache.pages import RenderCache
    from samizdat.build.cache.sources import ParseCache
    from samizdat.config import SiteConfig
    from samizdat.outputs.claims import Passed
    from samizdat.products import ProductBook


@dataclass
class BuildCaches:
    store: Store = field(default_factory=lambda: Store(None))  # Store(None): kept in this process only
    parse: ParseCache | None = None
    render: RenderCache | None = None
    products: ProductBook | None = None  # image and document results
    generated: GeneratedCache | None = None
    # Each site file's stat by its path, from the walk that found something changed (record.py: fingerprint):
    # the build that follows at once takes it instead of a stat of each page again (content/sources.py).
    seen: dict[str, os.stat_result] | None = None
    listed: dict[str, list[os.DirEntry[str]]] | None = None  # and each folder's entries, for discovery's walk
    _memos: ProcessMemos | None = None

    @property
    def memos(self) -> ProcessMemos | None:
        """The dev server's memos between saves (memos.py); None for a build that keeps its state in the store."""
        if self.store.db is not None:
            return None
        if self._memos is None:
            from samizdat.build.cache.memos import ProcessMemos

            self._memos = ProcessMemos()
        return self._memos

    def passed(self, check: str) -> Passed | None:
        """The output lists that passed one clash check lately (outputs/claims.py), where they are kept: the
        dev server's memo, or the store's row for `check`; None before the caches are prepared."""
        memos = self.memos
        if memos is not None:
            return memos.claims_passed
        if self.generated is None:
            return None
        from samizdat.build.cache.generated import FiledPasses

        return FiledPasses(self.generated, check)

    @classmethod
    def on_disk(cls, site_root: Path) -> BuildCaches:
        return cls(Store.open(site_root))

    def prepare(self, config: SiteConfig, drafts: bool = False) -> None:
        """Open the caches for this config; a changed samizdat.toml starts the parse cache afresh."""
        from samizdat.build.cache.generated import GeneratedCache
        from samizdat.build.cache.pages import RenderCache
        from samizdat.build.cache.products import open_products
        from samizdat.build.cache.sources import ParseCache, config_digest

        generation = self.store.generation
        if self.products is None:
            self.products = open_products(self.store, config.root)
        self.products.start()
        if self.parse is None or self.parse.config_digest != config_digest(config, drafts):
            self.parse = ParseCache.open(self.store, config, drafts)
        if self.render is None:
            self.render = RenderCache.open(self.store)
        if self.generated is None:
            self.generated = GeneratedCache.open(self.store)
        if self.store.generation != generation:
            # A damaged table emptied the store while the others were open: pages and bodies they would read
            # later are gone, so every cache starts empty with it (a cold build, after one note).
            self.products, self.parse, self.render, self.generated = None, None, None, None
            self.prepare(config, drafts)

    def save(self) -> None:
        """Every changed row in one transaction: a crash leaves the last build's state whole."""
        with self.store.writing() as db:
            if db is None:
                return
            if self.parse is not None:
                self.parse.save(db)
            if self.render is not None:
                self.render.save(db)
            if self.products is not None:
                from samizdat.build.cache.products import save_products

                save_products(self.products, db)
            if self.generated is not None:
                self.generated.save(db)
