#!/usr/bin/env python3
"""Lighthouse scores of the bundled site's three home pages, on a phone and on a desktop.

    npm install --prefix .cache/npm lighthouse@12.2.3     # once (Lighthouse 13 needs Node 22)
    python scripts/lighthouse.py [--runs 3] [--keep DIR]

Builds site/ into a temporary folder, serves it on 127.0.0.1 and runs Lighthouse with Debian's
Chromium (CHROME_PATH=/usr/bin/chromium; Lighthouse never downloads a browser here). Prints the four
category scores per page and form factor; with --runs N, each score is the median of N runs
(simulated mobile throttling makes the performance score vary from run to run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from samizdat.build.pipeline import build_site  # noqa: E402
from tests.browser import static_server  # noqa: E402

LIGHTHOUSE = REPO / ".cache/npm/node_modules/lighthouse/cli/index.js"
PAGES = ("/", "/en/", "/kr/")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
FORM_FACTORS = {"mobile": ["--form-factor=mobile"], "desktop": ["--preset=desktop"]}
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-sync "
                "--disable-background-networking --disable-component-update --disable-dev-shm-usage")


def run_lighthouse(url: str, form_factor: str, report: Path) -> dict[str, int]:
    command = ["node", str(LIGHTHOUSE), url, *FORM_FACTORS[form_factor], "--quiet", "--output=json",
               f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
               f"--chrome-flags={CHROME_FLAGS}"]
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, env=env, check=True, timeout=300, capture_output=True)
    result = json.loads(report.read_text(encoding="utf-8"))
    if result.get("runtimeError"):
        raise RuntimeError(f"{url}: {result['runtimeError']}")
    return {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="runs per page and form factor (median is shown)")
    parser.add_argument("--keep", type=Path, help="keep the JSON reports in this folder")
    args = parser.parse_args()
    if not LIGHTHOUSE.is_file():
        print(f"Lighthouse is not installed: npm install --prefix {REPO / '.cache/npm'} lighthouse@12.2.3",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as temporary:
        out = Path(temporary) / "site"
        build_site(REPO / "site", out)
        reports = args.keep or Path(temporary) / "reports"
        reports.mkdir(parents=True, exist_ok=True)
        print(f"{'page':<6} {'form factor':<12}" + "".join(f"{name:>16}" for name in CATEGORIES))
        with static_server(out) as base:
            for path in PAGES:
                for form_factor in FORM_FACTORS:
                    runs = [run_lighthouse(base + path, form_factor,
                                           reports / f"{path.strip('/') or 'ru'}-{form_factor}-{n}.json")
                            for n in range(args.runs)]
                    medians = [statistics.median(run[name] for run in runs) for name in CATEGORIES]
                    print(f"{path:<6} {form_factor:<12}" + "".join(f"{score:>16g}" for score in medians), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
