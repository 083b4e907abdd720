"""Audit tools installed from npm into .cache/npm by scripts/test; without them a test fails, saying how."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NPM_DIR = REPO / ".cache" / "npm" / "node_modules"
# The versions scripts/test installs; a test that needs one names this command when it is missing.
NPM_PACKAGES = "axe-core@4.14.1 vnu-jar@26.9.27"
INSTALL = f"scripts/test (it installs them), or: npm install --prefix .cache/npm {NPM_PACKAGES}"


def npm_file(relative: str, what: str) -> Path:
    """A file from an npm package. Missing, it fails the test: a skipped audit would pass unnoticed."""
    path = NPM_DIR / relative
    if not path.is_file():
        pytest.fail(f"{what} is not installed ({path} is missing): run {INSTALL}")
    return path
