"""A save that changed only the text of pages, found soundly, so the dev server can keep what was made from
every page's front matter on the last build: the tag index, the sorted listings, and the answers of the
reads of listings and tags (build/cache/reads.py).

Such a save is the common one (a paragraph fixed, a sentence added), and at 10,000 pages those structures
were most of its time: 90 tag listings of 800 pages each sorted and hashed again, for one edited body.

What makes it sound: every listing, tag and tag page is made from the pages' front matter, their paths and
the site's other folders, never from a body. So when every path the file watcher saw is a page's source,
the same pages exist as on the last build, and each page that is not the very same object is the same in
everything but its body, then each of those structures is what it was, with the new page objects in place
of the old ones. Anything else (a new or removed file, a front-matter edit, a data file, a template, a
string, a meeting, the config, a new day) and the structures are made again, as in every other build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from samizdat.content.collections import Collections
from samizdat.content.pages import Page
from samizdat.content.tags import TagIndex

# Reads whose answer is made from front matter and paths alone (build/dependencies.py): in a save that
# changed only bodies they answer as on the last build, so the check does not ask them again.
BODY_BLIND_READS = frozenset({"news_listing", "tags", "tags_of", "tag"})
BODY_BLIND_LISTS = frozenset({"news", "tagged", "tag_feed"})  # ("list", method, …): not the meetings'


@dataclass(frozen=True)
class LastLoad:
    """What the last build of this process made from its pages (the dev server's; the parse cache keeps it,
    so a changed config, which starts that cache afresh, forgets it too)."""

    sources: dict[str, Page]  # the source's path (as text) → its page, held back or not
    news_pages: list[Page]  # the pages the build made of the news list (content/news_pages.py)
    tag_index: TagIndex
    tag_pages: list[Page]  # the pages the build made of the tags (content/tags.py: tag_pages)
    collections: Collections
    today: dt.date


@dataclass(frozen=True)
class Replaced:
    """The pages of this build that are not the last build's objects, each the same but for its body.
    pairs: id of the old page → (old page, new page); holding the old page keeps its id from being reused."""

    pairs: dict[int, tuple[Page, Page]]


def bodies_only(last: LastLoad | None, changed: Collection[str] | None, sources: Collection[str],
                pages: list[Page], today: dt.date) -> Replaced | None:
    """The replaced pages when this save changed nothing but bodies; else None. The pages the build makes
    (news list pages, tag pages) are made of front matter alone: they are then the last build's, and the
    checks of outputs, claims and translation sources (made of front matter too) pass as they did.
    changed: the paths the watcher saw (None: not known); sources: the text of every page source's path;
    pages: the page of every source, held back (a draft, a post not due) or not."""
    if last is None or changed is None or today != last.today or len(pages) != len(last.sources):
        return None
    if any(name not in sources for name in changed):
        return None  # a data file, a template, a meeting, an image, the config…: anything but a page's text
    pairs: dict[int, tuple[Page, Page]] = {}
    for page in pages:
        old = last.sources.get(page.path_text)
        if old is page:
            continue
        if old is None or not same_but_body(old, page):
            return None
        pairs[id(old)] = (old, page)
    return Replaced(pairs)


def same_but_body(old: Page, new: Page) -> bool:
    """Every field a listing, a tag or a feed's order reads is the same: all of them but the body."""
    return (type(old) is type(new) and old.path == new.path and old.output_path == new.output_path
            and old.key == new.key and old.url == new.url and old.language == new.language
            and old.title == new.title and old.layout == new.layout and old.date == new.date
            and type(old.date) is type(new.date) and old.description == new.description
            and old.scheduled == new.scheduled and old.body_line == new.body_line
            and old.front_matter.lines == new.front_matter.lines and old.data == new.data)


def carried_tag_index(last: TagIndex, replaced: Replaced) -> TagIndex:
    """The last build's tag index with the replaced pages in place of the old ones."""
    tagged = dict(last.tagged)
    for old, new in replaced.pairs.values():
        for tag in last.of_page.get((old.language.code, old.key), []):
            where = (old.language.code, tag.id)
            if where in tagged:
                tagged[where] = [new if page is old else page for page in tagged[where]]
    return TagIndex(tagged, last.tags, last.of_page)


def body_blind(read: tuple[str, ...]) -> bool:
    """Whether a recorded read answers from front matter and paths alone."""
    return read[0] in BODY_BLIND_READS or (read[0] == "list" and len(read) > 1 and read[1] in BODY_BLIND_LISTS)
