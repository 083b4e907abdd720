"""Language codes as old sites write them, and the settings samizdat needs for each."""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError

# Country codes that sites use as a language's URL prefix (Voices in Korea serves Korean at /kr/).
PREFIX_ALIASES = {"kr": "ko", "ua": "uk", "jp": "ja", "cn": "zh", "gr": "el", "cz": "cs", "dk": "da",
                  "se": "sv", "by": "be", "ee": "et", "ge": "ka", "il": "he", "rs": "sr", "si": "sl"}
CODE = re.compile(r"^[a-zA-Z]{2,3}([-_][a-zA-Z0-9]{2,8})*$")
NEWS_TITLES = {"en": "News", "ru": "Новости", "uk": "Новини", "ko": "소식", "de": "Neuigkeiten",
               "fr": "Actualités", "es": "Noticias", "it": "Notizie", "ja": "ニュース", "zh": "新闻",
               "ar": "أخبار", "he": "חדשות", "pt": "Notícias", "nl": "Nieuws", "tr": "Haberler", "pl": "Aktualności"}


def normal_code(text: str) -> str | None:
    """`pt_BR` → `pt-BR`; None when the text is not a language babel knows."""
    if not CODE.match(text):
        return None
    code = text.replace("_", "-")
    try:
        Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    return code


def code_of_prefix(segment: str, known: set[str] | None = None) -> str | None:
    """The language a URL's first folder names, if it names one: `en`, `kr` (Korean), `zh-CN`."""
    if known is not None:
        for code in known:
            if segment.lower() == code.lower():
                return code
        alias = PREFIX_ALIASES.get(segment.lower())
        return alias if alias in known else None
    if segment.lower() in PREFIX_ALIASES:
        return PREFIX_ALIASES[segment.lower()]
    return normal_code(segment) if len(segment) <= 3 or "-" in segment else None


def display_name(code: str) -> str:
    try:
        name = Locale.parse(code, sep="-").get_display_name(code.split("-")[0]) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def news_title(code: str) -> str:
    return NEWS_TITLES.get(code.split("-")[0], "News")


_SCRIPTS = (("ru", r"[\u0400-\u04FF]"), ("ko", r"[\uAC00-\uD7AF]"), ("ja", r"[\u3040-\u30FF]"),
            ("zh", r"[\u4E00-\u9FFF]"), ("ar", r"[\u0600-\u06FF]"), ("he", r"[\u0590-\u05FF]"),
            ("el", r"[\u0370-\u03FF]"), ("en", r"[A-Za-z]"))


def guess_language(text: str) -> str:
    """The language a page's letters suggest: Cyrillic → ru, Hangul → ko, …; Latin letters → en."""
    counts = {code: len(re.findall(pattern, text)) for code, pattern in _SCRIPTS}
    if counts["ja"]:
        counts["ja"] += counts.pop("zh")  # Japanese text mixes kana with Chinese characters
    best = max(counts, key=lambda code: counts[code])
    return best if counts[best] else "en"
