"""Watch the site's files and rebuild on every change; a watcher that dies is started again."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from watchfiles import DefaultFilter
from watchfiles import watch as watch_changes

from samizdat.serve.state import DevState, describe_bug
from samizdat.terminal import printable

IGNORED_DIRS = ("_site", ".samizdat-cache", ".git", "__pycache__", "node_modules")
RESTART_SECONDS = 0.5  # between a watcher's death and its restart, so a lasting fault does not spin
GONE_POLL_SECONDS = 0.3  # how often a missing site folder is looked for
LINK_POLL_SECONDS = 1.0  # how often a site holding a link to a folder is looked at again
# A batch of changes is handed over once this long has passed with no new change: an editor's save
# (truncate, write, rename) takes well under a millisecond, and one to two steps pass between a save and
# its rebuild (at 30 ms, 30–60 ms of every save).
STEP_MS = 5
# How long the first build waits for the watcher's watches (one per folder: milliseconds, even for a large
# site); a watcher slower than this only makes the first save read the folders again.
SETTLE_SECONDS = 5.0


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


def watch_then_build(state: DevState, stop: threading.Event) -> None:
    """Start the watcher, and build once its watches are set: the first save is then one of the batches it
    hands over, built from the files it names, not from a new reading of every folder."""
    settled = threading.Event()
    threading.Thread(target=supervise, args=(state, stop, settled), name="watch", daemon=True).start()
    settled.wait(SETTLE_SECONDS)
    print(printable(state.rebuild()), file=sys.stderr)


def supervise(state: DevState, stop: threading.Event, settled: threading.Event | None = None) -> None:
    """Run the watcher until `stop`; restart it whatever it raises, and wait out a missing site folder.
    settled: set once the first watches are in place, or when there will be none for a while."""
    settled = settled or threading.Event()
    told: list[str] = []
    while not stop.is_set():
        if not state.site_root.is_dir():
            settled.set()
            _wait_for_site(state, stop)
            continue
        linked = folder_links(state.site_root)
        if linked:  # the watches would follow it, into any folder of the computer: none is set until it goes
            settled.set()
            if told != linked:
                told = linked
                print(printable(f"error: {linked[0]} is a symbolic link to a folder, so pages are not rebuilt on "
                                "a save: the file watcher would follow it out of the site folder\n  hint: replace "
                                "the link with the folder itself (or move it out of the site folder)"), file=sys.stderr)
            stop.wait(LINK_POLL_SECONDS)
            continue
        if told:
            told = []
            print(printable(state.rebuild()), file=sys.stderr)
        try:
            watch(state, stop, settled)
        except Exception as exc:  # inotify limits, a vanished folder, a bug: the server must go on
            settled.set()
            print(f"the file watcher stopped and is restarted: {describe_bug(exc)}", file=sys.stderr)
            stop.wait(RESTART_SECONDS)


class _Watching:
    """The stop event handed to watchfiles, which asks it on every step of its wait for changes, so only once
    its watches are in place (its notifier sets them before it returns): the first question says so."""

    def __init__(self, stop: threading.Event, on_first: Callable[[], None]) -> None:
        self._stop = stop
        self._on_first: Callable[[], None] | None = on_first

    def is_set(self) -> bool:
        if self._on_first is not None:
            self._on_first()
            self._on_first = None
        return self._stop.is_set()


def watch(state: DevState, stop: threading.Event, settled: threading.Event | None = None) -> None:
    """Rebuild after each batch of changes; return when the site folder disappears or on `stop`."""
    site_filter = SiteFilter()
    # A batch holds every change since the last build when that build began after the watches were set;
    # before that (this watcher's first batch, when the last build is older than it), the folders are read.
    watched_from: int | None = None  # how many builds had begun when the watches were set
    root = os.path.realpath(state.site_root)

    def watching() -> None:
        nonlocal watched_from
        watched_from = state.builds_started
        if settled is not None:
            settled.set()

    # yield_on_timeout: a renamed folder sends no event to its own watch, so it is looked for each second.
    for changes in watch_changes(state.site_root, watch_filter=site_filter, stop_event=_Watching(stop, watching),
                                 debounce=400, step=STEP_MS, rust_timeout=1000, yield_on_timeout=True):
        if not state.site_root.is_dir():
            return
        if any(os.path.islink(path) and os.path.isdir(path) and _leads_out(path, root) for _, path in changes):
            return  # a link to a folder appeared: the watches are dropped before they follow it (supervise)
        if changes:
            names = ", ".join(sorted({path.rsplit("/", 1)[-1] for _, path in changes}))
            print(printable(f"changed: {names}"), file=sys.stderr)
            known = (watched_from is not None and state.builds_started > watched_from
                     and not site_filter.passed_over)
            site_filter.passed_over = False
            print(printable(state.rebuild({path for _, path in changes} if known else None)), file=sys.stderr)


def folder_links(site_root: Path) -> list[str]:
    """The links in the site folder to folders outside it, or to a folder that holds them (a loop), which
    the watches would follow; as paths, sorted. A link within the site (a virtual environment's lib64)
    is harmless."""
    root = os.path.realpath(site_root)
    found: list[str] = []
    pending = [os.fspath(site_root)]
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in entries:
                    if entry.name in IGNORED_DIRS or not entry.is_dir():
                        continue
                    if not entry.is_symlink():
                        pending.append(entry.path)
                    elif _leads_out(entry.path, root):
                        found.append(entry.path)
        except OSError:  # gone or unreadable since: the build says what it makes of it
            continue
    return sorted(found)


def _leads_out(link: str, root: str) -> bool:
    """Whether the link (to a folder) leads out of the folder `root`, or back to a folder above it."""
    target = os.path.realpath(link)
    above = os.path.realpath(os.path.dirname(link))
    return not _within(target, root) or _within(above, target)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _wait_for_site(state: DevState, stop: threading.Event) -> None:
    if state.mark_gone():
        print(printable(f"error: {state.error}"), file=sys.stderr)
    while not stop.is_set() and not state.site_root.is_dir():
        stop.wait(GONE_POLL_SECONDS)
    if not stop.is_set():
        stop.wait(GONE_POLL_SECONDS)  # a folder moved back in pieces (a copy) settles first
        print(f"{state.site_root} is back", file=sys.stderr)
        print(printable(state.rebuild()), file=sys.stderr)
