"""Crowd photos with known face boxes, made from real faces shipped inside scikit-image's wheel.

Faces: the astronaut (Eileen Collins, NASA, public domain), the cameraman (CC0, Lav Varshney), both
mirrored too, and the 100 face crops of `skimage.data.lfw_subset()` (25 × 25 greyscale crops of Labeled
Faces in the Wild, redistributed in scikit-image's wheel; used for faces up to 40 px, where their size is
natural). Backgrounds: scikit-image's photographs. Nothing is downloaded.

The photos come in two sets that share no background, no large face and no small crop: a tuning set,
on which the detector's thresholds may be chosen, and a held-out set, which says how well it works
on photos it was not tuned on (`SPLITS`). Both are made with fixed seeds.

Each face is scaled to a width of 12–96 px, tinted (the LFW crops are grey), lit, turned up to 45°,
sometimes half hidden by a surgical mask or a cap, and pasted where it overlaps no other; the photo is
then blurred a little and saved as a phone would, JPEG quality 70. A face's known box is its
forehead-to-chin, cheek-to-cheek rectangle, turned with it: stored as the four corners.
"""

from __future__ import annotations

import importlib.resources
import io
import math
import random
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter

SIZE_BANDS = ((12, 14), (14, 24), (24, 48), (48, 97))  # face widths in pixels, lower bound included
BAND_WEIGHTS = (0.15, 0.35, 0.3, 0.2)
BACKGROUNDS = ("coffee.png", "rocket.jpg", "motorcycle_left.png", "chelsea.png", "brick.png", "grass.png",
               "gravel.png", "motorcycle_right.png")
SKIN = ((1.0, 0.82, 0.70), (0.92, 0.72, 0.58), (0.75, 0.55, 0.42), (0.55, 0.38, 0.28), (1.0, 0.88, 0.78))
LARGE_CROPS = (("astronaut.png", (182, 58, 270, 178)), ("camera.png", (202, 119, 258, 197)))
Point = tuple[float, float]


@dataclass(frozen=True)
class Split:
    """Which backgrounds and faces a set of photos draws from: the tuning and held-out sets share none."""

    name: str
    seed: int
    backgrounds: tuple[str, ...]
    large: tuple[str, ...]  # names of LARGE_CROPS' photos
    lfw_parity: int | None  # LFW crops with an even (0) or odd (1) index; None: all of them


ALL = Split("all", 7, BACKGROUNDS, tuple(name for name, _ in LARGE_CROPS), None)
SPLITS = {
    "tuning": Split("tuning", 7, ("coffee.png", "rocket.jpg", "brick.png", "grass.png", "motorcycle_left.png"),
                    ("astronaut.png",), 0),
    # A cat, gravel, a galaxy field, coins and a printed page: textures the tuning set never showed.
    "held-out": Split("held-out", 1031, ("chelsea.png", "gravel.png", "motorcycle_right.png",
                                         "hubble_deep_field.jpg", "coins.png", "page.png"), ("camera.png",), 1),
}


@dataclass(frozen=True)
class Crop:
    """A face with some of its head around it (RGBA, feathered edge) and where the face is inside it."""

    name: str
    image: Image.Image
    face: tuple[int, int, int, int]  # left, top, right, bottom in the crop
    small_only: bool  # a 25-pixel crop: pasted only at sizes where that is natural


@dataclass(frozen=True)
class Face:
    corners: tuple[Point, Point, Point, Point]  # the face box, turned with the face
    width: int  # the face's width in pixels before turning: what the size bands count
    angle: float
    covered_by: str  # "", "mask" or "cap"
    source: str

    @property
    def box(self) -> tuple[int, int, int, int]:
        xs, ys = [p[0] for p in self.corners], [p[1] for p in self.corners]
        return int(min(xs)), int(min(ys)), math.ceil(max(xs)), math.ceil(max(ys))


@dataclass(frozen=True)
class Scene:
    name: str
    jpeg: bytes
    faces: tuple[Face, ...]

    def image(self) -> Image.Image:
        with Image.open(io.BytesIO(self.jpeg)) as opened:
            return opened.convert("RGB")


