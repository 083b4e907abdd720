"""A synthetic trilingual site (ru at /, en at /en/, ko at /kr/) written for samizdat and for Hugo.

    python -m bench.generate OUT_DIR [--pages 1000] [--profile linked]

P pages per language: the home page, the news listing and P − 2 pages spread over four sections, each
500–800 words with headings, lists, links to other pages, now and then a table, in Cyrillic, Latin or
Hangul. The same seed gives the same bytes. Both formats carry the same Markdown; translations share
their file path below content/<code>/, which is how both engines link them.

Two profiles: `bench` (above: links as URLs, no tags; Hugo with its default lists, feeds and sitemaps) and
`linked` (pages of about 10 KB, links written as relative links to the other `.md` files, two or three
tags in each page's front matter; Hugo with a minimal layout and no taxonomies, feeds or sitemaps).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.words import EDIT_LABELS, HOME_TITLES, LABELS, SECTION_TITLES, WORDS

SECTIONS = ("news", "news", "articles", "reports", "guides")  # news takes two fifths of the pages
LANGUAGES = {"ru": "", "en": "en", "ko": "kr"}  # code → URL prefix, as in samizdat.toml and hugo.toml
SEED = "samizdat-bench-1"
FIRST_DATE = dt.date(2019, 1, 1)

SAMIZDAT_CONFIG = """\
base_url = "https://example.org"

[languages.ru]
default = true
name = "Русский"
title = "Голоса"

[languages.en]
name = "English"
title = "Voices"
prefix = "en"

[languages.ko]
name = "한국어"
title = "목소리"
prefix = "kr"
"""

# Hugo names a language by its URL prefix, so Korean is the language `kr` whose locale is `ko`.
HUGO_CONFIG = """\
baseURL = "https://example.org/"
defaultContentLanguage = "ru"
defaultContentLanguageInSubdir = false
disableKinds = ["taxonomy", "term"]
buildFuture = true  # samizdat publishes dated pages whatever the clock says

[languages.ru]
weight = 1
locale = "ru"
label = "Русский"
title = "Голоса"
contentDir = "content/ru"

[languages.en]
weight = 2
locale = "en"
label = "English"
title = "Voices"
contentDir = "content/en"

