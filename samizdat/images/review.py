"""`samizdat faces SITE`: a local page showing each photo with the regions that will be masked.

A person looks at it before publishing: faces the detector missed are added by hand in data/faces.yaml.
The page and its images stay on this computer (by default in SITE/.samizdat-cache/, never published).
"""

from __future__ import annotations

import html
import shutil
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageDraw

from samizdat.config import load_config
from samizdat.content.sources import discover
from samizdat.errors import ImageError, OutputError, SourceLocation
from samizdat.images.colour import UnsupportedMode
from samizdat.images.faces import INSTALL_HINT, detect_faces, detector_available, mask_regions
from samizdat.images.model import FacePlan, Region, is_raster
from samizdat.images.policy import load_face_policy
from samizdat.images.probe import ImageProblem, probe
from samizdat.images.process import encode, load_upright
from samizdat.outputs.static import static_files
from samizdat.theme import theme_paths

REVIEW_DIR = ".samizdat-cache/faces-review"
MARKER = ".samizdat-faces-review"
PREVIEW_SIDE = 1200
OUTLINE = {"detected": (255, 0, 0), "by hand": (255, 160, 0)}
STYLE = "body{font:16px/1.5 sans-serif;max-width:70rem;margin:1rem auto;padding:0 1rem}img{max-width:100%}" \
        ".pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}section{border-top:1px solid #999;margin:2rem 0}"


@dataclass(frozen=True)
class Reviewed:
    rel: str
    note: str
    regions: tuple[Region, ...]
    files: tuple[str, ...]  # the outlined photo and the masked one


def write_face_review(site_root: Path, out_dir: Path | None = None) -> Path:
    config = load_config(site_root)
    _, content_files = discover(config)
    copies = static_files(config, theme_paths(config).static_dir, content_files)
    photos = sorted({path for rel, path in copies.items() if is_raster(rel) and path.is_relative_to(config.root)})
    policy = load_face_policy(config)
    rels = [path.relative_to(config.root).as_posix() for path in photos]
    if any(policy.plan_for(rel).detect for rel in rels) and not detector_available():
        raise ImageError("faces are to be masked, but the face detector (OpenCV) is not installed",
                         SourceLocation(config.config_path), hint=INSTALL_HINT)
    out = out_dir or config.root / REVIEW_DIR
    _prepare(out)
    reviewed = [_review(path, rel, policy.plan_for(rel), out, index) for index, (path, rel) in
                enumerate(zip(photos, rels, strict=True))]
    (out / "review.css").write_text(STYLE, encoding="utf-8")
    (out / "index.html").write_text(_page(reviewed), encoding="utf-8")
    return out / "index.html"


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise OutputError(f"{out} already holds files that samizdat did not write", SourceLocation(out),
                          hint="choose a new folder for the review page")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    (out / MARKER).write_text("written by `samizdat faces`\n", encoding="utf-8")


def _review(path: Path, rel: str, plan: FacePlan, out: Path, index: int) -> Reviewed:
    try:
        probe(path, "")
    except ImageProblem as problem:
        return Reviewed(rel, f"not published: {problem.message}", (), ())
    try:
        image = load_upright(path)
    except (UnsupportedMode, OSError, ValueError) as exc:
        return Reviewed(rel, f"not published: {exc}", (), ())
    regions = plan.regions + (detect_faces(image) if plan.detect else ())
    outlined = image.convert("RGB")
    draw = ImageDraw.Draw(outlined)
    width = max(3, image.width // 200)
    for region in regions:
        draw.rectangle((region.x, region.y, region.x + region.w, region.y + region.h),
                       outline=OUTLINE.get(region.origin, (255, 0, 0)), width=width)
    masked = mask_regions(image, regions, plan.style).convert("RGB")
    files = (f"{index}-regions.jpg", f"{index}-masked.jpg")
    for name, picture in zip(files, (outlined, masked), strict=True):
        picture.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
        (out / name).write_bytes(encode(picture, "JPEG", 85))
    detector = "faces detected and masked" if plan.detect else "face detection off for this photo"
    return Reviewed(rel, f"{detector}; {len(regions)} region(s) will be masked", regions, files)


def _page(reviewed: list[Reviewed]) -> str:
    sections = []
    for item in reviewed:
        boxes = "".join(f"<li>{r.origin}: [{r.x}, {r.y}, {r.w}, {r.h}]</li>" for r in item.regions)
        images = "".join(f'<img src="{name}" alt="">' for name in item.files)
        sections.append(f"<section><h2>{html.escape(item.rel)}</h2><p>{html.escape(item.note)}</p>"
                        f"<ul>{boxes}</ul><div class=\"pair\">{images}</div></section>")
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self'; "
            "style-src 'self'\"><title>Faces to mask: review before publishing</title>"
            "<link rel=\"stylesheet\" href=\"review.css\"></head><body><h1>Faces to mask</h1>"
            "<p>Left: each photo with the regions that will be masked (red: found by the detector, orange: "
            "added by hand in data/faces.yaml). Right: the photo as it will be published. Add any face the "
            "detector missed to data/faces.yaml as [x, y, width, height] in the full-size photo's pixels.</p>"
            + "".join(sections) + "</body></html>\n")