def _sample(name: str) -> Image.Image:
    with Image.open(importlib.resources.files("skimage.data") / name) as opened:
        return opened.convert("RGB")


def _feathered(image: Image.Image, blur: float) -> Image.Image:
    alpha = Image.new("L", image.size, 0)
    inset_x, inset_y = image.width * 0.04, image.height * 0.03
    ImageDraw.Draw(alpha).ellipse((inset_x, inset_y, image.width - inset_x, image.height - inset_y), fill=255)
    rgba = image.convert("RGBA")
    rgba.putalpha(alpha.filter(ImageFilter.GaussianBlur(blur)))
    return rgba


@lru_cache(maxsize=1)
def crops() -> tuple[Crop, ...]:
    found = []
    for name, (left, top, right, bottom) in LARGE_CROPS:
        photo, w, h = _sample(name), right - left, bottom - top
        box = (left - w * 0.35, top - h * 0.3, right + w * 0.35, bottom + h * 0.15)  # hair, ears, chin
        head = _feathered(photo.crop(tuple(int(v) for v in box)), w * 0.06)
        face = (int(left - box[0]), int(top - box[1]), int(left - box[0]) + w, int(top - box[1]) + h)
        found += [Crop(name, head, face, False),
                  Crop(name + " mirrored", head.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                       (head.width - face[2], face[1], head.width - face[0], face[3]), False)]
    from skimage.data import lfw_subset

    for index, pixels in enumerate(lfw_subset()[:100]):
        grey = Image.fromarray((pixels * 255).astype("uint8"), "L").convert("RGB")
        found.append(Crop(f"lfw {index}", _feathered(grey, 0.8), (2, 1, 23, 25), True))
    return tuple(found)


def crops_of(split: Split) -> tuple[Crop, ...]:
    def wanted(crop: Crop) -> bool:
        if not crop.small_only:
            return crop.name.split()[0] in split.large
        return split.lfw_parity is None or int(crop.name.split()[1]) % 2 == split.lfw_parity

    return tuple(crop for crop in crops() if wanted(crop))


def _band_size(rng: random.Random) -> int:
    low, high = rng.choices(SIZE_BANDS, BAND_WEIGHTS)[0]
    return rng.randrange(low, high)


def _angle(rng: random.Random) -> float:
    """Most faces nearly upright, a quarter turned 15-30°, some up to 45°."""
    limit = rng.choices((15, 30, 45), (0.6, 0.25, 0.15))[0]
    return rng.uniform(limit - 15, limit) * rng.choice((-1, 1))


def _styled(crop: Crop, width: int, rng: random.Random) -> tuple[Image.Image, tuple[float, ...], str]:
    """The head scaled so the face is `width` wide, tinted, lit and perhaps half hidden."""
    scale = width / (crop.face[2] - crop.face[0])
    size = (max(2, round(crop.image.width * scale)), max(2, round(crop.image.height * scale)))
    head = crop.image.resize(size, Image.Resampling.LANCZOS)
    tone, light = rng.choice(SKIN), rng.uniform(0.7, 1.15)
    rgb = head.convert("RGB")
    bands = [band.point(lambda v, f=f: min(255, int(v * f * light))) for band, f in zip(rgb.split(), tone, strict=True)]
    styled = Image.merge("RGB", bands).convert("RGBA")
    styled.putalpha(head.getchannel("A"))
    face = tuple(v * scale for v in crop.face)
    left, top, right, bottom = face
    covered = rng.choices(("", "mask", "cap"), (0.75, 0.15, 0.10))[0]
    draw = ImageDraw.Draw(styled)
    if covered == "mask":  # a surgical mask from below the nose to the chin
        draw.rounded_rectangle((left, top + (bottom - top) * 0.55, right, bottom), radius=(right - left) * 0.15,
                               fill=rng.choice(((200, 220, 235, 255), (240, 240, 240, 255), (30, 30, 35, 255))))
    elif covered == "cap":  # a cap down to the eyebrows, wider than the head
        draw.rectangle((left - (right - left) * 0.3, 0, right + (right - left) * 0.3, top + (bottom - top) * 0.22),
                       fill=rng.choice(((180, 30, 30, 255), (20, 20, 60, 255), (230, 200, 40, 255))))
    return styled, face, covered


