"""Which photos have faces masked: the site's default ([images] mask_faces) and data/faces.yaml.

data/faces.yaml maps a photo's path in the site folder to `mask: true/false` (run the detector on it
or not), `regions: [[x, y, w, h], …]`, boxes added by hand in the pixels of the upright full-size
photo, for faces the detector misses, and `not_faces: [[x, y, w, h], …]`, boxes the detector found
that a volunteer has looked at and rejected (a poster, a wheel). Regions are always masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samizdat.config import SiteConfig
from samizdat.content.frontmatter import load_yaml
from samizdat.content.sources import read_text
from samizdat.errors import ImageError, SourceLocation
from samizdat.images.model import FacePlan, Region
from samizdat.images.work import FACES_FILE
from samizdat.site_files import site_file


@dataclass(frozen=True)
class FacePolicy:
    detect_by_default: bool
    style: str
    plans: dict[str, FacePlan]  # site-relative photo path → its own plan
    lines: dict[str, int]  # site-relative photo path → its line in data/faces.yaml
    path: Path

    def plan_for(self, rel: str) -> FacePlan:
        return self.plans.get(rel) or FacePlan(self.detect_by_default, (), self.style)

    def location_of(self, rel: str) -> SourceLocation:
        return SourceLocation(self.path, self.lines.get(rel))


def load_face_policy(config: SiteConfig) -> FacePolicy:
    path = site_file(config.root, FACES_FILE)  # real folders and a real file: never read through a link
    images = config.images
    if not path.is_file():
        return FacePolicy(images.mask_faces, images.mask_style, {}, {}, path)
    text = read_text(path)
    raw = load_yaml(text, path) or {}
    lines = _key_lines(text)
    if not isinstance(raw, dict):
        raise ImageError("faces.yaml must map photo paths to settings", SourceLocation(path, 1),
                         hint="e.g. assets/march.jpg: {mask: true}")
    plans = {}
    for rel, entry in raw.items():
        where = SourceLocation(path, lines.get(str(rel)))
        plans[str(rel)] = _plan(entry, images.mask_faces, images.mask_style, where)
    return FacePolicy(images.mask_faces, images.mask_style, plans, lines, path)


def _plan(entry: Any, default: bool, style: str, where: SourceLocation) -> FacePlan:
    if not isinstance(entry, dict) or set(entry) - {"mask", "regions", "not_faces"}:
        raise ImageError("each photo takes `mask: true/false`, `regions: [[x, y, w, h], …]` and "
                         "`not_faces: [[x, y, w, h], …]`", where,
                         hint="e.g. assets/march.jpg: {mask: true, regions: [[120, 40, 80, 80]]}")
    mask = entry.get("mask", default)
    if not isinstance(mask, bool):
        raise ImageError("`mask` must be true or false", where)
    boxes = {}
    for key in ("regions", "not_faces"):
        boxes[key] = entry.get(key) or []
        if not isinstance(boxes[key], list) or not all(_is_box(box) for box in boxes[key]):
            raise ImageError(f"`{key}` must be a list of [x, y, width, height] in pixels", where,
                             hint="measure in the photo as it is shown, upright and full size")
    return FacePlan(mask, tuple(Region(*box, origin="by hand") for box in boxes["regions"]), style,
                    tuple(Region(*box, origin="not a face") for box in boxes["not_faces"]))


def _is_box(box: Any) -> bool:
    return (isinstance(box, list) and len(box) == 4 and all(isinstance(v, int) and v >= 0 for v in box)
            and box[2] > 0 and box[3] > 0)


def _key_lines(text: str) -> dict[str, int]:
    pattern = re.compile(r"""^(?:"([^"]+)"|'([^']+)'|([^\s#:'"][^:]*?))\s*:""")
    lines = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = pattern.match(line)
        if match:
            lines[match[1] or match[2] or match[3]] = number
    return lines
