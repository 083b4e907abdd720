"""Large blocks freed by a render worker go back to the system (samizdat/allocator.py)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

PROBE = """
import os, sys
from samizdat.allocator import map_large_blocks

def resident() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

if sys.argv[1] == "mapped":
    map_large_blocks()
one = bytearray(4 << 20)
del one  # freeing a mapped block raises glibc's limit past its size
before = resident()
pages = [bytearray(300 * 1024) for _ in range(100)]  # 30 MB of large blocks, as a worker's rendered pages
after = [bytearray(2048) for _ in range(100)]  # small blocks made after them, still in use
del pages
print(resident() - before)
"""


@pytest.mark.skipif(sys.platform != "linux" or platform.libc_ver()[0] != "glibc", reason="a glibc setting")
def test_freed_large_blocks_leave_the_process() -> None:
    kept = {mode: int(subprocess.run([sys.executable, "-c", PROBE, mode], capture_output=True, text=True,
                                     check=True).stdout)
            for mode in ("default", "mapped")}
    assert kept["default"] > 20 << 20  # glibc as it starts keeps them: the probe sees the difference
    assert kept["mapped"] < 4 << 20
