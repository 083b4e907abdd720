"""Render one page: its own template code, then Markdown, then its layout."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import jinja2
from jinja2 import pass_context
from markupsafe import Markup

from samizdat.config import Language, SiteConfig, ThemeConfig
from samizdat.content.collections import Collections
from samizdat.content.pages import Page
from samizdat.content.translations import Alternate, TranslationIndex
from samizdat.errors import ContentError
from samizdat.i18n.strings import Catalogs, fill
from samizdat.markdown import render_markdown
from samizdat.outputs import paths
from samizdat.outputs.filters import (
    InlineScript,
    date_filter,
    image_size,
    iso_moment,
    language_name,
    localize,
    og_locale,
    site_path,
    static_hashes,
    url_filter,
    when_filter,
)
from samizdat.outputs.onion import onion_url
from samizdat.outputs.own_files import site_icon, site_stylesheet
from samizdat.outputs.reads import HAS_FEED, Read, ReadLog, RecordedSiteData, RecordingCollections, record, recording
from samizdat.outputs.security import SecurityPolicy
from samizdat.outputs.typography import typeset_page
from samizdat.outputs.views import PageView, SiteView
from samizdat.search.index import chunk_prefix, language_folder
from samizdat.site_files import site_file
from samizdat.templates import (
    CodeStore,
    content_environment,
    get_template,
    make_environment,
    needs_template_pass,
    render_body_template,
    render_template,
    shortcode_names,
    shortcodes_for,
)
from samizdat.theme import THEME_URL, ThemePaths

VARS_CSS = "vars.css"
NOTICE_TEMPLATE = "partials/translation-notice.html"
NOTICE_MARK = 'class="translation-notice"'
_MAIN_RE = re.compile(r"<main\b[^>]*>", re.IGNORECASE)
# The frame every layout extends, and pages made from a template alone.
NOT_PAGE_LAYOUTS = ("base.html", "404.html", "mirrors.html")
TIME_SCRIPT = "upcoming.js"  # hides meetings that passed after the build; inlined, allowed by hash
SEARCH_SCRIPT = "search.js"  # the search page's script (samizdat/search/); inlined, allowed by hash
SEARCH_TEMPLATE = "search.html"
SEARCH_FOLDER = "search"  # each language's search page: <root_url>search/


@dataclass(frozen=True)
class RenderedPage:
    html: bytes  # a content page's as its layout wrote it: typeset where it is checked (build/page_check.py)
    content: str  # the page's own HTML (Markdown rendered), for feeds and calendars
    reads: tuple[Read, ...] = ()  # what it read of other pages and listings (see reads.py)
    search: str = ""  # what the search index takes of the page (search/entry.py), added by the build's workers


_LITERAL_ID_RE = re.compile(r"""\sid=["']([A-Za-z][\w-]*)["']""")


def layout_ids(env: jinja2.Environment) -> frozenset[str]:
    """The ids the templates write as they are (`<main id="content">`): a heading in a page's text must
    not take one, or a link to it would land elsewhere."""
    ids: set[str] = set()
    assert env.loader is not None
    for name in env.list_templates(extensions=["html"]):
        source = env.loader.get_source(env, name)[0]
        ids.update(_LITERAL_ID_RE.findall(source))
    return frozenset(ids)


def theme_vars_css(theme: ThemeConfig) -> str:
    """--stripes: hard-edged bands of equal height, as a flag is drawn; none without stripes."""
    count = len(theme.stripes)
    stops = ", ".join(f"{colour} {100 * i / count:.4g}% {100 * (i + 1) / count:.4g}%"
                      for i, colour in enumerate(theme.stripes))
    stripes = f"linear-gradient({stops})" if stops else "none"
    return (f":root {{ --accent: {theme.accent}; --accent-text: {theme.accent_text}; "
            f"--stripes: {stripes}; }}\n")


class SpecialRenderer(Protocol):
    """What makes the pages a template makes alone (404, search, mirrors, flyers): the Renderer, or the dev
    server's keeper of such pages in front of it (build/render_stage.py: _KeptSpecials)."""

    @property
    def has_search(self) -> bool: ...

    def has_template(self, name: str) -> bool: ...

    def string(self, code: str, key: str) -> str: ...

    def render_special(self, name: str, language: Language, url: str, versions: dict[str, str] | None = None,
                       title: str = "", extra: dict[str, Any] | None = None) -> bytes: ...


class Renderer:
    """Everything that is the same for every page is prepared once, here."""

    def __init__(self, config: SiteConfig, theme: ThemePaths, catalogs: Catalogs, index: TranslationIndex,
                 data: dict[str, Any], collections: Collections, outdated: dict[Path, Page] | None = None,
                 language_data: dict[str, dict[str, Any]] | None = None, code_store: CodeStore | None = None) -> None:
        self.config, self.catalogs, self.index = config, catalogs, index
        # Each language sees the shared data with its own data/<code>/ files in place of those of the same name.
        self.data = {lang.code: data | (language_data or {}).get(lang.code, {}) for lang in config.languages}
        self.collections = collections
        self.outdated = outdated or {}  # translation file → the source that changed since
        self.theme_hashes = static_hashes(theme.static_dir)
        self.theme_hashes[VARS_CSS] = hashlib.sha256(self.vars_css()).hexdigest()[:10]
        self.time_script = InlineScript((theme.static_dir / TIME_SCRIPT).read_text(encoding="utf-8").strip())
        search_file = theme.static_dir / SEARCH_SCRIPT
        self.search_script = InlineScript(search_file.read_text(encoding="utf-8").strip()) if search_file.is_file() \
            else None
        self.env = make_environment(theme.template_dirs, self._filters(), self._globals(),
                                    on_load=lambda name: record(("template", name)), code_store=code_store)
        self.content_env = content_environment(self.env)
        self.shortcode_files = shortcode_names(self.env)
        self.layouts = sorted(
            name.removesuffix(".html") for name in self.env.list_templates(extensions=["html"])
            if "/" not in name and name not in NOT_PAGE_LAYOUTS
        )
        self.layout_ids = layout_ids(self.env)
        self.own_stylesheet, self.own_icon = site_stylesheet(config.root), site_icon(config.root)
        self.site_views = {lang.code: SiteView.for_language(config, lang) for lang in config.languages}
        self.menus = {lang.code: index.menu(lang) for lang in config.languages}
        self.has_search = self.search_script is not None and SEARCH_TEMPLATE in self.env.list_templates()

    def render(self, page: Page) -> RenderedPage:
        log = ReadLog()
        with recording(log):
            return self._render(page, log)

    def _render(self, page: Page, log: ReadLog) -> RenderedPage:
        context = self._base_context(page.language) | {"collections": RecordingCollections(self.collections, log, page),
                                                       "data": RecordedSiteData(self.data[page.language.code], log)}
        context["meeting"] = self.collections.meeting_of(page)
        view = PageView(
            title=page.title,
            url=page.url,
            lang=page.language.code,
            content=Markup(""),
            description=page.description or page.language.description,
            date=page.date,
            data=page.data,
            switcher=tuple(self.index.switcher(page)),
            is_home=page.key == "index",
            key=page.key,
            original=self._original(page),
            draft=page.held,
        )
        body = page.body
        if needs_template_pass(body):
            page_context = {**context, "page": view}
            page_context |= shortcodes_for(self.env, self.shortcode_files, page_context)
            body = render_body_template(self.content_env, body, page_context, page.path, page.body_line)
        content = render_markdown(body, self.layout_ids)
        context["page"] = replace(view, content=Markup(content))
        html = render_template(self._layout(page), context)
        if context["page"].original is not None:
            html = self._with_notice(html, context)
        # Typeset where it is checked (build/page_check.py), on the tree the check reads.
        return RenderedPage(html.encode("utf-8"), content, log.reads)

    def _with_notice(self, html: str, context: dict[str, Any]) -> str:
        """A layout of the site's own that leaves out the outdated-translation notice still shows it, at
        the top of <main>: a reader must know the text may be behind its original."""
        if NOTICE_MARK in html or NOTICE_TEMPLATE not in self.env.list_templates():
            return html
        main = _MAIN_RE.search(html)
        if main is None:
            return html
        notice = render_template(get_template(self.env, NOTICE_TEMPLATE), context)
        return html[:main.end()] + "\n" + notice + html[main.end():]

    def render_special(self, name: str, language: Language, url: str,
                       versions: dict[str, str] | None = None, title: str = "",
                       extra: dict[str, Any] | None = None) -> bytes:
        """A page made by a template alone, in one language: the 404 page (search engines skip it, and its
        switcher goes to each home page) or, given `versions` (language code → URL), a page every language
        has, such as the mirrors page."""
        return self.render_special_with_reads(name, language, url, versions, title, extra)[0]

    def render_special_with_reads(self, name: str, language: Language, url: str,
                                  versions: dict[str, str] | None = None, title: str = "",
                                  extra: dict[str, Any] | None = None) -> tuple[bytes, tuple[Read, ...]]:
        """render_special, with what the page read of the site (outputs/reads.py), as a page's reads are
        recorded: the dev server keeps such a page while every read answers the same."""
        switcher = tuple(  # every language has its own version, so no "not translated" mark
            Alternate(lang, versions[lang.code] if versions else lang.root_url, True, lang.code == language.code)
            for lang in self.config.languages
        )
        view = PageView(title=title, url=url, lang=language.code, content=Markup(""), description="",
                        date=None, data={}, switcher=switcher, is_home=False, indexable=versions is not None)
        log = ReadLog()
        with recording(log):
            context = self._base_context(language) | {
                "collections": RecordingCollections(self.collections, log),
                "data": RecordedSiteData(self.data[language.code], log), "page": view, "meeting": None,
            } | (extra or {})
            html = typeset_page(render_template(get_template(self.env, name), context), language.code)
        return html.encode("utf-8"), log.reads

    def string(self, code: str, key: str) -> str:
        return self.catalogs.lookup(code, key)

    def has_template(self, name: str) -> bool:
        return name in self.env.list_templates()

    def vars_css(self) -> bytes:
        """The theme options as CSS custom properties (inline styles would break the strict CSP). Every
        value was checked to be #rrggbb, so none can end the rule early."""
        return theme_vars_css(self.config.theme).encode()

    @property
    def theme_scripts(self) -> tuple[str, ...]:
        """The bodies of the theme's own inline scripts: the only ones a page runs without an opt-in."""
        return (self.time_script.source,) + ((self.search_script.source,) if self.search_script else ())

    @property
    def content_security_policy(self) -> str:
        """The meta tag's policy, from the one policy that the _headers and nginx files also come from."""
        scripts = (self.time_script.csp_hash.strip("'"),) if self.collections.meetings else ()
        if self.has_search and self.search_script:
            scripts += (self.search_script.csp_hash.strip("'"),)
        return SecurityPolicy(self.config.check.allow_origins, scripts).meta_csp()

    def search_indexes(self, language: Language) -> list[dict[str, str]]:
        """Each language's index manifest, the reader's language first (search.html links them)."""
        ordered = [language, *(lang for lang in self.config.languages if lang.code != language.code)]
        return [{"code": lang.code, "prefix": chunk_prefix(lang.code), "url": f"/{language_folder(lang.code)}/m.css"}
                for lang in ordered]

    def _original(self, page: Page) -> Alternate | None:
        """The source version, linked from the notice on a translation that is out of date."""
        source = self.outdated.get(page.path)
        return Alternate(source.language, source.url, True, False) if source else None

    def _base_context(self, language: Language) -> dict[str, Any]:
        return {"site": self.site_views[language.code], "lang": language, "data": self.data[language.code],
                "collections": self.collections, "menu": self.menus[language.code]}

    def _layout(self, page: Page) -> jinja2.Template:
        if page.layout not in self.layouts:
            raise ContentError(
                f"layout {page.layout!r} does not exist",
                page.location("layout"),
                hint=f"available layouts: {', '.join(self.layouts)}; or add templates/{page.layout}.html",
            )
        return get_template(self.env, f"{page.layout}.html")

    def _filters(self) -> dict[str, Any]:
        return {
            "loc": localize,
            "date": date_filter,
            "when": when_filter,
            "iso": iso_moment,
            "language_name": language_name,
            "url": url_filter,
            "absolute_url": lambda path: self.config.base_url + site_path(path),
            "onion_url": lambda path: onion_url(self.config.publish.onion or "", path),
        }

    def _globals(self) -> dict[str, Any]:
        @pass_context
        def t(ctx: Any, key: str, **values: Any) -> str:
            record(("string", ctx["lang"].code, key))
            try:
                text = self.catalogs.lookup(ctx["lang"].code, key)
            except KeyError:
                raise jinja2.TemplateRuntimeError(
                    f"no interface string {key!r}; add it to strings/{ctx['lang'].code}.yaml") from None
            if not values:
                return text
            try:
                return fill(text, values)
            except ValueError as exc:  # a site's string a site's template fills (the theme's are checked on load)
                raise jinja2.TemplateRuntimeError(f"the interface string {key!r} cannot be filled in: {exc}") from None

        def theme_url(name: str) -> str:
            digest = self.theme_hashes.get(name)
            if digest is None:
                raise jinja2.TemplateRuntimeError(f"theme file {name!r} does not exist")
            return f"{THEME_URL}{name}?v={digest}"

        @pass_context
        def url_of(ctx: Any, key: str) -> str | None:
            """The URL of a page by translation key, in the page's language if it exists there."""
            group = self.index.by_key.get(key, {})
            page = group.get(ctx["lang"].code) or group.get(self.config.default_language.code)
            return page.url if page else None

        @pass_context
        def search_url(ctx: Any) -> str | None:
            return f"{ctx['lang'].root_url}{SEARCH_FOLDER}/" if self.has_search else None

        @pass_context
        def page_flyer(ctx: Any, page: PageView) -> str | None:
            """The printable flyer of a meeting's page (see outputs/flyers.py), when the theme makes them."""
            if not ctx.get("meeting"):
                return None
            from samizdat.outputs.flyers import FLYER_TEMPLATE, flyer_url  # loaded when a meeting's page is rendered

            return flyer_url(page.url) if self.has_template(FLYER_TEMPLATE) else None

        return {
            "t": t,
            "url_of": url_of,
            "search_url": search_url,
            "search_indexes": pass_context(lambda ctx: self.search_indexes(ctx["lang"])),
            "search_script": lambda: self.search_script.tag if self.search_script else Markup(""),
            "flyer_url": page_flyer,
            "theme_url": theme_url,
            "image_size": lambda path: record(("image", path)) or image_size(site_file(self.config.root, path)),
            "feed_url": lambda lang: "/" + paths.feed_path(lang),
            "has_feed": lambda: record(HAS_FEED) or self.collections.has_feed,
            "calendar_url": lambda lang: "/" + paths.calendar_path(lang),
            "meeting_ics_url": lambda page_url, slug: f"{page_url}{slug}.ics",
            "time_script": lambda: self.time_script.tag if self.collections.meetings else Markup(""),
            "content_security_policy": lambda: self.content_security_policy,
            "og_locale": og_locale,
            "site_stylesheet": lambda: self.own_stylesheet,
            "site_icon": lambda: self.own_icon,
        }
