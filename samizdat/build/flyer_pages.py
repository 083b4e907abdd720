"""The flyers of every meeting (outputs/flyers.py): a page per language, and one with every language."""

from __future__ import annotations

from collections.abc import Mapping

from samizdat.build.load import LoadedSite
from samizdat.content.pages import Page
from samizdat.i18n.strings import fill
from samizdat.outputs.flyers import FLYER_TEMPLATE, FlyerSheet, all_languages_url, flyer_sheet, flyer_url
from samizdat.outputs.render import SpecialRenderer

# The theme's words a flyer prints, looked up in each sheet's own language.
FLYER_STRINGS = ("when", "where", "flyer_map_note", "flyer_qr_label", "flyer_scan", "flyer_onion", "status_cancelled",
                 "status_moved", "meeting_cancelled_text")


def flyer_pages(renderer: SpecialRenderer, site: LoadedSite, rendered: Mapping[str, object]) -> dict[str, bytes]:
    """Output path → HTML. A page of the site's own at the same path wins (it is never overwritten)."""
    if not renderer.has_template(FLYER_TEMPLATE):
        return {}
    order = {language.code: index for index, language in enumerate(site.config.languages)}
    by_meeting: dict[str, list[Page]] = {}
    for page in site.pages:
        if site.collections.meeting_of(page) is not None:
            by_meeting.setdefault(page.slug, []).append(page)
    result: dict[str, bytes] = {}
    for slug, pages in sorted(by_meeting.items()):
        meeting = site.collections.meetings[slug]
        pages.sort(key=lambda page: order[page.language.code])
        sheets = [flyer_sheet(site.config, page, meeting, _strings(renderer, page)) for page in pages]
        everyone = all_languages_url(pages[0].url) if len(pages) > 1 else None
        for page, sheet in zip(pages, sheets, strict=True):
            _add(result, rendered, renderer, flyer_url(page.url), (sheet,), everyone, page.url)
        if everyone:
            _add(result, rendered, renderer, everyone, tuple(sheets), None, pages[0].url)
    return result


def _strings(renderer: SpecialRenderer, page: Page) -> dict[str, str]:
    return {key: renderer.string(page.language.code, key) for key in FLYER_STRINGS}


def _add(result: dict[str, bytes], rendered: Mapping[str, object], renderer: SpecialRenderer, url: str,
         sheets: tuple[FlyerSheet, ...], everyone: str | None, back: str) -> None:
    path = url.lstrip("/") + "index.html"
    if path in rendered or path in result:
        return
    language = sheets[0].language
    title = fill(renderer.string(language.code, "flyer_title"), {"title": sheets[0].title})
    context = {"sheets": sheets, "all_languages_url": everyone, "meeting_url": back}
    result[path] = renderer.render_special(FLYER_TEMPLATE, language, url, title=title, extra=context)
