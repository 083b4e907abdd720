"""`samizdat faces SITE`: a local page showing each photo with the regions that will be masked.

A person looks at it before publishing: faces the detector missed are added by hand in data/faces.yaml.
The page and its images stay on this computer (by default in SITE/.samizdat-cache/, never published).
"""

from __future__ import annotations

import html
import importlib.resources
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

from samizdat.config import SiteConfig, load_config
from samizdat.content.sources import discover
from samizdat.errors import ConfigError, ImageError, OutputError, SourceLocation
from samizdat.images.cache import ImageCache
from samizdat.images.colour import UnsupportedMode
from samizdat.images.faces import (
    INSTALL_HINT,
    detect_faces,
    detector_available,
    detector_version,
    mask_regions,
    without_rejected,
)
from samizdat.images.model import FacePlan, Region
from samizdat.images.policy import load_face_policy
from samizdat.images.probe import ImageProblem, probe
from samizdat.images.process import encode, load_upright
from samizdat.images.work import is_raster
from samizdat.outputs.static import static_files
from samizdat.products import ProductBook, transient_book
from samizdat.theme import theme_paths

REVIEW_DIR = ".samizdat-cache/faces-review"
MARKER = ".samizdat-faces-review"
PREVIEW_SIDE = 1200
OUTLINE = {"detected": (255, 0, 0), "by hand": (255, 160, 0)}
UNSURE_OUTLINE = (0, 90, 255)
UNSURE = 0.3  # a detected box scored below this is shown close up, for a person to say whether it is a face
SMALL_FACE = 32  # boxes narrower than this (padded) are the crowd's faces, the easiest to miss
MAX_CLOSE_UPS = 48  # per photo: beyond that, the page says how many more to look for on the photo
CLOSE_UP_SIDE = 160
STRINGS = "review_strings.yaml"
STYLE = "body{font:16px/1.5 sans-serif;max-width:70rem;margin:1rem auto;padding:0 1rem}img{max-width:100%}" \
        ".pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}section{border-top:1px solid #999;margin:2rem 0}" \
        ".unsure{display:flex;flex-wrap:wrap;gap:.5rem}figure{margin:0;width:170px}figcaption{font-size:12px}" \
        "figure[data-decided=accept]{outline:3px solid #c00}figure[data-decided=reject]{opacity:.5}" \
        "figure[data-decided=error]{outline:3px dashed #c00}"
# The buttons of the served page: each answer is one POST to the server that served the page, which
# takes the page's token from its address (http://127.0.0.1:PORT/TOKEN/) and writes data/faces.yaml.
SCRIPT = """"use strict";
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-decision]");
  if (!button) return;
  const figure = button.closest("figure");
  const answer = figure.querySelector("output");
  let response;
  try {
    response = await fetch("decide", {method: "POST", headers: {"Content-Type": "application/json",
      "X-Review-Token": location.pathname.split("/")[1]}, body: JSON.stringify({photo: button.dataset.photo,
      box: button.dataset.box.split(",").map(Number), decision: button.dataset.decision})});
  } catch (error) {
    response = {ok: false, text: async () => String(error)};
  }
  figure.dataset.decided = response.ok ? button.dataset.decision : "error";
  answer.textContent = response.ok ? "\u2713 " + button.textContent : await response.text();
});
"""


@dataclass(frozen=True)
class Reviewed:
    rel: str
    note: str
    regions: tuple[Region, ...]
    files: tuple[str, ...]  # the outlined photo and the masked one
    unsure: tuple[tuple[Region, str], ...] = ()  # low-confidence boxes with a close-up of each
    risk: tuple[int, int] = (0, 0)  # small faces, unsure boxes: the page shows the riskiest photos first


@dataclass(frozen=True)
class ReviewPage:
    index: Path
    photos: frozenset[str]  # the photos it shows, by path in the site folder


