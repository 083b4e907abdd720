"""Photos from a phone: stripped in memory, faces shown for review, alt text in every language, then written.

The uploaded bytes are decoded and re-encoded in memory (the upload itself never spills to disk: see
app.py), and only the new pixels, with no metadata block at all, are ever written to the site folder:
GPS, camera serials and dates cannot reach it. The photo waits in memory while faces are reviewed, and
is written only once every language has its alt text.

Faces are looked for in the background, one photo at a time (a 12-megapixel photo takes seconds of a core,
longer under load): the upload answers at once, and the review page shows the faces when they are found.
A photo is never written before its search has finished, so "cover the faces" always covers them.
"""

from __future__ import annotations

import io
import json
import re
import secrets
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from samizdat.config import SiteConfig, load_config
from samizdat.content.frontmatter import load_yaml
from samizdat.editor.files import read_text, site_path, write_file
from samizdat.editor.web import render, security_headers, translator, ui_language
from samizdat.images.colour import to_srgb
from samizdat.images.faces import detect_faces, detector_available, mask_regions
from samizdat.images.limits import MAX_PHOTO_PIXELS
from samizdat.images.model import Region
from samizdat.images.verify import metadata_blocks

PENDING = 16  # photos held in memory for review at once; the oldest is forgotten first
PHOTO_FOLDER = "assets/photos"
UPLOADS_DATA = "data/uploads.yaml"  # each written photo with its alt text in every language
PREVIEW_SIDE = 900
CONFIRM_WAIT = 120  # seconds a confirmation waits for the search to finish before asking to try again


class BadPhoto(ValueError):
    pass


class FaceSearch:
    """The faces of one photo, found in the background: done once the detector has answered (or failed)."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._faces: tuple[Region, ...] = ()
        self.failed = False
        self.dropped = False  # the photo left the waiting list: a search not yet begun is skipped

    def finish(self, faces: tuple[Region, ...], failed: bool = False) -> None:
        self._faces, self.failed = faces, failed
        self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float) -> bool:
        return self._done.wait(timeout)

    @property
    def faces(self) -> tuple[Region, ...]:
        """The faces found; empty while the search runs (a page shows "looking for faces" then)."""
        return self._faces if self._done.is_set() else ()


def _search(image: Image.Image, search: FaceSearch) -> None:
    if search.dropped:  # forgotten while it waited its turn: no core spent on it
        search.finish((), failed=True)
        return
    try:
        search.finish(detect_faces(image))
    except Exception:  # a worker thread must always answer, or the photo waits for ever
        search.finish((), failed=True)


@dataclass(frozen=True)
class Pending:
    name: str
    jpeg: bytes  # already stripped: the only form the photo is kept in
    search: FaceSearch
    detector: bool  # False: faces could not be looked for (the optional face detector is not installed)

    @property
    def faces(self) -> tuple[Region, ...]:
        return self.search.faces


class PendingPhotos:
    def __init__(self) -> None:
        self._items: OrderedDict[str, Pending] = OrderedDict()
        self._lock = threading.Lock()
        # One search at a time: two uploads at once must not take both cores from the editor and the build.
        self._searcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="faces")

    def search(self, image: Image.Image) -> FaceSearch:
        """Faces looked for in the background; a photo without a detector is searched at once, for nothing."""
        search = FaceSearch()
        if detector_available():
            self._searcher.submit(_search, image, search)
        else:
            search.finish(())
        return search

    def add(self, item: Pending) -> str:
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._items[key] = item
            while len(self._items) > PENDING:
                _, forgotten = self._items.popitem(last=False)
                forgotten.search.dropped = True
        return key

    def get(self, key: str) -> Pending | None:
        with self._lock:
            return self._items.get(key)

    def pop(self, key: str) -> Pending | None:
        with self._lock:
            return self._items.pop(key, None)


def stripped(data: bytes) -> Image.Image:
    """The photo's pixels, upright and in sRGB, in a new image that carries no metadata."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PHOTO_PIXELS:  # what the build accepts too
                raise BadPhoto("too_large")
            upright = ImageOps.exif_transpose(image)
            icc = image.info.get("icc_profile")
            clean = to_srgb(upright, icc if isinstance(icc, bytes) else None)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise BadPhoto("not_photo") from None
    if clean.mode == "RGBA":  # JPEG has no transparency: put it on white
        background = Image.new("RGB", clean.size, "white")
        background.paste(clean, mask=clean.getchannel("A"))
        clean = background
    return clean


def encoded(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=88, optimize=True)
    data = buffer.getvalue()
    left = metadata_blocks(data)
    if left:  # never expected: Pillow was given no metadata; checked because the promise depends on it
        raise BadPhoto("metadata_left")
    return data


def photos_view(request: Request) -> Response:
    config = load_config(request.app.state.editor.site_root)
    return render(request, "photos.html", languages=config.languages, detector=detector_available(),
                  written=request.query_params.get("written"), problem=None)


def upload(request: Request, form: FormData) -> Response:
    editor = request.app.state.editor
    config = load_config(editor.site_root)
    upload_file = form.get("photo")
    if not isinstance(upload_file, UploadFile):
        return _problem(request, config, "not_photo")
    try:
        image = stripped(upload_file.file.read())
        jpeg = encoded(image)
    except BadPhoto as exc:
        return _problem(request, config, str(exc))
    name = _file_name(upload_file.filename or "")
    key = editor.pending.add(Pending(name, jpeg, editor.pending.search(image), detector_available()))
    return render(request, "photo_review.html", key=key, pending=editor.pending.get(key), languages=config.languages,
                  alts={}, missing=False)


