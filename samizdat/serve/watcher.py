"""Watch the site's files and rebuild on every change."""

from __future__ import annotations

import sys
import threading

from watchfiles import DefaultFilter
from watchfiles import watch as watch_changes

from samizdat.serve.state import DevState

IGNORED_DIRS = ("_site", ".samizdat-cache", ".git", "__pycache__", "node_modules")


class SiteFilter(DefaultFilter):
    def __call__(self, change: object, path: str) -> bool:
        parts = path.replace("\\", "/").split("/")
        if any(part in IGNORED_DIRS or ".staging-" in part or ".old-" in part for part in parts):
            return False
        return super().__call__(change, path)  # type: ignore[arg-type]


def watch(state: DevState, stop: threading.Event) -> None:
    for changes in watch_changes(state.site_root, watch_filter=SiteFilter(), stop_event=stop,
                                 debounce=400, step=30, rust_timeout=1000, yield_on_timeout=False):
        names = ", ".join(sorted({path.rsplit("/", 1)[-1] for _, path in changes}))
        print(f"changed: {names}", file=sys.stderr)
        print(state.rebuild(), file=sys.stderr)
