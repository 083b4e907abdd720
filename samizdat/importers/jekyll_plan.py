"""From the classified Jekyll files to the plan of the new site: languages, URLs, translations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from samizdat.importers.frontmatter import samizdat_front
from samizdat.importers.jekyll import OldDoc
from samizdat.importers.languages import code_of_prefix, display_name, guess_language, normal_code
from samizdat.importers.model import LanguagePlan
from samizdat.importers.report import ReportBuilder
from samizdat.zones import find_zone


@dataclass(frozen=True)
class Placed:
    """A document's place in the new site."""

    doc: OldDoc
    lang: str
    url: str  # the URL it had, which it keeps
    key: str  # translation key
    rel: str  # path below content/<lang>/
    date: dt.date | None
    draft: bool


def languages(config: dict[str, Any], docs: list[OldDoc], wanted_default: str | None,
              report: ReportBuilder) -> tuple[list[str], dict[str, str], str]:
    """The language codes, each one's URL prefix on the old site, and the default."""
    codes: list[str] = []
    for value in config.get("languages") or []:
        code = normal_code(str(value))
        if code and code not in codes:
            codes.append(code)
    prefixes = {code: code for code in codes}
    if not codes:
        prefixes = _prefixes_from_homes(docs)
        codes = list(prefixes)
    default = wanted_default or _default_code(config, docs, codes, report)
    if default not in codes:
        codes.insert(0, default)
    prefixes[default] = ""
    codes.sort(key=lambda c: c != default)
    return codes, prefixes, default


def _prefixes_from_homes(docs: list[OldDoc]) -> dict[str, str]:
    """Languages of a site with one permalink per language: a page at `/en/` or `/kr/` is a home."""
    found: dict[str, str] = {}
    for doc in docs:
        link = doc.page.front.get("permalink") if doc.page.front else None
        folder = doc.inner.rsplit("/", 1)[0] if doc.inner.endswith(("/index.md", "/index.html")) else None
        for place in (link if isinstance(link, str) else None, folder and f"/{folder}/"):
            parts = [p for p in (place or "").split("/") if p]
            if len(parts) == 1 and code_of_prefix(parts[0]):
                found.setdefault(code_of_prefix(parts[0]) or "", parts[0])
    return found


def _default_code(config: dict[str, Any], docs: list[OldDoc], codes: list[str], report: ReportBuilder) -> str:
    for key in ("default_lang", "default_locale", "lang", "language", "locale"):
        code = normal_code(str(config.get(key, ""))) if config.get(key) else None
        if code:
            return code.split("-")[0] if key == "locale" else code
    if codes and config.get("languages"):
        return codes[0]
    home = next((d for d in docs if d.page.front is not None and (d.page.front.get("permalink") == "/" or (
        d.kind == "page" and d.inner in ("index.md", "index.html") and not d.page.front.get("permalink")))), None)
    guess = guess_language(home.page.body) if home else "en"
    report.note("_config.yml", f"the default language was guessed from the home page's letters: {guess}; "
                "run the import again with --default-language to choose another")
    return guess


def language_plans(codes: list[str], prefixes: dict[str, str], default: str, config: dict[str, Any],
                   titles: dict[str, str]) -> tuple[LanguagePlan, ...]:
    title = str(config.get("title") or config.get("name") or "My site")
    description = config.get("description") if isinstance(config.get("description"), str) else ""
    return tuple(LanguagePlan(code, prefix_of(prefixes, code), display_name(code), titles.get(code, title),
                              code == default, description if code == default else "") for code in codes)


def prefix_of(prefixes: dict[str, str], code: str) -> str:
    return prefixes.get(code, code).lower()


def timezone(config: dict[str, Any]) -> str | None:
    zone = config.get("timezone")
    if not isinstance(zone, str):
        return None
    return zone if find_zone(zone) is not None else None


def base_url(config: dict[str, Any], report: ReportBuilder, cname: str | None = None) -> str:
    url = str(config.get("url") or (f"https://{cname}" if cname else "")).rstrip("/")
    baseurl = str(config.get("baseurl") or "").strip("/")
    if baseurl:
        report.note("_config.yml", f"the site lived under /{baseurl}/; samizdat sites live at the root of their "
                    "address: publish it at its own domain, or build with --relative")
    if not url.startswith(("https://", "http://")):
        report.note("_config.yml", "no `url:`: base_url is https://example.org; write the site's address "
                    "in samizdat.toml")
        return "https://example.org"
    return url + (f"/{baseurl}" if baseurl else "")


def defaults_for(config: dict[str, Any], rel: str, kind: str) -> dict[str, Any]:
    """The `defaults:` values whose scope covers this file."""
    values: dict[str, Any] = {}
    for entry in config.get("defaults") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
            continue
        scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
        path = str(scope.get("path") or "").strip("/")
        kind_ok = scope.get("type") in (None, kind + "s", kind)
        if kind_ok and (not path or rel == path or rel.startswith(path + "/")):
            values.update(entry["values"])
    return values


def front_of(doc: OldDoc, config: dict[str, Any], lang: str) -> dict[str, Any]:
    kind = "post" if doc.kind in ("post", "draft") else ("page" if doc.kind in ("page", "i18n") else doc.kind)
    front = {**defaults_for(config, doc.file.rel, kind), **(doc.page.front or {})}
    localized = front.get(f"permalink_{lang}")
    if isinstance(localized, str):
        front["permalink"] = localized
    return front


def samizdat_page_front(front: dict[str, Any], place: Placed, url_from_rel: str) -> dict[str, Any]:
    out = samizdat_front(front, "jekyll")
    if place.date:
        out["date"] = place.date
    if place.url != url_from_rel:
        out["permalink"] = place.url
    out["translation_key"] = place.key
    if place.draft:
        out["draft"] = True
    return out