def write_face_review(site_root: Path, out_dir: Path | None = None, language: str | None = None,
                      interactive: bool = False, book: ProductBook | None = None) -> ReviewPage:
    """The review page; interactive: with accept/reject buttons, for `samizdat faces --review` to serve.
    book: the results the last build kept (what the detector found in each photo), read only."""
    config = load_config(site_root)
    code = _language(config, language)
    _, content_files = discover(config)
    copies = static_files(config, theme_paths(config).static_dir, content_files)
    photos = sorted({path for rel, path in copies.items() if is_raster(rel) and path.is_relative_to(config.root)})
    policy = load_face_policy(config)
    rels = [path.relative_to(config.root).as_posix() for path in photos]
    if any(policy.plan_for(rel).detect for rel in rels) and not detector_available():
        raise ImageError("faces are to be masked, but the face detector (OpenCV) is not installed",
                         SourceLocation(config.config_path), hint=INSTALL_HINT)
    out = out_dir or config.root / REVIEW_DIR
    _prepare(out, config.root)
    words = review_words(code)
    found = _FoundFaces(ImageCache(book or transient_book(config.root)))
    reviewed = [_review(path, rel, policy.plan_for(rel), out, index, words, found) for index, (path, rel) in
                enumerate(zip(photos, rels, strict=True))]
    reviewed.sort(key=lambda item: (-item.risk[0] - item.risk[1], item.rel))
    (out / "review.css").write_text(STYLE, encoding="utf-8")
    if interactive:
        (out / "review.js").write_text(SCRIPT, encoding="utf-8")
    (out / "index.html").write_text(_page(reviewed, words, code, interactive), encoding="utf-8")
    return ReviewPage(out / "index.html", frozenset(rels))


def _language(config: SiteConfig, language: str | None) -> str:
    """The volunteer's language: one of the site's, its main one unless asked."""
    if language is None:
        return config.default_language.code
    if config.language(language) is None:
        codes = ", ".join(lang.code for lang in config.languages)
        raise ConfigError(f"the site has no language {language!r}", SourceLocation(config.config_path),
                          hint=f"choose one of: {codes}")
    return language


def review_words(language: str) -> dict[str, str]:
    """The page's words in the site's main language (the volunteer's), English where it has none."""
    catalog = yaml.safe_load((importlib.resources.files("samizdat.images") / STRINGS).read_text(encoding="utf-8"))
    return catalog["en"] | catalog.get(language.split("-")[0], {})


def _prepare(out: Path, site_root: Path) -> None:
    """The folder made empty for the page. By default it lies in the site, which may bring links of its
    own (`.samizdat-cache` linked to a folder elsewhere): the page is never written through one."""
    folder = out.absolute()
    while True:
        if folder.is_symlink():
            raise OutputError(f"{folder} is a symbolic link; the review page is not written through it",
                              SourceLocation(folder), hint="delete the link; samizdat makes that folder itself")
        if folder == site_root.absolute() or folder.parent == folder or not folder.is_relative_to(site_root.absolute()):
            break
        folder = folder.parent
    marker = out / MARKER
    if out.exists() and any(out.iterdir()) and not (marker.is_file() and not marker.is_symlink()):
        raise OutputError(f"{out} already holds files that samizdat did not write", SourceLocation(out),
                          hint="choose a new folder for the review page")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    (out / MARKER).write_text("written by `samizdat faces`\n", encoding="utf-8")


class _FoundFaces:
    """What the detector found in each photo, from the image cache when a build or an earlier page searched
    it: a page made again after an answer does not search the photos again."""

    def __init__(self, cache: ImageCache) -> None:
        self.cache = cache

    def __call__(self, path: Path, image: Image.Image) -> tuple[Region, ...]:
        key = self.cache.found_key(self.cache.digest(path), detector_version())
        found = self.cache.load_found(key)
        if found is None:
            found = detect_faces(image)
            self.cache.store_found(key, found)
        return found


def _review(path: Path, rel: str, plan: FacePlan, out: Path, index: int, words: dict[str, str],
            faces_in: _FoundFaces) -> Reviewed:
    try:
        probe(path, "")
        image = load_upright(path)
    except ImageProblem as problem:
        return Reviewed(rel, f"{words['not_published']}: {problem.message}", (), ())
    except (UnsupportedMode, OSError, ValueError) as exc:
        return Reviewed(rel, f"{words['not_published']}: {exc}", (), ())
    found = without_rejected(faces_in(path, image), plan.not_faces) if plan.detect else ()
    regions = plan.regions + found
    files = (f"{index}-regions.jpg", f"{index}-masked.jpg")
    pictures = (_outlined(image, regions), mask_regions(image, regions, plan.style).convert("RGB"))
    for name, picture in zip(files, pictures, strict=True):
        picture.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
        (out / name).write_bytes(encode(picture, "JPEG", 85))
    # A box already answered "Face" is a region by hand now: not asked about again.
    answered = without_rejected(found, plan.regions)
    unsure = sorted((r for r in answered if r.confidence < UNSURE), key=lambda r: r.confidence)
    close_ups = []
    for number, region in enumerate(unsure[:MAX_CLOSE_UPS]):
        name = f"{index}-unsure-{number}.jpg"
        (out / name).write_bytes(encode(_close_up(image, region), "JPEG", 85))
        close_ups.append((region, name))
    small = sum(1 for r in regions if r.w < SMALL_FACE)
    note = words["count"].format(count=len(regions)) if plan.detect else words["detection_off"]
    return Reviewed(rel, note, regions, files, tuple(close_ups), (small, len(unsure)))


