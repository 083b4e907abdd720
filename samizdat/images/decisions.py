"""A volunteer's answer about one unsure box, written to data/faces.yaml and nowhere else.

`reject` (not a face: a poster, a wheel) puts the box under the photo's `not_faces`, so it is left
unmasked; `accept` (a face) puts it under `regions`, so it stays masked whatever a later detector finds.
The site folder is hostile input: the file is written only at SITE/data/faces.yaml, never through a
link, and replaced whole (a crash leaves the old file or the new one, never half of one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from samizdat.content.safe_yaml import load_yaml
from samizdat.errors import ImageError, SourceLocation
from samizdat.images.policy import FACES_FILE
from samizdat.site_files import replace_file

DECISIONS = {"accept": "regions", "reject": "not_faces"}
HEADER = "# Faces to mask, by photo (docs/photo-safety.md). Answers from `samizdat faces --review` are written here.\n"


@dataclass(frozen=True)
class Decision:
    photo: str  # the photo's path in the site folder, e.g. assets/march.jpg
    box: tuple[int, int, int, int]  # x, y, width, height in the upright full-size photo
    decision: str  # "accept" or "reject"


def parse_decision(raw: Any, photos: frozenset[str]) -> Decision:
    """A decision from the review page, checked field by field: anything else is refused."""
    if not isinstance(raw, dict) or set(raw) != {"photo", "box", "decision"}:
        raise ValueError("expected {photo, box, decision}")
    photo, box, decision = raw["photo"], raw["box"], raw["decision"]
    if photo not in photos:
        raise ValueError("not a photo of this review")
    if decision not in DECISIONS:
        raise ValueError("decision must be accept or reject")
    if not (isinstance(box, list) and len(box) == 4 and all(type(v) is int and 0 <= v < 1 << 20 for v in box)
            and box[2] > 0 and box[3] > 0):
        raise ValueError("box must be [x, y, width, height] in pixels")
    return Decision(photo, (box[0], box[1], box[2], box[3]), decision)


def record(site_root: Path, decision: Decision) -> Path:
    path = _faces_file(site_root)
    data = _read(path)
    entry = data.get(decision.photo)
    if entry is None:
        entry = data[decision.photo] = {}
    if not isinstance(entry, dict):
        raise ImageError(f"{decision.photo} must map to settings", SourceLocation(path),
                         hint="e.g. assets/march.jpg: {mask: true}")
    box = list(decision.box)
    keep, drop = DECISIONS[decision.decision], DECISIONS["reject" if decision.decision == "accept" else "accept"]
    for key, wanted in ((keep, True), (drop, False)):
        boxes = [b for b in (entry.get(key) or []) if b != box]
        entry[key] = [*boxes, box] if wanted else boxes
        if not entry[key]:
            del entry[key]
    text = HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None)
    replace_file(path, text.encode("utf-8"))
    return path


def _faces_file(site_root: Path) -> Path:
    """SITE/data/faces.yaml, refusing a data folder or file that is a link (it could point anywhere)."""
    root = site_root.resolve()
    folder, path = root / Path(FACES_FILE).parent, root / FACES_FILE
    for step in (folder, path):
        if step.is_symlink() or (step.exists() and step.resolve().parent != step.parent.resolve()):
            raise ImageError(f"{step} is a link: answers are written only to a plain file in the site folder",
                             SourceLocation(step), hint="replace the link with the file itself")
    if path.exists() and not path.is_file():
        raise ImageError(f"{path} is not a file", SourceLocation(path), hint="remove it, or make it a YAML file")
    folder.mkdir(exist_ok=True)
    return path


def _read(path: Path) -> dict[Any, Any]:
    if not path.is_file():
        return {}
    data = load_yaml(path.read_text(encoding="utf-8"), path) or {}
    if not isinstance(data, dict):
        raise ImageError("faces.yaml must map photo paths to settings", SourceLocation(path, 1),
                         hint="e.g. assets/march.jpg: {mask: true}")
    return data
