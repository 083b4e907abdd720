"""Find <img> tags in rendered HTML and turn those of local photos into <picture> with variants.

Only the matched tags change: every other byte of the page stays as it was. Comments are skipped.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from samizdat.images.model import Photo, Variant

# Every start tag whole, its attribute values holding ">" or "<img" inside quotes, or a comment to step over:
# an "<img" inside another tag's attribute value is text of that value, never a tag to replace (replacing
# it would close the value and make the rest of it markup, after the page was checked). An unclosed comment
# or quote runs to the end of the page, as in a browser, so no text is scanned twice.
_TAG_RE = re.compile(r"""<!--.*?(?:-->|\Z)|<[a-zA-Z][^\s/>"']*(?:[^>"']|"[^"]*(?:"|\Z)|'[^']*(?:'|\Z))*(?:>|\Z)""",
                     re.DOTALL)
_IMG = re.compile(r"<img[\s/>]", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")
_REMOTE_RE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)
EAGER_MIN_PIXELS = 200 * 200  # the first image at least this large is likely above the fold: load it at once
REPLACED = ("src", "srcset", "sizes", "width", "height")


@dataclass(frozen=True)
class ImgTag:
    start: int
    end: int
    attrs: tuple[tuple[str, str | None], ...]  # names lower-cased, values unescaped, in order

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.attrs if key == name), None)

    @property
    def src(self) -> str:
        return (self.get("src") or "").strip()


def find_img_tags(page: str) -> list[ImgTag]:
    tags = []
    for match in _TAG_RE.finditer(page):
        text = match.group(0)
        if not _IMG.match(text) or not text.endswith(">"):
            continue
        attrs = tuple(
            (m[1].lower(), html.unescape(next((v for v in m.groups()[1:] if v is not None), "")) if m[0] != m[1]
             else None)
            for m in _ATTR_RE.finditer(text, 4, len(text) - 1)
        )
        tags.append(ImgTag(match.start(), match.end(), attrs))
    return tags


def remote_sources(tag: ImgTag) -> list[str]:
    """The addresses on another host (a scheme and a host, or //host) the tag's src and srcset name."""
    candidates = [tag.src, *(part.split()[0] for part in (tag.get("srcset") or "").split(",") if part.strip())]
    return [src for src in candidates if _REMOTE_RE.match(src) and urlsplit(src).netloc]


def site_path_of(src: str, page_url: str) -> str | None:
    """The site path a browser would fetch for an image on a page, e.g. ../assets/x.jpg on /en/ → assets/x.jpg.

    None for images on other hosts and data: URLs, which are not ours to process.
    """
    if not src or _SCHEME_RE.match(src):
        return None
    path = unquote(urlsplit(src).path)
    if not path:
        return None
    base = page_url if page_url.endswith("/") else posixpath.dirname(page_url) + "/"
    joined = posixpath.normpath(posixpath.join(base, path))
    return joined.lstrip("/") if joined not in (".", "/") else None


def picture_markup(tag: ImgTag, photo: Photo, url_of: Callable[[Variant], str], eager: bool,
                   default_sizes: str) -> str:
    """<picture> with a <source> per modern format, and the <img> with the author's own attributes kept."""
    width, height = _display_size(tag, photo)
    sizes = tag.get("sizes") or (f"{width}px" if tag.get("width") or tag.get("height") else default_sizes)
    fallback = photo.of_type(photo.fallback_mime)
    srcset = _srcset(fallback, url_of)
    sources = "".join(
        f'<source type="{mime}" srcset="{_srcset(photo.of_type(mime), url_of)}" sizes="{_attr(sizes)}">'
        for mime in _modern_mimes(photo)
    )
    kept = [(name, value) for name, value in tag.attrs if name not in REPLACED]
    if not any(name == "loading" for name, _ in kept):
        kept.append(("loading", "eager" if eager else "lazy"))
    if not any(name == "decoding" for name, _ in kept):
        kept.append(("decoding", "async"))
    own = "".join(f" {name}" if value is None else f' {name}="{_attr(value)}"' for name, value in kept)
    img = (f'<img src="{url_of(fallback[-1])}" srcset="{srcset}" sizes="{_attr(sizes)}" '
           f'width="{width}" height="{height}"{own}>')
    return f"<picture>{sources}{img}</picture>"


def is_large(tag: ImgTag, photo: Photo) -> bool:
    width, height = _display_size(tag, photo)
    return width * height >= EAGER_MIN_PIXELS


def _display_size(tag: ImgTag, photo: Photo) -> tuple[int, int]:
    """The author's width and height where given (the other from the aspect ratio), else the photo's own."""
    width, height = _number(tag.get("width")), _number(tag.get("height"))
    if width and height:
        return width, height
    if width:
        return width, max(1, round(width * photo.height / photo.width))
    if height:
        return max(1, round(height * photo.width / photo.height)), height
    return photo.width, photo.height


def _number(value: str | None) -> int | None:
    match = re.fullmatch(r"\s*(\d+)(?:px)?\s*", value or "")
    return int(match[1]) if match and int(match[1]) > 0 else None


def _modern_mimes(photo: Photo) -> list[str]:
    return list(dict.fromkeys(v.mime for v in photo.variants if v.mime != photo.fallback_mime))


def _srcset(variants: tuple[Variant, ...], url_of: Callable[[Variant], str]) -> str:
    return ", ".join(f"{url_of(v)} {v.width}w" for v in variants)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)
