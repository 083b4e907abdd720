"""samizdat.toml → SiteConfig. Unknown keys and wrong types are errors; every problem is listed."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError

from samizdat.config_sections import (
    CheckConfig,
    ImagesConfig,
    PublishConfig,
    Schema,
    SectionReaders,
    SecurityConfig,
)
from samizdat.errors import ConfigError, ContentError, SamizdatError, SourceLocation, shown
from samizdat.site_files import site_file
from samizdat.zones import find_zone

CONFIG_NAME = "samizdat.toml"


# The site's address goes into every page, feed, sitemap and robots.txt: a line break in it would add
# lines of its own to robots.txt, and a quote or space would end an attribute. So only what an address
# holds: a host (letters of any script, digits, dots, hyphens), a port, and a path of RFC 3986's characters.
_BASE_URL_RE = re.compile(r"https?://[\w.-]+(?::\d{1,5})?(?:/[\w.~!$&'()*+,;=:@%/-]*)?")


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47 code written in <html lang>, e.g. "ko"
    name: str  # the language's name in itself, e.g. "한국어"
    prefix: str  # URL prefix without slashes; "" for the site root
    title: str  # the site's title in this language
    locale: str  # Babel locale for dates and plurals
    is_default: bool
    flag: str | None = None  # site-relative image path shown in the switcher
    marker: str | None = None  # short text shown when there is no flag, e.g. "EN"
    description: str = ""
    direction: str = "ltr"  # "rtl" for Arabic, Hebrew, Persian…

    @property
    def root_url(self) -> str:
        return f"/{self.prefix}/" if self.prefix else "/"


@dataclass(frozen=True)
class ThemeAction:
    """The one call to action every page shows in its header, e.g. a link to donate."""

    url: str
    label: str | dict[str, str]  # one text, or one per language code


@dataclass(frozen=True)
class ThemeConfig:
    name: str = "default"
    accent: str = "#1f5fa8"
    show_flags: bool = True
    accent_text: str = "#ffffff"  # text on the accent colour (the call-to-action button)
    stripes: tuple[str, ...] = ()  # the band of colours across the top of every page, e.g. a flag's
    mark: str | None = None  # site-relative SVG shown before the site's title
    action: ThemeAction | None = None


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    base_url: str  # without a trailing slash
    languages: tuple[Language, ...]
    timezone: str
    theme: ThemeConfig = field(default_factory=ThemeConfig)
    image: str | None = None  # site-relative path of the share picture
    publish: PublishConfig = field(default_factory=PublishConfig)
    images: ImagesConfig = field(default_factory=ImagesConfig)
    check: CheckConfig = field(default_factory=CheckConfig)
    security: SecurityConfig = field(default_factory=SecurityConfig)

    @property
    def default_language(self) -> Language:
        return next(lang for lang in self.languages if lang.is_default)

    def language(self, code: str) -> Language | None:
        return next((lang for lang in self.languages if lang.code == code), None)

    @property
    def origin(self) -> str:
        """scheme://host of base_url: links there are the site's own."""
        scheme, _, rest = self.base_url.partition("://")
        return f"{scheme}://{rest.split('/')[0]}".lower()

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME


