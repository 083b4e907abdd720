"""Atom feeds (RFC 4287), one per language, with news and meetings."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from samizdat.config import SiteConfig

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

ATOM = "http://www.w3.org/2005/Atom"
# Feed readers poll often, over slow connections too: the newest entries are what they need, and the
# site's own pages list everything older.
FEED_ENTRIES = 50
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SECOND = dt.timedelta(seconds=1)


@dataclass(frozen=True)
class FeedEntry:
    key: str  # translation key: with the language, it makes the stable id
    language: str  # the entry's own language (a fallback may differ from the feed's)
    title: str
    url: str  # absolute
    updated: dt.datetime
    published: dt.datetime
    summary: str
    content_html: str
    dated: dt.date  # the date in the entry's id: a meeting's first start, so a move does not change the id


def entry_id(config: SiteConfig, entry: FeedEntry) -> str:
    """A tag: URI (RFC 4151) that stays the same when the text, the title or the URL changes."""
    host = urlsplit(config.base_url).hostname
    return f"tag:{host},{entry.dated.isoformat()}:{entry.language}/{entry.key}"


def atom_bytes(config: SiteConfig, language: str, title: str, author_name: str, feed_url: str, home_url: str,
               entries: list[FeedEntry]) -> bytes:
    import xml.etree.ElementTree as ET  # loaded when a build writes a feed, not when it keeps them all

    entries = sorted(entries, key=lambda e: (e.updated, e.key), reverse=True)[:FEED_ENTRIES]
    entries = sorted(_distinct_updates(entries), key=lambda e: (e.updated, e.key), reverse=True)
    # Plain tag names under an xmlns attribute: ElementTree's own prefixes would read ns0:feed.
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: language})
    _text(feed, "title", title)
    _text(feed, "id", feed_url)
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=home_url)
    _text(feed, "updated", max(e.updated for e in entries).isoformat())  # an empty feed is not written
    author = ET.SubElement(feed, "author")
    _text(author, "name", author_name)
    _text(feed, "generator", "samizdat")
    for entry in entries:
        element = ET.SubElement(feed, "entry", {XML_LANG: entry.language})
        _text(element, "title", entry.title)
        _text(element, "id", entry_id(config, entry))
        ET.SubElement(element, "link", rel="alternate", type="text/html", href=entry.url)
        _text(element, "published", entry.published.isoformat())
        _text(element, "updated", entry.updated.isoformat())
        _text(element, "summary", entry.summary)
        content = _text(element, "content", entry.content_html)
        content.set("type", "html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


# Characters XML 1.0 has no place for, even escaped: ElementTree writes them as they are, and one of them
# (a control character pasted into a title) makes feed readers refuse the whole feed, not just its entry.
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    import xml.etree.ElementTree as ET  # loaded by atom_bytes already

    element = ET.SubElement(parent, tag)
    element.text = _NOT_XML_RE.sub("", text)
    return element


def _distinct_updates(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Readers (and the W3C validator) may take two entries updated in the same second for one: two news
    posts of one day, two meetings announced by the same build. Each tie moves by whole seconds, never
    past the feed's newest time (which is never after the build), and published never follows updated."""
    if not entries:
        return entries
    ceiling = max(entry.updated for entry in entries)
    taken: set[dt.datetime] = set()
    result = []
    for entry in sorted(entries, key=lambda e: (e.updated, e.key)):
        moment = entry.updated if entry.updated not in taken else _free_moment(entry.updated, taken, ceiling)
        taken.add(moment)
        result.append(entry if moment == entry.updated
                      else replace(entry, updated=moment, published=min(entry.published, moment)))
    return result


def _free_moment(moment: dt.datetime, taken: set[dt.datetime], ceiling: dt.datetime) -> dt.datetime:
    step = 1
    while True:
        for candidate in (moment + step * SECOND, moment - step * SECOND):
            if candidate <= ceiling and candidate not in taken:
                return candidate
        step += 1