def _outlined(image: Image.Image, regions: tuple[Region, ...]) -> Image.Image:
    outlined = image.convert("RGB")
    draw = ImageDraw.Draw(outlined)
    width = max(3, image.width // 200)
    for region in regions:
        colour = UNSURE_OUTLINE if region.confidence < UNSURE else OUTLINE.get(region.origin, (255, 0, 0))
        draw.rectangle((region.x, region.y, region.x + region.w, region.y + region.h), outline=colour, width=width)
    return outlined


def _close_up(image: Image.Image, region: Region) -> Image.Image:
    """The box with as much again around it, enlarged: enough to tell a face from a poster."""
    box = (region.x - region.w // 2, region.y - region.h // 2, region.x + region.w * 3 // 2,
           region.y + region.h * 3 // 2)
    crop = image.convert("RGB").crop(box)
    scale = CLOSE_UP_SIDE / max(crop.size)
    return crop.resize((max(1, round(crop.width * scale)), max(1, round(crop.height * scale))),
                       Image.Resampling.LANCZOS)


def _page(reviewed: list[Reviewed], words: dict[str, str], language: str, interactive: bool) -> str:
    sections = []
    origin = {"detected": words["detected"], "by hand": words["by_hand"]}
    for item in reviewed:
        boxes = "".join(f"<li>{html.escape(origin.get(r.origin, r.origin))}: [{r.x}, {r.y}, {r.w}, {r.h}]</li>"
                        for r in item.regions)
        images = "".join(f'<img src="{name}" alt="">' for name in item.files)
        risk = html.escape(words["risk"].format(small=item.risk[0], unsure=item.risk[1]))
        sections.append(f"<section><h2>{html.escape(item.rel)}</h2><p>{html.escape(item.note)}; {risk}</p>"
                        f"<details><summary>{len(item.regions)}</summary><ul>{boxes}</ul></details>"
                        f"<div class=\"pair\">{images}</div>{_unsure(item, words, interactive)}</section>")
    title = html.escape(words["title"])
    script = "; script-src 'self'; connect-src 'self'" if interactive else ""
    tag = '<script src="review.js" defer></script>' if interactive else ""
    return (f"<!doctype html><html lang=\"{html.escape(language)}\"><head><meta charset=\"utf-8\">"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self'; "
            f"style-src 'self'{script}\"><meta name=\"referrer\" content=\"no-referrer\"><title>{title}</title>"
            f"<link rel=\"stylesheet\" href=\"review.css\">{tag}</head><body><h1>{title}</h1>"
            f"<p>{html.escape(words['intro'])}</p><p>{html.escape(words['missed'])}</p>"
            + "".join(sections) + "</body></html>\n")


def _unsure(item: Reviewed, words: dict[str, str], interactive: bool) -> str:
    if not item.unsure:
        return ""
    cards = "".join(f'<figure><img src="{name}" alt=""><figcaption><code>- [{r.x}, {r.y}, {r.w}, {r.h}]</code> '
                    f"({r.confidence:.2f}){_buttons(item.rel, r, words) if interactive else ''}</figcaption></figure>"
                    for r, name in item.unsure)
    more = item.risk[1] - len(item.unsure)
    extra = f"<p>{html.escape(words['more'].format(more=more))}</p>" if more > 0 else ""
    advice = words["click"] if interactive else words["reject"]
    return (f"<h3>{html.escape(words['unsure'])}</h3><p>{html.escape(advice)}</p>"
            f"<div class=\"unsure\">{cards}</div>{extra}")


def _buttons(rel: str, region: Region, words: dict[str, str]) -> str:
    data = f'data-photo="{html.escape(rel)}" data-box="{region.x},{region.y},{region.w},{region.h}"'
    return (f'<br><button type="button" {data} data-decision="accept">{html.escape(words["is_face"])}</button> '
            f'<button type="button" {data} data-decision="reject">{html.escape(words["not_face"])}</button> '
            '<output></output>')