def _problem(request: Request, config: SiteConfig, problem: str) -> Response:
    return render(request, "photos.html", status=400, languages=config.languages,
                  detector=detector_available(), written=None, problem=problem)


def pending_image(request: Request) -> Response:
    """The waiting photo, from memory, with the faces found outlined: for the review only."""
    item = request.app.state.editor.pending.get(request.path_params["key"])
    if item is None:
        return Response(status_code=404, headers=security_headers())
    with Image.open(io.BytesIO(item.jpeg)) as image:
        shown = image.convert("RGB")
    draw = ImageDraw.Draw(shown)
    for region in item.faces:
        draw.rectangle((region.x, region.y, region.x + region.w, region.y + region.h), outline=(255, 0, 0),
                       width=max(3, shown.width // 300))
    shown.thumbnail((PREVIEW_SIDE, PREVIEW_SIDE))
    return Response(encoded(shown), media_type="image/jpeg", headers=security_headers())


def pending_faces(request: Request) -> Response:
    """Whether the search of a waiting photo has finished, and what the review page should say then."""
    item = request.app.state.editor.pending.get(request.path_params["key"])
    if item is None:
        return Response(status_code=404, headers=security_headers())
    t = translator(ui_language(request))
    if not item.search.done:
        text = t("looking_for_faces")
    elif item.search.failed:
        text = t("faces_search_failed")
    else:
        text = t("faces_found", count=len(item.faces)) if item.faces else t("no_faces")
    return JSONResponse({"done": item.search.done, "faces": len(item.faces), "text": text},
                        headers=security_headers())


def confirm(request: Request, form: FormData) -> Response:
    editor = request.app.state.editor
    config = load_config(editor.site_root)
    key = str(form.get("key", ""))
    item = editor.pending.get(key)
    if item is None:
        return _problem(request, config, "expired")
    alts = {lang.code: " ".join(str(form.get(f"alt_{lang.code}", "")).split()) for lang in config.languages}
    if not all(alts.values()):
        return render(request, "photo_review.html", status=400, key=key, pending=item, languages=config.languages,
                      alts=alts, missing=True)
    if not item.search.wait(CONFIRM_WAIT):  # never written before its faces are known
        return render(request, "photo_review.html", status=409, key=key, pending=item, languages=config.languages,
                      alts=alts, missing=False)
    jpeg = item.jpeg
    if form.get("mask") == "yes" and item.faces:
        with Image.open(io.BytesIO(item.jpeg)) as image:
            jpeg = encoded(mask_regions(image.convert("RGB"), item.faces, "block"))
    rel = _free_name(editor.site_root, item.name)
    write_file(editor.site_root, rel, jpeg)
    _record(editor.site_root, rel, alts)
    editor.pending.pop(key)
    editor.preview.refresh()
    return RedirectResponse(f"/photos?written={rel}", status_code=303)


def _file_name(filename: str) -> str:
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0].lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:60]
    return slug or "photo"


def _free_name(site_root: Path, name: str) -> str:
    for number in range(1, 1000):
        rel = f"{PHOTO_FOLDER}/{name}{'' if number == 1 else f'-{number}'}.jpg"
        if not site_path(site_root, rel).exists():
            return rel
    raise BadPhoto("too_many")


def _record(site_root: Path, rel: str, alts: dict[str, str]) -> None:
    """Add the photo and its alt texts to data/uploads.yaml, appending: what is there stays as it is."""
    path = site_path(site_root, UPLOADS_DATA)
    text = read_text(path) or "# Photos added in the editor, with their alt text in every language.\n"
    entry = f"- image: {json.dumps(rel)}\n  alt:\n" + "".join(
        f"    {code}: {json.dumps(alt, ensure_ascii=False)}\n" for code, alt in alts.items())
    write_file(site_root, UPLOADS_DATA, (text.rstrip("\n") + "\n" + entry).encode("utf-8"))


@dataclass(frozen=True)
class Usable:
    """A photo added in the editor, ready to go into a page: its Markdown in one language."""

    image: str
    markdown: str


def usable_photos(site_root: Path, language: str) -> list[Usable]:
    """The photos of data/uploads.yaml that have an alt text in this language (every one the editor wrote)."""
    path = site_path(site_root, UPLOADS_DATA)
    listed = load_yaml(read_text(path), path) if path.is_file() else None
    found = []
    for entry in listed if isinstance(listed, list) else []:
        alt = entry.get("alt", {}).get(language) if isinstance(entry, dict) and isinstance(entry.get("alt"), dict) \
            else None
        image = entry.get("image") if isinstance(entry, dict) else None
        if isinstance(alt, str) and alt.strip() and isinstance(image, str):
            found.append(Usable(image, f"![{_escaped(alt)}](/{image})"))
    return found


def _escaped(alt: str) -> str:
    """Alt text inside Markdown's ![…]: brackets and backslashes would end or change it."""
    return re.sub(r"([\\\[\]])", r"\\\1", alt)
