"""How a build is asked to run, apart from the site's own config."""

from __future__ import annotations

from typing import NamedTuple


class BuildOptions(NamedTuple):  # a named tuple for "nothing changed", as SourceLocation (errors.py)
    # Every internal URL relative to its own file, so the output works under any sub-path and from
    # file:// (mirrors, USB copies); off by default because /en/-style URLs are shorter and cacheable.
    relative: bool = False
    precompress: bool | None = None  # None: as publish.precompress in samizdat.toml says
    # A page with code or a way off the site stops the build; `samizdat check` turns it into findings.
    refuse_unsafe: bool = True
    # Drafts (`draft: true`, `published: false`) built too, with a visible mark: only for `serve --drafts`.
    drafts: bool = False
    # False: the search index is left out and the output says so (`SiteOutput.later`): the dev server shows
    # a save from this first part, then builds again with it (serve/state.py). Never for a written build.
    search_index: bool = True
    # Notes (findings of severity info: a translation that does not record its source, a draft kept back) are
    # kept too: only `samizdat check` shows them. A build of 10,002 files spent a tenth of a second making 6,700
    # notes of untracked translations that no one saw.
    notes: bool = False
