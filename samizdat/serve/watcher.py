"""Watch the site's files and rebuild on every change; a watcher that dies is started again."""

from __future__ import annotations

import sys
import threading

from watchfiles import DefaultFilter
from watchfiles import watch as watch_changes

from samizdat.serve.state import DevState, describe_bug
from samizdat.terminal import printable

IGNORED_DIRS = ("_site", ".samizdat-cache", ".git", "__pycache__", "node_modules")
RESTART_SECONDS = 0.5  # between a watcher's death and its restart, so a lasting fault does not spin
GONE_POLL_SECONDS = 0.3  # how often a missing site folder is looked for
# A batch of changes is handed over once this long has passed with no new change: an editor's save
# (truncate, write, rename) takes well under a millisecond, and one to two steps pass between a save and
# its rebuild (at 30 ms, 30–60 ms of every save).
STEP_MS = 5


class SiteFilter(DefaultFilter):
    def __init__(self) -> None:
        super().__init__()
        # A change the filter passed over (an editor's swap file, a name ending in ~, a node_modules folder)
        # starts no build, but may name a file the site publishes: the next build reads the folders again.
        self.passed_over = False

    def __call__(self, change: object, path: str) -> bool:
        parts = path.replace("\\", "/").split("/")
        if (not any(part in IGNORED_DIRS or ".staging-" in part or ".old-" in part for part in parts)
                and super().__call__(change, path)):  # type: ignore[arg-type]
            return True
        self.passed_over = True
        return False


def supervise(state: DevState, stop: threading.Event) -> None:
    """Run the watcher until `stop`; restart it whatever it raises, and wait out a missing site folder."""
    while not stop.is_set():
        if not state.site_root.is_dir():
            _wait_for_site(state, stop)
            continue
        try:
            watch(state, stop)
        except Exception as exc:  # inotify limits, a vanished folder, a bug: the server must go on
            print(f"the file watcher stopped and is restarted: {describe_bug(exc)}", file=sys.stderr)
            stop.wait(RESTART_SECONDS)


def watch(state: DevState, stop: threading.Event) -> None:
    """Rebuild after each batch of changes; return when the site folder disappears or on `stop`."""
    # yield_on_timeout: a renamed folder sends no event to its own watch, so it is looked for each second.
    site_filter = SiteFilter()
    whole = False  # whether every change since the last build is known: not before the watcher's first batch
    for changes in watch_changes(state.site_root, watch_filter=site_filter, stop_event=stop,
                                 debounce=400, step=STEP_MS, rust_timeout=1000, yield_on_timeout=True):
        if not state.site_root.is_dir():
            return
        if changes:
            names = ", ".join(sorted({path.rsplit("/", 1)[-1] for _, path in changes}))
            print(printable(f"changed: {names}"), file=sys.stderr)
            known = whole and not site_filter.passed_over
            site_filter.passed_over, whole = False, True
            print(printable(state.rebuild({path for _, path in changes} if known else None)), file=sys.stderr)


def _wait_for_site(state: DevState, stop: threading.Event) -> None:
    if state.mark_gone():
        print(printable(f"error: {state.error}"), file=sys.stderr)
    while not stop.is_set() and not state.site_root.is_dir():
        stop.wait(GONE_POLL_SECONDS)
    if not stop.is_set():
        stop.wait(GONE_POLL_SECONDS)  # a folder moved back in pieces (a copy) settles first
        print(f"{state.site_root} is back", file=sys.stderr)
        print(printable(state.rebuild()), file=sys.stderr)
