"""What the dev server serves: the last good build, the current error, and who to tell of changes."""

from __future__ import annotations

import json
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Collection
from pathlib import Path

from samizdat.build.cache.caches import BuildCaches
from samizdat.build.options import BuildOptions
from samizdat.build.output import SiteOutput
from samizdat.build.pipeline import render_site
from samizdat.collector import gc_paused
from samizdat.errors import SamizdatError

TRACEBACK_FRAMES = 6  # enough to find the failing line; the overlay is read on a phone too
TITLE_FAILED = "samizdat: the build failed — the last good version is still served"
TITLE_NOTHING = "samizdat: the build failed — there is no good version to serve yet"
TITLE_GONE = "samizdat: the site folder is gone — waiting for it to come back"
# How long a request for a file the first part of a build lacks waits for the rest (a search chunk while
# the index is filed); beyond it the request is answered from what there is.
LATER_WAIT_SECONDS = 120.0
SHARING_SECONDS = 0.0005  # the interpreter's switch interval while a build completes (sys.setswitchinterval)
# How long the rest of a build waits for the open tabs to fetch the page its first part changed: answered
# beside the rest of the build, which holds the interpreter, a page took about 10 ms longer to reach a tab
# of a 10,000-page site. A tab that does not ask (in the background, or gone) costs at most this once.
TABS_WAIT_SECONDS = 0.05