[languages.kr]
weight = 3
locale = "ko"
label = "한국어"
title = "목소리"
contentDir = "content/ko"
"""

HUGO_BASEOF = """\
<!doctype html>
<html lang="{{ .Site.Language.Locale }}">
<head>
<meta charset="utf-8">
<title>{{ if not .IsHome }}{{ .Title }} — {{ end }}{{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Locale }}" href="{{ .Permalink }}">
{{ end }}</head>
<body>
<nav class="languages">{{ range .AllTranslations }}<a href="{{ .RelPermalink }}" hreflang="{{ .Language.Locale }}"\
{{ if eq .Language.Lang $.Language.Lang }} aria-current="page"{{ end }}>{{ .Language.Label }}</a>
{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""

HUGO_SINGLE = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .Date }}<p class="meta"><time datetime="{{ .Format "2006-01-02" }}">{{ time.Format ":date_long" . }}</time></p>
{{ end }}{{ .Content }}{{ end }}
"""

HUGO_LIST = """\
{{ define "main" }}{{ if not .IsHome }}<h1>{{ .Title }}</h1>{{ end }}
{{ .Content }}
{{ if eq .Section "news" }}<ul class="post-list">
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ time.Format ":date_long" .Date }}</time></li>
{{ end }}</ul>{{ end }}{{ end }}
"""


@dataclass(frozen=True)
class Profile:
    name: str
    words: tuple[int, int]  # the body's target length, before the last section overshoots
    md_links: bool  # links written to the other page's .md file rather than its URL
    tags: bool  # two or three tags in each regular page's front matter
    hugo_disabled: tuple[str, ...]  # page kinds Hugo does not build


PROFILES = {
    "bench": Profile("bench", (500, 680), False, False, ("taxonomy", "term")),
    "linked": Profile("linked", (800, 1000), True, True, ("taxonomy", "term", "RSS", "sitemap")),
}
TAGS = ("housing", "strike", "court", "press", "solidarity", "election", "union", "repression", "aid", "school")


@dataclass(frozen=True)
class PageVersion:
    """One page in one language, and what the benchmark looks for in both outputs."""

    language: str
    key: str  # "index", "news" or "<section>/item-00042"
    samizdat_source: str  # below the site folder
    hugo_source: str
    output: str  # below the output folder, the same in both engines
    signature: str  # a sentence of the body, unique to this page and language


@dataclass(frozen=True)
class Manifest:
    pages_per_language: int
    versions: tuple[PageVersion, ...]

    @property
    def edit_target(self) -> PageVersion:
        """The page the one-edit rebuild changes: an English news post in the middle of the site."""
        keys = sorted(v.key for v in self.versions if v.language == "en" and v.key.startswith("news/"))
        key = keys[len(keys) // 2]
        return next(v for v in self.versions if v.language == "en" and v.key == key)


def section_of(number: int) -> str:
    return SECTIONS[number % len(SECTIONS)]


def page_key(number: int) -> str:
    return f"{section_of(number)}/item-{number:05d}"


def page_url(language: str, key: str) -> str:
    prefix = f"/{LANGUAGES[language]}" if LANGUAGES[language] else ""
    return f"{prefix}/" if key == "index" else f"{prefix}/{key}/"


def generate(root: Path, pages_per_language: int, profile: str = "bench") -> Manifest:
    """Write ROOT/samizdat and ROOT/hugo; pages_per_language counts the home page and the news listing."""
    if pages_per_language < 3:
        raise ValueError("a site needs at least 3 pages per language (home, news listing, one page)")
    samizdat_root, hugo_root = root / "samizdat", root / "hugo"
    _write(samizdat_root / "samizdat.toml", SAMIZDAT_CONFIG)
    chosen = PROFILES[profile]
    kinds = ", ".join(f'"{kind}"' for kind in chosen.hugo_disabled)
    hugo_config = HUGO_CONFIG.replace('disableKinds = ["taxonomy", "term"]', f"disableKinds = [{kinds}]")
    _write(hugo_root / "hugo.toml", hugo_config)
    for name, text in (("baseof", HUGO_BASEOF), ("single", HUGO_SINGLE), ("list", HUGO_LIST)):
        _write(hugo_root / "layouts" / "_default" / f"{name}.html", text)
    regular = pages_per_language - 2
    versions = []
    for language in LANGUAGES:
        for key in ("index", "news", *(page_key(n) for n in range(1, regular + 1))):
            version, text = _page(language, key, regular, chosen)
            _write(samizdat_root / version.samizdat_source, text)
            _write(hugo_root / version.hugo_source, text)
            versions.append(version)
    return Manifest(pages_per_language, tuple(versions))


def apply_edit(site: Path, source: str, version: PageVersion, run: int) -> str:
    """Add a sentence after the page's signature (a paragraph edit, title unchanged); returns the sentence."""
    path = site / source
    label = EDIT_LABELS[version.language]
    base = re.sub(rf" {label} \d+\.", "", path.read_text(encoding="utf-8"))  # the previous run's edit
    sentence = f"{label} {run:03d}."
    marked = base.replace(version.signature, f"{version.signature} {sentence}", 1)
    if marked == base:
        raise ValueError(f"the signature of {path} is not in the file")
    path.write_text(marked, encoding="utf-8")
    return sentence


def _page(language: str, key: str, regular: int, profile: Profile) -> tuple[PageVersion, str]:
    rng = random.Random(f"{SEED}:{language}:{key}")
    number = int(key.rsplit("-", 1)[1]) if "/" in key else 0
    if key == "index":
        title, sources = HOME_TITLES[language], ("index.md", "_index.md")
    elif key == "news":
        title, sources = SECTION_TITLES[language]["news"], ("news/index.md", "news/_index.md")
    else:
        title, sources = _phrase(rng, language, 3, 7), (f"{key}.md", f"{key}.md")
    signature = f"{LABELS[language]} {key} {_words(rng, language, 4)}."
    date = FIRST_DATE + dt.timedelta(days=(number * 37) % 2500)  # up to 2025, in the past
    tags = f"tags: [{', '.join(rng.sample(TAGS, rng.randint(2, 3)))}]\n" if profile.tags and number else ""
    front = f"---\ntitle: \"{title}\"\ndate: {date.isoformat()}\n{tags}---\n\n"
    body = _body(rng, language, signature, regular, number % 7 == 3, profile)
    version = PageVersion(language, key, f"content/{language}/{sources[0]}", f"content/{language}/{sources[1]}",
                          page_url(language, key).lstrip("/") + "index.html", signature)
    return version, front + body


