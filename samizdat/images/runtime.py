"""What the face detector is on this computer, known without loading it on every build.

Whether OpenCV imports, and the model's version (its bytes and the runtime that runs it), are part of
every photo's cache key. Finding out means importing OpenCV and loading the network: a fifth of a second
or more, on each build of a site with photos, even when every photo comes from the cache. So the
answers are kept with the build's other results (products.py), under a key made of the stat data of
the runtime's files and of the model files: a package installed, upgraded or removed, or a model
replaced, changes an inode and a change time, which no one can set back, and the answer is asked again.
The search's own settings are not kept here: `faces.detector_version` adds them on every call.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from typing import Any

from samizdat.products import ProductBook

KIND = "detector:"  # the results' keys in the book
RUNTIME_MODULES = ("cv2", "onnxruntime", "numpy")  # what `import cv2` and the network load depend on


def detector_available(book: ProductBook | None) -> bool:
    """faces.detector_available(), asked again only when the runtime's files changed."""
    from samizdat.images import faces

    if book is None:
        return faces.detector_available()
    return bool(_kept(book, "available", faces.detector_available))


def detector_version(book: ProductBook | None) -> str:
    """faces.detector_version(), with the model's version asked again only when its files changed."""
    from samizdat.images import centerface, faces

    if book is None:
        return faces.detector_version()
    model = faces.SEARCH.model
    known = _kept(book, f"model:{model}", lambda: centerface.model_version(model))
    return faces.detector_version(str(known))


def _kept(book: ProductBook, question: str, ask: Any) -> object:
    key = f"{KIND}{question}:{_fingerprint(question)}"
    found = book.find(key)
    if found is not None and isinstance(value := found[0], dict) and value.get("key") == key:
        answer = value.get("answer")
        if isinstance(answer, bool | str):
            return answer
    answer = ask()
    book.keep(key, {"key": key, "answer": answer}, [])
    return answer


def _fingerprint(question: str) -> str:
    """The Python, and the stat data of each runtime module's file and of each model file."""
    from samizdat.images import centerface

    # Not sys.executable: `samizdat` and `python -m samizdat` may name the same interpreter by two links.
    lines = [question, sys.version]
    for name in RUNTIME_MODULES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):  # a module in sys.modules without a spec (a test's stand-in)
            spec = None
        lines.append(f"{name}\t{_stat_line(spec.origin if spec else None)}")
    for model in (centerface.FLOAT_MODEL, centerface.INT8_MODEL):
        lines.append(f"{model}\t{_stat_line(str(centerface._resource(model)))}")
    return hashlib.sha256("\n".join(lines).encode("utf-8", "surrogateescape")).hexdigest()


def _stat_line(path: str | None) -> str:
    if not path:
        return "-"
    try:
        info = os.stat(path)
    except OSError:
        return f"{path}\t?"
    return f"{path}\t{info.st_size}\t{info.st_mtime_ns}\t{info.st_ctime_ns}\t{info.st_ino}\t{info.st_dev}"