TOP_LEVEL: Schema = {
    "base_url": (str, True, "the address the site is published at, e.g. https://example.org"),
    "timezone": (str, False, "IANA time zone for dates, e.g. Asia/Seoul (default UTC)"),
    "languages": (dict, True, "one [languages.CODE] table per language"),
    "theme": (dict, False, "theme options"),
    "image": (str, False, "picture shown when a page is shared (Open Graph), e.g. assets/share.png"),
    "publish": (dict, False, "where and how the site is published: deploy, mirrors, onion"),
    "images": (dict, False, "how photos are resized, encoded and masked"),
    "check": (dict, False, "options of `samizdat check`"),
    "security": (dict, False, "the one opening in the script policy: pages allowed their own <script>"),
}
LANGUAGE_KEYS: Schema = {
    "name": (str, True, "the language's name in that language, e.g. Русский"),
    "title": (str, True, "the site's title in that language"),
    "prefix": (str, False, "URL prefix, e.g. kr for /kr/; empty for the root"),
    "default": (bool, False, "true for the language served at the root"),
    "flag": (str, False, "image for the language switcher, e.g. assets/flags/ru.svg"),
    "marker": (str, False, "short text for the switcher when there is no flag, e.g. EN"),
    "locale": (str, False, "locale for dates, e.g. ko_KR (default: the code)"),
    "description": (str, False, "a sentence describing the site in that language"),
}
THEME_KEYS: Schema = {
    "name": (str, False, "theme name (default: default)"),
    "accent": (str, False, "accent colour as #rrggbb"),
    "show_flags": (bool, False, "show flag images in the language switcher"),
    "accent_text": (str, False, "colour of text on the accent colour, as #rrggbb"),
    "stripes": (list, False, "colours of the band across the top of every page, e.g. a flag's"),
    "mark": (str, False, "the group's sign, an SVG file shown before the title, e.g. assets/mark.svg"),
    "action": (dict, False, "the call to action in the header: [theme.action] with url and label"),
}
ACTION_KEYS: Schema = {
    "url": (str, True, "where the call to action leads, e.g. https://example.org/donate"),
    "label": ((str, dict), True, "its words: one text, or a table with one text per language"),
}
_PREFIX_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$|^$")
_CODE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def load_config(site_root: Path) -> SiteConfig:
    path = site_root / CONFIG_NAME
    if not site_root.is_dir():
        raise ConfigError(f"site folder {site_root} does not exist", hint="give the folder that holds samizdat.toml")
    if not path.is_file():
        raise ConfigError(
            f"no {CONFIG_NAME} in {site_root}",
            SourceLocation(path),
            hint="run samizdat in the site's folder, or create one with `samizdat init DIR`",
        )
    if path.is_symlink():  # a site's files are read only from inside it (see site_files.py)
        raise ConfigError(f"{CONFIG_NAME} is a symbolic link (to {os.readlink(path)!r})", SourceLocation(path),
                          hint="replace the link with a copy of the file it points to")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError("file is not UTF-8 text", SourceLocation(path), hint="save it as UTF-8") from exc
    try:
        raw = tomllib.loads(text)
    except RecursionError as exc:  # tomllib reads nested arrays and tables by recursion
        raise ConfigError("invalid TOML: values nested too deep to read (arrays or tables within each other)",
                          SourceLocation(path), hint="samizdat's settings nest two or three levels at most") from exc
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, col = (int(match[1]), int(match[2])) if match else (None, None)
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise ConfigError(
            f"invalid TOML: {message}", SourceLocation(path, line, col),
            hint="check the quotes and brackets on that line",
        ) from exc
    return _ConfigReader(site_root.resolve(), path, text).read(raw)


