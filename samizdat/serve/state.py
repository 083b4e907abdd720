"""What the dev server serves: the last good build, the current error, and who to tell of changes."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from samizdat.build.caches import BuildCaches
from samizdat.build.output import SiteOutput
from samizdat.build.pipeline import render_site
from samizdat.errors import SamizdatError


class DevState:
    def __init__(self, site_root: Path) -> None:
        self.site_root = site_root
        self.output: SiteOutput | None = None
        self.error: str | None = None
        self.generation = 0
        self.changed = threading.Condition()
        # Parsed sources and rendered pages stay in memory: a save re-renders only what it touched.
        self.caches = BuildCaches(on_disk=False)

    def rebuild(self) -> str:
        """Build in memory; on failure keep serving the last good output. Returns a one-line report."""
        start = time.perf_counter()
        try:
            output = render_site(self.site_root, caches=self.caches)
        except SamizdatError as exc:
            with self.changed:
                self.error = str(exc)
                self.changed.notify_all()
            return f"error: {exc}"
        with self.changed:
            self.output, self.error = output, None
            self.generation += 1
            self.changed.notify_all()
        warnings = "".join(f"\n{finding}" for finding in output.findings if finding.severity != "info")
        verb = "rebuilt" if self.generation > 1 else "built"
        html = sum(1 for rel in output.pages if rel.endswith(".html"))
        return f"{verb} {html} pages in {(time.perf_counter() - start) * 1000:.0f} ms{warnings}"

    def message(self) -> str:
        return json.dumps({"generation": self.generation, "error": self.error})