class DevState:
    def __init__(self, site_root: Path, drafts: bool = False) -> None:
        self.site_root = site_root
        self.options = BuildOptions(drafts=drafts)
        self.output: SiteOutput | None = None
        # True while the output served is a build's first part (SiteOutput.later): its files are final, the
        # ones it lacks (the search index) are on their way, and a request for one of them waits.
        self.completing = False
        self.error: str | None = None
        self.gone = False  # the site folder was renamed, moved or deleted while serving
        self.generation = 0
        self.builds_started = 0  # counted before a build reads anything (serve/watcher.py)
        self.changed = threading.Condition()
        # Parsed sources and rendered pages stay in memory: a save re-renders only what it touched.
        self.caches = BuildCaches()
        # The watcher, the editor and a test may each ask for a build at once; the caches and the
        # sealed files beside the site are for one build at a time.
        self._building = threading.Lock()
        # How many tabs hear of rebuilds (the server's event streams), and how many pages were sent to tabs.
        self.open_tabs: Callable[[], int] = lambda: 0
        self._pages_sent = 0
        self._sent = threading.Condition()

    def rebuild(self, changed: Collection[str] | None = None) -> str:
        """Build in memory; on any failure keep serving the last good output. Returns a short report.

        changed: every path that changed since the last rebuild, as the file watcher saw them; None when
        they are not all known, and the site's folders are read again.

        Whatever goes wrong, a site's mistake or a bug of samizdat's, becomes the browser's error overlay
        and the next save builds again: the dev server must outlive every rebuild.

        In two parts where the site has a search index: first everything but the index, served (and the
        tabs told) at once, since filing a language's index takes longer than the rest of a one-edit
        rebuild; then the whole build again, from the caches, which completes it. Nothing the first part
        serves is stale: each of its files is the whole build's, and a request for a file it lacks waits
        for the second part (`output_for`)."""
        with self._building:
            self.builds_started += 1
            return self._rebuild(self._known_changes(changed))

    def _known_changes(self, changed: Collection[str] | None) -> frozenset[str] | None:
        """The changed paths in the form the build names files (resolved, below the resolved site folder),
        or None: after a failed build the last reading of the folders may not be whole."""
        if changed is None or self.error is not None or self.output is None:
            return None
        given, resolved = os.path.abspath(self.site_root), os.fspath(self.site_root.resolve())
        found = set()
        for path in changed:
            rel = os.path.relpath(os.path.abspath(path), given)
            if rel == os.pardir or rel.startswith(os.pardir + os.sep):
                return None
            found.add(os.path.normpath(os.path.join(resolved, rel)))
        return frozenset(found)

    def _rebuild(self, changed: frozenset[str] | None = None) -> str:
        start = time.perf_counter()
        before = self.output
        first = self._build(self.options._replace(search_index=False) if self.splits else self.options, changed)
        if isinstance(first, str):
            return first
        shown = time.perf_counter() - start
        with self._sent:
            sent = self._pages_sent
        self._publish(first, completing=bool(first.later), new_generation=True)
        if not first.later:
            return self._report(first, shown, "")
        self._let_tabs_fetch(sent)
        # The tabs ask for the page at once, on other threads, while this part runs: Python hands the
        # interpreter between threads every 5 ms by default, which each step of their answers would wait out.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, SHARING_SECONDS))
        try:
            # Whatever changes from here on is the watcher's next batch: to this build, nothing has.
            whole = self._build(self.options, frozenset() if changed is not None else None)
        finally:
            sys.setswitchinterval(interval)
        if isinstance(whole, str):  # the first part is never served without the rest
            with self.changed:
                self.output, self.completing = before, False
                self.changed.notify_all()
            return whole
        # Each file of the first part is the whole build's (the later stages add files, they change none); a
        # difference would be a bug, and the tabs are then told to load the pages again rather than keep it.
        self._publish(whole, completing=False, new_generation=not _holds_the_same(first, whole))
        rest = (time.perf_counter() - start - shown) * 1000
        return self._report(whole, shown, f" (then {', '.join(first.later)} in {rest:.0f} ms more)")

    def page_sent(self) -> None:
        """A page went out to a tab, whole (the server's handler says so)."""
        with self._sent:
            self._pages_sent += 1
            self._sent.notify_all()

    def _let_tabs_fetch(self, sent: int) -> None:
        """Wait until as many pages went out since `sent` as tabs were told of the first part, or
        TABS_WAIT_SECONDS: what a save shows is not served beside the rest of the build."""
        tabs = self.open_tabs()
        deadline = time.monotonic() + TABS_WAIT_SECONDS
        with self._sent:
            while self._pages_sent - sent < tabs:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._sent.wait(left)

    @property
    def splits(self) -> bool:
        """Whether a build is shown in two parts: not with relative links, as those are made over every
        file's name, the search index's among them."""
        return not self.options.relative

    def output_for(self, found: Callable[[SiteOutput], bool]) -> SiteOutput | None:
        """The output a request is answered from: while a build completes, one that does not find its file
        in the first part waits for the whole (a search chunk, or a 404 that may not be one)."""
        with self.changed:
            deadline = time.monotonic() + LATER_WAIT_SECONDS
            while self.completing and self.output is not None and not found(self.output):
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(left)
            return self.output

    def _build(self, options: BuildOptions, changed: frozenset[str] | None = None) -> SiteOutput | str:
        try:
            # The caches hold millions of objects between saves: a full collection walking them all in the
            # middle of a rebuild costs more than the rebuild. Collections run again once it is done.
            with gc_paused():
                return render_site(self.site_root, options, caches=self.caches, changed=changed)
        except SamizdatError as exc:
            return self._fail(str(exc))
        except Exception as exc:  # a bug: shown with its traceback, the server carries on
            # The caches may hold half of what the failed build put in them: start afresh.
            self.caches = BuildCaches()
            return self._fail(describe_bug(exc))

    def _publish(self, output: SiteOutput, completing: bool, new_generation: bool) -> None:
        with self.changed:
            self.output, self.error, self.gone, self.completing = output, None, False, completing
            if new_generation:
                self.generation += 1
            self.changed.notify_all()

    def _report(self, output: SiteOutput, seconds: float, rest: str) -> str:
        warnings = "".join(f"\n{finding}" for finding in output.findings if finding.severity != "info")
        verb = "rebuilt" if self.generation > 1 else "built"
        html = sum(1 for rel in output.pages if rel.endswith(".html"))
        return f"{verb} {html} pages in {seconds * 1000:.0f} ms{rest}{warnings}"

    def mark_gone(self) -> bool:
        """The site folder is missing: say so in every open tab. True the first time it is noticed."""
        with self.changed:
            if self.gone:
                return False
            self.gone = True
            self.error = (f"{self.site_root} no longer exists (renamed, moved or deleted).\n"
                          "Pages already built are still served; files such as images are not.\n"
                          "Put the folder back under the same name and the site is built again.")
            self.changed.notify_all()
            return True

    def title(self) -> str:
        if self.gone:
            return TITLE_GONE
        return TITLE_FAILED if self.output is not None else TITLE_NOTHING

    def message(self) -> str:
        return json.dumps({"generation": self.generation, "error": self.error,
                           "title": self.title() if self.error else None})

    def _fail(self, text: str) -> str:
        with self.changed:
            self.error, self.completing = text, False
            self.changed.notify_all()
        return f"error: {text}"


def describe_bug(exc: BaseException) -> str:
    """An unexpected exception, with the last frames of its traceback: what a bug report needs."""
    frames = traceback.format_exception(exc, limit=-TRACEBACK_FRAMES)
    return (f"internal error: {type(exc).__name__}: {exc}\n"
            "  hint: this is a bug in samizdat, not in your site; please report it with the text below.\n"
            "  Save a file to build again.\n\n" + "".join(frames).rstrip())


def _holds_the_same(first: SiteOutput, whole: SiteOutput) -> bool:
    """Every file of the first part is in the whole build, with the same bytes (the same object, mostly:
    the comparison is then one pointer) or from the same site file."""
    pages, copies = whole.pages, whole.copies
    return (all(pages.get(rel) == data for rel, data in first.pages.items())
            and all(copies.get(rel) == path for rel, path in first.copies.items()))
