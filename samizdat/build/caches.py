"""The caches of one site: parsed sources and rendered pages, on disk for `build`, in memory for `serve`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from samizdat.build.parse_cache import ParseCache
from samizdat.build.render_cache import RenderCache
from samizdat.config import CONFIG_NAME, SiteConfig


@dataclass
class BuildCaches:
    on_disk: bool  # False: kept in this process only (the dev server keeps one across rebuilds)
    parse: ParseCache | None = None
    render: RenderCache | None = None

    def prepare(self, config: SiteConfig) -> None:
        """Open the caches for this config; a changed samizdat.toml starts the parse cache afresh."""
        digest = hashlib.sha256((config.root / CONFIG_NAME).read_bytes()).hexdigest()
        root = config.root if self.on_disk else None
        if self.parse is None or self.parse.config_digest != digest:
            self.parse = ParseCache.open(root, config)
        if self.render is None:
            self.render = RenderCache.open(root)

    def save(self) -> None:
        for cache in (self.parse, self.render):
            if cache is not None:
                cache.save()