def _body(rng: random.Random, language: str, signature: str, regular: int, with_table: bool,
          profile: Profile) -> str:
    """Sections of a heading, paragraphs and sometimes a list, until the page holds its words."""
    target = rng.randint(*profile.words)  # the last section overshoots by up to ~130 words
    link = _md_link if profile.md_links else _url_link
    blocks = [f"{signature} {_paragraph(rng, language, regular, 30, 50, link)}"]
    table_at = rng.randint(1, 3) if with_table else -1
    part = 0
    while sum(len(block.split()) for block in blocks) < target:
        part += 1
        blocks.append(f"## {_phrase(rng, language, 2, 5)}")
        blocks.append(_paragraph(rng, language, regular, 40, 90, link))
        if part == table_at:
            blocks.append(_table(rng, language))
        elif rng.random() < 0.5:
            blocks.append(_list(rng, language, regular, link))
    return "\n\n".join(blocks) + "\n"


def _url_link(language: str, key: str) -> str:
    return page_url(language, key)


def _md_link(language: str, key: str) -> str:
    """From a page in a section's folder (where nearly all pages are) to the other page's file."""
    return f"../{key}.md"


def _paragraph(rng: random.Random, language: str, regular: int, low: int, high: int,
               link: Callable[[str, str], str] = _url_link) -> str:
    sentences, count, goal = [], 0, rng.randint(low, high)
    while count < goal:
        size = rng.randint(6, 14)
        sentence = _words(rng, language, size)
        if rng.random() < 0.25:
            target = page_key(rng.randint(1, regular))
            sentence += f" [{_words(rng, language, 3)}]({link(language, target)})"
        elif rng.random() < 0.15:
            sentence += f" **{_words(rng, language, 2)}**"
        sentences.append(sentence[0].upper() + sentence[1:] + rng.choice(".....!?"))
        count += size
    return " ".join(sentences)


def _list(rng: random.Random, language: str, regular: int, link: Callable[[str, str], str] = _url_link) -> str:
    ordered = rng.random() < 0.3
    items = []
    for n in range(1, rng.randint(3, 6) + 1):
        text = _words(rng, language, rng.randint(3, 10))
        if rng.random() < 0.3:
            text = f"[{text}]({link(language, page_key(rng.randint(1, regular)))})"
        items.append(f"{n}. {text}" if ordered else f"- {text}")
    return "\n".join(items)


def _table(rng: random.Random, language: str) -> str:
    rows = [[_phrase(rng, language, 1, 2) for _ in range(3)] for _ in range(rng.randint(3, 6))]
    header, *body = rows
    lines = ["| " + " | ".join(header) + " |", "| --- | --- | ---: |"]
    lines += ["| " + " | ".join([*row[:2], str(rng.randint(1, 5000))]) + " |" for row in body]
    return "\n".join(lines)


def _words(rng: random.Random, language: str, count: int) -> str:
    return " ".join(rng.choices(WORDS[language], k=count))


def _phrase(rng: random.Random, language: str, low: int, high: int) -> str:
    text = _words(rng, language, rng.randint(low, high))
    return text[0].upper() + text[1:]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path, help="folder to write samizdat/ and hugo/ into (must not exist)")
    parser.add_argument("--pages", type=int, default=1000, help="pages per language (default 1000)")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="bench", help="which content (default bench)")
    args = parser.parse_args()
    if args.out.exists():
        parser.error(f"{args.out} exists; give a new folder")
    manifest = generate(args.out, args.pages, args.profile)
    print(f"wrote {len(manifest.versions)} pages per engine into {args.out}/samizdat and {args.out}/hugo")


if __name__ == "__main__":
    main()
