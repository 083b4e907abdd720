"""Any pixel mode Pillow reads → 8-bit sRGB (RGB, or RGBA when something is see-through), in a new image.

Pillow's own convert("RGB") is not enough: it clips 16-bit greyscale to white, and a palette image with an
ICC profile keeps the profile's numbers as if they were sRGB. So the alpha is set aside, the colour is
brought to 8 bits by scaling (not clipping), the file's profile is applied to the colour, and the alpha is
put back. A mode with no known meaning is refused rather than guessed.
"""

from __future__ import annotations

import io

from PIL import Image, ImageCms

_SRGB = ImageCms.createProfile("sRGB")
_SIXTEEN_BIT = ("I;16", "I;16L", "I;16B", "I;16N", "I")  # PNG's 16-bit greyscale (0..65535)
_COLOUR_OF = {"1": "L", "L": "L", "LA": "L", "La": "L", "RGB": "RGB", "RGBA": "RGB", "RGBa": "RGB",
              "RGBX": "RGB", "YCbCr": "RGB", "P": "RGB", "PA": "RGB", "CMYK": "CMYK"}
_PROFILE_SPACE = {"L": "GRAY", "RGB": "RGB", "CMYK": "CMYK"}  # image mode → ICC colour space it needs


class UnsupportedMode(ValueError):
    """Pixels whose meaning cannot be known for sure (e.g. floating-point or Lab): refused, not guessed."""


def to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """The pixels in sRGB, RGB or RGBA, in a new image that carries no metadata at all."""
    alpha = _alpha_of(image)
    colour = _eight_bit_colour(image)
    if icc:
        colour = _through_profile(colour, icc)
    rgb = colour.convert("RGB")
    if alpha is not None and alpha.getextrema() != (255, 255):
        rgb.putalpha(alpha)
    return Image.frombytes(rgb.mode, rgb.size, rgb.tobytes())


def _alpha_of(image: Image.Image) -> Image.Image | None:
    """The alpha channel (straight, not premultiplied), or None for an opaque mode."""
    if image.mode in ("RGBA", "LA", "PA"):
        return image.getchannel("A")
    if image.mode in ("RGBa", "La"):
        return image.convert("RGBA" if image.mode == "RGBa" else "LA").getchannel("A")
    if "transparency" in image.info and image.mode in ("P", "L", "RGB"):
        return image.convert("RGBA").getchannel("A")  # a tRNS colour or palette entries
    return None


def _eight_bit_colour(image: Image.Image) -> Image.Image:
    """The colour channels alone, 8 bits each, still in the file's own colour space: L, RGB or CMYK."""
    if image.mode in _SIXTEEN_BIT:
        # v/257 maps 0..65535 onto 0..255 exactly; Pillow's convert("L") would clip everything above 255.
        return image.convert("I").point(lambda v: v / 257 + 0.5).convert("L")
    target = _COLOUR_OF.get(image.mode)
    if target is None:
        raise UnsupportedMode(f"its pixels are in the {image.mode} mode, which cannot be converted safely")
    if image.mode in ("La", "RGBa"):
        image = image.convert("LA" if image.mode == "La" else "RGBA")
    if image.mode in ("P", "PA"):
        image = image.convert("RGBA")  # palette entries are colours in the file's own profile
    return image if image.mode == target else image.convert(target)


def _through_profile(colour: Image.Image, icc: bytes) -> Image.Image:
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        space = profile.profile.xcolor_space.strip()
        if space == "RGB" and colour.mode == "L":
            colour = colour.convert("RGB")  # grey pixels under a colour profile: still colours of that space
        if _PROFILE_SPACE[colour.mode] != space:
            return colour  # a profile for another kind of image says nothing about these pixels
        return ImageCms.profileToProfile(colour, profile, _SRGB, outputMode="RGB") or colour
    except (ImageCms.PyCMSError, OSError, ValueError, KeyError):
        return colour  # an unreadable profile: the pixels are taken as sRGB