class _ConfigReader(SectionReaders):
    """Checks the whole file and reports every problem in one error."""

    def __init__(self, root: Path, path: Path, text: str) -> None:
        self.root, self.path, self.lines = root, path, text.splitlines()
        self.problems: list[str] = []
        self._declared_languages: tuple[Language, ...] = ()

    def read(self, raw: dict[str, Any]) -> SiteConfig:
        self._check_table(raw, TOP_LEVEL, "")
        languages = self._languages(raw.get("languages"))
        self._declared_languages = languages
        theme = self._theme(raw.get("theme", {}))
        publish = self._publish(raw.get("publish", {}))
        images = self._images(raw.get("images", {}))
        image = raw.get("image")
        if isinstance(image, str) and not self._site_file(image):
            self._problem("image", f"file {image} not found in the site folder")
        check = self._check(raw.get("check", {}))
        security = self._security(raw.get("security", {}), self.root)
        timezone = raw.get("timezone", "UTC")
        if isinstance(timezone, str) and find_zone(timezone) is None:
            self._problem("timezone", f"unknown time zone {shown(timezone)} (use e.g. Asia/Seoul: a region and a city)")
        base_url = raw.get("base_url", "")
        if isinstance(base_url, str) and base_url and not _BASE_URL_RE.fullmatch(base_url):
            self._problem("base_url", f"{base_url!r} must be an address like https://example.org or "
                          "https://example.org/path/, with no spaces, quotes, line breaks, ? or #")
        if self.problems:
            listing = "\n  ".join(self.problems)
            raise ConfigError(
                f"{len(self.problems)} problem(s) in {CONFIG_NAME}:\n  {listing}",
                SourceLocation(self.path),
                hint="see docs/configuration.md for every option",
            )
        return SiteConfig(self.root, base_url.rstrip("/"), languages, timezone, theme,
                          image if isinstance(image, str) else None, publish=publish, images=images, check=check,
                          security=security)

    def _line_of(self, key: str) -> int | None:
        """The line of a dotted key such as languages.en.title: its table header, then the key in it."""
        *tables, last = key.split(".")
        start = 0
        if tables:
            table = ".".join(tables)
            # publish.mirrors[2] is the second [[publish.mirrors]] table.
            entry = re.fullmatch(r"(.+)\[(\d+)\]", table)
            name, number = (entry[1], int(entry[2])) if entry else (table, 1)
            header = re.compile(rf"^\s*\[\[?\s*{re.escape(name)}\s*\]")
            found = [i for i, line in enumerate(self.lines) if header.match(line)]
            if len(found) < number:
                return None
            start = found[number - 1] + 1
        assignment = re.compile(rf"^\s*\"?{re.escape(last)}\"?\s*=")
        table_header = re.compile(rf"^\s*\[\s*{re.escape(key)}\s*\]")
        for index in range(start, len(self.lines)):
            line = self.lines[index]
            if assignment.match(line) or table_header.match(line):
                return index + 1
            if tables and line.lstrip().startswith("["):
                break
        return None

    def _site_file(self, rel: str) -> bool:
        """Whether rel names a real file of the site, reached through real folders: a path out of the site
        (`..`, a link) is not looked at, so the settings cannot ask about the volunteer's files."""
        try:
            return site_file(self.root, rel).is_file()
        except ContentError:
            return False

    def _problem(self, key: str, message: str) -> None:
        line = self._line_of(key)
        where = f"line {line}: " if line else ""
        self.problems.append(f"{where}{key}: {message}")

    def _check_table(self, table: dict[str, Any], schema: Schema, prefix: str) -> None:
        for key, value in table.items():
            if key not in schema:
                known = ", ".join(schema)
                self._problem(f"{prefix}{key}", f"unknown key (known keys: {known})")
                continue
            expected = schema[key][0]
            if not isinstance(value, expected):
                self._problem(f"{prefix}{key}", f"must be {_type_word(expected)}, not {_type_word(type(value))}")
        for key, (_, required, meaning) in schema.items():
            if required and key not in table:
                self._problem(f"{prefix}{key}", f"missing: {meaning}")

    def _languages(self, tables: Any) -> tuple[Language, ...]:
        if not isinstance(tables, dict) or not tables:
            if isinstance(tables, dict):
                self._problem("languages", "declare at least one [languages.CODE] table")
            return ()
        languages = [self._language(code, table) for code, table in tables.items() if isinstance(table, dict)]
        for code, table in tables.items():
            if not isinstance(table, dict):
                self._problem(f"languages.{code}", "must be a table [languages.CODE]")
        defaults = [lang for lang in languages if lang.is_default]
        if len(languages) == 1 and not defaults:
            languages = [_replace_default(languages[0])]
        elif len(defaults) != 1 and languages:
            self._problem("languages", "exactly one language must have default = true")
        prefixes = [lang.prefix for lang in languages]
        for prefix in {p for p in prefixes if prefixes.count(p) > 1}:
            self._problem("languages", f"two languages share the URL prefix {prefix!r}")
        return tuple(languages)

    def _language(self, code: str, table: dict[str, Any]) -> Language:
        key = f"languages.{code}"
        self._check_table(table, LANGUAGE_KEYS, f"{key}.")
        if not _CODE_RE.match(code):
            self._problem(key, f"{code!r} is not a language code such as ru, en or ko")
        is_default = table.get("default", False) is True
        # A URL is lower case by custom, and BCP 47 codes are not case-sensitive: sr-Latn is at /sr-latn/.
        prefix = table.get("prefix", "" if is_default else code.lower())
        if isinstance(prefix, str):
            prefix = prefix.strip("/")
            if not _PREFIX_RE.match(prefix):
                self._problem(f"{key}.prefix", f"{prefix!r} may hold only a-z, 0-9, - and _")
        locale = table.get("locale", code.replace("-", "_"))
        direction = "ltr"
        try:
            if Locale.parse(locale).character_order == "right-to-left":
                direction = "rtl"
        except (UnknownLocaleError, ValueError, TypeError):
            self._problem(f"{key}.locale", f"unknown locale {locale!r}")
        for image_key in ("flag",):
            image = table.get(image_key)
            if isinstance(image, str) and not self._site_file(image):
                self._problem(f"{key}.{image_key}", f"file {image} not found in the site folder")
        return Language(
            code=code,
            name=_text(table.get("name"), code),
            prefix=prefix if isinstance(prefix, str) else code,
            title=_text(table.get("title"), ""),
            locale=locale if isinstance(locale, str) else code,
            is_default=is_default,
            flag=table.get("flag") if isinstance(table.get("flag"), str) else None,
            marker=table.get("marker") if isinstance(table.get("marker"), str) else None,
            description=_text(table.get("description"), ""),
            direction=direction,
        )

    def _theme(self, table: Any) -> ThemeConfig:
        if not isinstance(table, dict):
            return ThemeConfig()
        self._check_table(table, THEME_KEYS, "theme.")
        name = table.get("name", "default")
        return ThemeConfig(
            name=name if isinstance(name, str) else "default",
            accent=self._colour(table, "accent", ThemeConfig.accent),
            show_flags=table.get("show_flags", True) is not False,
            accent_text=self._colour(table, "accent_text", ThemeConfig.accent_text),
            stripes=self._stripes(table.get("stripes")),
            mark=self._mark(table.get("mark")),
            action=self._action(table.get("action")),
        )

    def _colour(self, table: dict[str, Any], key: str, default: str) -> str:
        value = table.get(key, default)
        if isinstance(value, str) and not _COLOR_RE.match(value):
            self._problem(f"theme.{key}", f"{value!r} must be a colour such as #1f5fa8")
            return default
        return value if isinstance(value, str) else default

    def _stripes(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            return ()
        # Each colour goes into the theme's CSS: only #rrggbb, so no text can end the rule early.
        if not 2 <= len(value) <= 7 or not all(isinstance(c, str) and _COLOR_RE.match(c) for c in value):
            self._problem("theme.stripes", "must list 2 to 7 colours such as \"#1f5fa8\"")
            return ()
        return tuple(value)

    def _mark(self, mark: Any) -> str | None:
        """Only a drawing in assets/ (published, and cleaned as every SVG there is), never a link out."""
        if not isinstance(mark, str):
            return None
        try:
            path = site_file(self.root, mark)
        except SamizdatError as exc:
            self._problem("theme.mark", exc.message)
            return None
        if path.relative_to(self.root).parts[0] != "assets" or path.suffix.lower() != ".svg":
            self._problem("theme.mark", f"{mark!r} must be an SVG file in assets/, e.g. assets/mark.svg")
        elif not path.is_file():
            self._problem("theme.mark", f"file {mark} not found in the site folder")
        else:
            return path.relative_to(self.root).as_posix()
        return None

    def _action(self, table: Any) -> ThemeAction | None:
        if not isinstance(table, dict):
            return None
        self._check_table(table, ACTION_KEYS, "theme.action.")
        url, label = table.get("url"), table.get("label")
        if isinstance(url, str) and not re.match(r"^(https?://[^/\s]+|/(?!/))\S*$", url):
            self._problem("theme.action.url", f"{url!r} must start with https://, http:// or /")
            return None
        if isinstance(label, dict):
            codes = {lang.code for lang in self._declared_languages}
            for code, text in label.items():
                if not isinstance(text, str) or not text.strip():
                    self._problem("theme.action.label", f"the {code} label must be a text")
                elif codes and code not in codes:
                    self._problem("theme.action.label", f"{code!r} is not one of the site's languages")
        elif isinstance(label, str) and not label.strip():
            self._problem("theme.action.label", "must not be empty")
        if not isinstance(url, str) or not isinstance(label, str | dict):
            return None
        return ThemeAction(url, label)


def _replace_default(language: Language) -> Language:
    derived = language.prefix == language.code.lower()  # the prefix given by default, not chosen
    return replace(language, is_default=True, prefix="" if derived else language.prefix)


def _text(value: Any, fallback: str) -> str:
    return value if isinstance(value, str) else fallback


_TYPE_WORDS = {str: "a string", bool: "true or false", dict: "a table", int: "a whole number", float: "a number",
               list: "a list"}


def _type_word(kind: type | tuple[type, ...]) -> str:
    if isinstance(kind, tuple):
        return " or ".join(_type_word(k) for k in kind)
    return _TYPE_WORDS.get(kind, kind.__name__)
