"""Proof that a build's output is complete before its time is reported.

Every page of the manifest must exist at its URL in every language, hold its own first sentence inside
a rendered paragraph (so the Markdown body was rendered, not only the layout) and link to its versions
in the other languages. After an edit, the edited page must show the new sentence.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bench.generate import LANGUAGES, Manifest, PageVersion, page_url


class IncompleteOutput(RuntimeError):
    pass


def check_output(out: Path, manifest: Manifest, engine: str,
                 edited: tuple[PageVersion, str] | None = None) -> Counter[str]:
    """Raise IncompleteOutput naming what is missing; return the number of HTML files per language."""
    problems = []
    for version in manifest.versions:
        problems += _page_problems(out, version)
        if len(problems) > 10:
            break
    if edited is not None:
        version, sentence = edited
        path = out / version.output
        if path.is_file() and f"{version.signature} {sentence}" not in path.read_text(encoding="utf-8"):
            problems.append(f"{version.output}: the edit {sentence!r} is not in the output")
    if problems:
        raise IncompleteOutput(f"{engine} output in {out} is incomplete:\n  " + "\n  ".join(problems[:10]))
    return html_per_language(out)


def _page_problems(out: Path, version: PageVersion) -> list[str]:
    path = out / version.output
    if not path.is_file():
        return [f"{version.output}: missing"]
    html = path.read_text(encoding="utf-8")
    problems = []
    if f"<p>{version.signature}" not in html:
        problems.append(f"{version.output}: body not rendered (no paragraph starting {version.signature!r})")
    for language in LANGUAGES:
        if language != version.language and f'href="{page_url(language, version.key)}"' not in html:
            problems.append(f"{version.output}: no link to its {language} version")
    return problems


def html_per_language(out: Path) -> Counter[str]:
    """HTML files below the output folder, by the language whose URL prefix holds them."""
    prefixes = {prefix: code for code, prefix in LANGUAGES.items() if prefix}
    default = next(code for code, prefix in LANGUAGES.items() if not prefix)
    counts: Counter[str] = Counter()
    for path in out.rglob("*.html"):
        first = path.relative_to(out).parts[0]
        counts[prefixes.get(first, default)] += 1
    return counts
