"""What the dev server serves: the last good build, the current error, and who to tell of changes."""

from __future__ import annotations

import json
import threading
import time
import traceback
from pathlib import Path

from samizdat.build.cache import BuildCaches
from samizdat.build.options import BuildOptions
from samizdat.build.output import SiteOutput
from samizdat.build.pipeline import render_site
from samizdat.collector import gc_paused
from samizdat.errors import SamizdatError

TRACEBACK_FRAMES = 6  # enough to find the failing line; the overlay is read on a phone too
TITLE_FAILED = "samizdat: the build failed — the last good version is still served"
TITLE_NOTHING = "samizdat: the build failed — there is no good version to serve yet"
TITLE_GONE = "samizdat: the site folder is gone — waiting for it to come back"


class DevState:
    def __init__(self, site_root: Path, drafts: bool = False) -> None:
        self.site_root = site_root
        self.options = BuildOptions(drafts=drafts)
        self.output: SiteOutput | None = None
        self.error: str | None = None
        self.gone = False  # the site folder was renamed, moved or deleted while serving
        self.generation = 0
        self.changed = threading.Condition()
        # Parsed sources and rendered pages stay in memory: a save re-renders only what it touched.
        self.caches = BuildCaches()
        # The watcher, the editor and a test may each ask for a build at once; the caches and the
        # sealed files beside the site are for one build at a time.
        self._building = threading.Lock()

    def rebuild(self) -> str:
        """Build in memory; on any failure keep serving the last good output. Returns a short report.

        Whatever goes wrong, a site's mistake or a bug of samizdat's, becomes the browser's error overlay
        and the next save builds again: the dev server must outlive every rebuild."""
        start = time.perf_counter()
        try:
            # The caches hold millions of objects between saves: a full collection walking them all in the
            # middle of a rebuild costs more than the rebuild. Collections run again once it is done.
            with gc_paused():
                output = render_site(self.site_root, self.options, caches=self.caches)
        except SamizdatError as exc:
            return self._fail(str(exc))
        except Exception as exc:  # a bug: shown with its traceback, the server carries on
            # The caches may hold half of what the failed build put in them: start afresh.
            self.caches = BuildCaches()
            return self._fail(describe_bug(exc))
        with self.changed:
            self.output, self.error, self.gone = output, None, False
            self.generation += 1
            self.changed.notify_all()
        warnings = "".join(f"\n{finding}" for finding in output.findings if finding.severity != "info")
        verb = "rebuilt" if self.generation > 1 else "built"
        html = sum(1 for rel in output.pages if rel.endswith(".html"))
        return f"{verb} {html} pages in {(time.perf_counter() - start) * 1000:.0f} ms{warnings}"

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
            self.error = text
            self.changed.notify_all()
        return f"error: {text}"


def describe_bug(exc: BaseException) -> str:
    """An unexpected exception, with the last frames of its traceback: what a bug report needs."""
    frames = traceback.format_exception(exc, limit=-TRACEBACK_FRAMES)
    return (f"internal error: {type(exc).__name__}: {exc}\n"
            "  hint: this is a bug in samizdat, not in your site; please report it with the text below.\n"
            "  Save a file to build again.\n\n" + "".join(frames).rstrip())
