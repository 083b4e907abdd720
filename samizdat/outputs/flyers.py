"""A printable A4 flyer per meeting: one per language, and one with a sheet for every language.

A flyer is handed out or pinned up where a reader cannot click, so it carries the facts themselves
(when, where, how to find the place) and a QR code to the meeting's page, and to the onion service
when the site has one. The codes are SVG paths made here at build time (segno): nothing is fetched,
and the CSP, which forbids inline styles, is met with classes only.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from samizdat.config import Language, SiteConfig
from samizdat.content.meetings import Meeting
from samizdat.content.pages import Page
from samizdat.i18n.dates import format_when
from samizdat.i18n.strings import fill
from samizdat.i18n.typesetting import typeset_text
from samizdat.outputs.onion import onion_url

FLYER_TEMPLATE = "flyer.html"
FLYER_FOLDER = "flyer/"  # below the meeting's page: /en/meetings/2022-02-27-bosingak/flyer/
ALL_LANGUAGES_FOLDER = "all/"  # below the default language's flyer: every language, one sheet each


@dataclass(frozen=True)
class QrCode:
    url: str  # what the code holds, printed under it for a reader without a camera
    svg: Markup  # <svg class="qr">…</svg>, paths only


@dataclass(frozen=True)
class FlyerSheet:
    """One A4 sheet in one language, every text ready to print (typeset for its language)."""
    language: Language
    group: str  # the site's title in this language
    title: str
    description: str
    when: str
    place: str
    address: str
    map_note: str  # how to find the place on any map, from its coordinates
    status: str  # "status_cancelled", "status_moved" or "" (a key of the theme's strings)
    page: QrCode
    onion: QrCode | None
    words: Mapping[str, str]  # the theme's words in this language (labels), by key


def flyer_url(page_url: str) -> str:
    """/en/meetings/x/ → /en/meetings/x/flyer/; a permalink to a file (/x.html) → /x/flyer/."""
    folder = page_url if page_url.endswith("/") else page_url.rsplit(".", 1)[0] + "/"
    return folder + FLYER_FOLDER


def all_languages_url(default_page_url: str) -> str:
    return flyer_url(default_page_url) + ALL_LANGUAGES_FOLDER


@functools.lru_cache(maxsize=512)  # the same codes on every save of the dev server; a pure function of the text
def qr_code(url: str, label: str) -> QrCode:
    """A QR code as an inline SVG; medium error correction survives a crease or a smudge on paper."""
    import segno  # loaded when a flyer is made: most builds make none

    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, svgclass="qr", lineclass="qr-dark", omitsize=True, title=label)
    return QrCode(url, Markup(svg.replace("<svg ", '<svg role="img" ', 1)))


def flyer_sheet(config: SiteConfig, page: Page, meeting: Meeting, strings: dict[str, str]) -> FlyerSheet:
    """strings: the theme's words in the page's language, by key (flyer_map_note, flyer_qr_label, labels)."""
    language = page.language
    code = language.code

    def text(value: str) -> str:
        return typeset_text(value, code)

    when = format_when(meeting.start, meeting.end, language.locale) if meeting.start else ""
    address = config.base_url + page.url
    onion = onion_url(config.publish.onion, page.url) if config.publish.onion else None
    place = meeting.place
    map_note = ""
    if place.lat is not None and place.lon is not None:
        map_note = fill(strings["flyer_map_note"], {"coordinates": f"{place.lat:.5f}, {place.lon:.5f}"})
    status = {"cancelled": "status_cancelled", "moved": "status_moved"}.get(meeting.status, "")
    qr_label = strings["flyer_qr_label"]
    return FlyerSheet(
        language=language, group=text(language.title), title=text(page.title), description=text(page.description),
        when=text(when), place=text(_in(place.name, language, config)), address=text(_in(place.address, language,
                                                                                          config)),
        map_note=text(map_note), status=status, page=qr_code(address, fill(qr_label, {"url": address})),
        onion=qr_code(onion, fill(qr_label, {"url": onion})) if onion else None,
        words={key: text(value) for key, value in strings.items()},
    )


def _in(value: dict[str, str] | str, language: Language, config: SiteConfig) -> str:
    """A per-language value of the meeting's facts, in this language, else the site's default."""
    if not isinstance(value, dict):
        return value or ""
    for code in (language.code, config.default_language.code):
        if code in value:
            return value[code]
    return next(iter(value.values()), "")
