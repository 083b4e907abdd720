"""What the dev server remembers from one save to the next beside its caches: results of pure work, each
keyed by everything it was made from, so that a memo never answers for other inputs.

The dev server builds the same site again on every save, nearly all of it as before: the <img> tags of
each page, the search index's filing of each language, each sitemap entry's text, each feed entry's
summary. A `samizdat build` builds once and keeps its state in the store (build/cache/store.py), so it
makes no memos: the feeds' summaries alone would hold the body of every listed page to the end of the
build. The stages take a memo as a plain dict they may fill, or None; they never keep one of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from samizdat.outputs.claims import RecentPasses

if TYPE_CHECKING:
    from samizdat.content.sources import Discovered
    from samizdat.content.translation_status import Made
    from samizdat.images.stage import Scans
    from samizdat.outputs.sitemap import EntryTexts
    from samizdat.outputs.syndication import FeedTexts
    from samizdat.search.stage import Filings


@dataclass
class ProcessMemos:
    discovered: Discovered = field(default_factory=dict)  # what discovery found, for the watcher's changes
    claims_passed: RecentPasses = field(default_factory=RecentPasses)  # output lists that passed the clash check
    translation_findings: Made = field(default_factory=dict)  # each outdated or untracked translation's
    image_scans: Scans = field(default_factory=dict)  # each page's <img> tags
    search_filings: Filings = field(default_factory=dict)  # each language's last filing
    sitemap_entries: EntryTexts = field(default_factory=dict)  # each sitemap entry's text
    feed_texts: FeedTexts = field(default_factory=dict)  # each listed body's summary and cleaned text
