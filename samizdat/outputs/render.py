"""Render one page: its own template code, then Markdown, then its layout."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import pass_context
from markupsafe import Markup
from PIL import Image

from samizdat.config import Language, SiteConfig
from samizdat.content.pages import Page
from samizdat.content.translations import Alternate, TranslationIndex
from samizdat.errors import ContentError, SourceLocation
from samizdat.i18n.dates import format_day
from samizdat.i18n.strings import Catalogs
from samizdat.markdown import render_markdown
from samizdat.outputs.security import SecurityPolicy
from samizdat.outputs.views import PageView, SiteView
from samizdat.templates import (
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


class Renderer:
    """Everything that is the same for every page is prepared once, here."""

    def __init__(self, config: SiteConfig, theme: ThemePaths, catalogs: Catalogs,
                 index: TranslationIndex, data: dict[str, Any], outdated: dict[Path, Page] | None = None) -> None:
        self.config, self.catalogs, self.index, self.data = config, catalogs, index, data
        self.outdated = outdated or {}  # translation file → the source that changed since
        self.theme_hashes = _static_hashes(theme.static_dir)
        self.theme_hashes[VARS_CSS] = hashlib.sha256(self.vars_css()).hexdigest()[:10]
        self.env = make_environment(theme.template_dirs, self._filters(), self._globals())
        self.shortcode_files = shortcode_names(self.env)
        self.layouts = sorted(
            name.removesuffix(".html") for name in self.env.list_templates(extensions=["html"])
            if "/" not in name
        )
        self.site_views = {lang.code: SiteView.for_language(config, lang) for lang in config.languages}

    def render(self, page: Page) -> bytes:
        context: dict[str, Any] = {
            "site": self.site_views[page.language.code],
            "lang": page.language,
            "data": self.data,
        }
        body = page.body
        if needs_template_pass(body):
            page_context = {**context, "page": page}
            page_context |= shortcodes_for(self.env, self.shortcode_files, page_context)
            body = render_body_template(self.env, body, page_context, page.path, page.body_line)
        context["page"] = PageView(
            title=page.title,
            url=page.url,
            lang=page.language.code,
            content=Markup(render_markdown(body)),
            description=page.description or page.language.description,
            date=page.date,
            data=page.data,
            switcher=tuple(self.index.switcher(page)),
            is_home=page.key == "index",
            original=self._original(page),
        )
        return render_template(self._layout(page), context).encode("utf-8")

    def _original(self, page: Page) -> Alternate | None:
        """The source version, linked from the notice on a translation that is out of date."""
        source = self.outdated.get(page.path)
        return Alternate(source.language, source.url, True, False) if source else None

    def vars_css(self) -> bytes:
        """The theme options as CSS custom properties (inline styles would break the strict CSP)."""
        return f":root {{ --accent: {self.config.theme.accent}; }}\n".encode()

    def render_special(self, name: str, language: Language, url: str) -> bytes:
        """A page made by a template alone (the 404 page), in one language."""
        switcher = tuple(
            Alternate(lang, lang.root_url, False, lang.code == language.code) for lang in self.config.languages
        )
        view = PageView(title="", url=url, lang=language.code, content=Markup(""), description="",
                        date=None, data={}, switcher=switcher, is_home=False, indexable=False)
        context = {"site": self.site_views[language.code], "lang": language, "data": self.data, "page": view}
        return render_template(get_template(self.env, name), context).encode("utf-8")

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
            "loc": _localize,
            "date": _date_filter,
            "url": _url,
            "absolute_url": lambda path: self.config.base_url + site_path(path),
        }

    def _globals(self) -> dict[str, Any]:
        @pass_context
        def t(ctx: Any, key: str, **values: Any) -> str:
            text = self.catalogs.lookup(ctx["lang"].code, key)
            return text.format(**values) if values else text

        def theme_url(name: str) -> str:
            digest = self.theme_hashes.get(name)
            if digest is None:
                raise jinja2.TemplateRuntimeError(f"theme file {name!r} does not exist")
            return f"{THEME_URL}{name}?v={digest}"

        return {"t": t, "theme_url": theme_url, "image_size": self._image_size,
                "content_security_policy": SecurityPolicy(self.config.check.allow_origins).meta_csp()}

    def _image_size(self, path: str) -> tuple[int, int]:
        return _image_size(self.config.root / path.lstrip("/"))


@lru_cache(maxsize=4096)
def _image_size(path: Path) -> tuple[int, int]:
    try:
        with Image.open(path) as image:
            return image.size
    except (OSError, ValueError) as exc:
        raise ContentError(f"cannot read image: {exc}", SourceLocation(path),
                           hint="check that the file exists and is a JPEG, PNG, WebP or GIF") from exc


@pass_context
def _localize(ctx: Any, value: Any) -> Any:
    """A data value given per language ({ru: …, en: …}) in the page's language, else the default."""
    if not isinstance(value, dict):
        return value
    lang: Language = ctx["lang"]
    site: SiteView = ctx["site"]
    for code in (lang.code, site.default_language.code):
        if code in value:
            return value[code]
    return next(iter(value.values()), "")


@pass_context
def _date_filter(ctx: Any, value: Any, style: str = "long") -> str:
    return format_day(value, ctx["lang"].locale, style)


def site_path(path: str) -> str:
    """A site path as a URL; the one place that decides how internal links are written."""
    if path.startswith(("http://", "https://", "mailto:", "#")):
        return path
    return "/" + path.lstrip("/")


@pass_context
def _url(ctx: Any, path: str) -> str:
    return site_path(path)


def _static_hashes(folder: Path) -> dict[str, str]:
    """Short content hashes for cache-busting the theme's CSS and icons."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for path in sorted(folder.rglob("*")) if path.is_file()
    }
