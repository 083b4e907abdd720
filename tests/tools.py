"""Audit tools installed from npm by .ci/run into .cache/npm; locally a test skips, saying how to get them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NPM_DIR = REPO / ".cache" / "npm" / "node_modules"
INSTALL = "npm install --prefix .cache/npm axe-core@4 vnu-jar"


def npm_file(relative: str, what: str) -> Path:
    """A file from an npm package; CI (which installs them) fails without it, a developer's run skips."""
    path = NPM_DIR / relative
    if not path.is_file():
        message = f"{what} is not installed ({path} is missing): run `{INSTALL}`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path