def _turned(head: Image.Image, face: tuple[float, ...], angle: float) -> tuple[Image.Image, list[Point]]:
    """The head rotated about its centre, and the face box's corners in the rotated image."""
    turned = head.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    cx, cy, ncx, ncy = head.width / 2, head.height / 2, turned.width / 2, turned.height / 2
    rad = math.radians(angle)
    left, top, right, bottom = face
    corners = []
    for x, y in ((left, top), (right, top), (right, bottom), (left, bottom)):
        dx, dy = x - cx, y - cy  # PIL turns counter-clockwise on screen, y pointing down
        corners.append((ncx + dx * math.cos(rad) + dy * math.sin(rad), ncy - dx * math.sin(rad) + dy * math.cos(rad)))
    return turned, corners


def _background(rng: random.Random, size: tuple[int, int], names: tuple[str, ...]) -> Image.Image:
    photo = _sample(rng.choice(names))
    aspect = size[0] / size[1]
    width = min(photo.width, int(photo.height * aspect))
    left = rng.randrange(0, photo.width - width + 1)
    return photo.crop((left, 0, left + width, int(width / aspect))).resize(size, Image.Resampling.BICUBIC)


def _clutter(canvas: Image.Image, rng: random.Random, count: int, parity: int | None) -> None:
    """LFW's non-face patches (backgrounds of news photos): things that are not faces, to be left alone."""
    from skimage.data import lfw_subset

    patches = lfw_subset()[100:] if parity is None else lfw_subset()[100 + parity::2]
    for _ in range(count):
        grey = Image.fromarray((rng.choice(list(patches)) * 255).astype("uint8"), "L")
        side = rng.randrange(20, 90)
        patch = _feathered(grey.convert("RGB").resize((side, side), Image.Resampling.BICUBIC), 1.0)
        canvas.alpha_composite(patch, (rng.randrange(0, canvas.width - side), rng.randrange(0, canvas.height - side)))


def make_scene(index: int, faces: int = 30, size: tuple[int, int] = (1600, 1200), seed: int = 7,
               split: Split = ALL) -> Scene:
    rng = random.Random(seed * 100003 + index)
    canvas = _background(rng, size, split.backgrounds).convert("RGBA")
    choices = crops_of(split)
    _clutter(canvas, rng, 12, split.lfw_parity)
    placed: list[Face] = []
    taken: list[tuple[int, int, int, int]] = []
    for _ in range(faces * 20):
        if len(placed) == faces:
            break
        width = _band_size(rng)
        crop = rng.choice([c for c in choices if width <= 40 or not c.small_only])
        head, face_box, covered = _styled(crop, width, rng)
        angle = _angle(rng)
        turned, corners = _turned(head, face_box, angle)
        x, y = rng.randrange(0, size[0] - turned.width), rng.randrange(0, size[1] - turned.height)
        box = (x, y, x + turned.width, y + turned.height)
        if any(box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken):
            continue
        taken.append(box)
        canvas.alpha_composite(turned, (x, y))
        moved = tuple((cx + x, cy + y) for cx, cy in corners)
        placed.append(Face(moved, width, round(angle, 1), covered, crop.name))  # type: ignore[arg-type]
    photo = canvas.convert("RGB").filter(ImageFilter.GaussianBlur(rng.uniform(0.0, 0.7)))
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=70)
    return Scene(f"crowd-{split.name}-{seed}-{index}", buffer.getvalue(), tuple(placed))


def make_scenes(count: int, faces: int = 30, size: tuple[int, int] = (1600, 1200), seed: int = 7,
                split: Split = ALL) -> list[Scene]:
    return [make_scene(i, faces, size, seed, split) for i in range(count)]
