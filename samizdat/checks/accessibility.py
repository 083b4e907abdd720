"""Accessibility: images without alt text, headings that skip a level, ids used twice."""

from __future__ import annotations

from collections import Counter

from samizdat.checks.context import CheckContext
from samizdat.checks.locate import url_needles
from samizdat.findings import Finding, finding


def check_accessibility(context: CheckContext) -> list[Finding]:
    findings = []
    for output_path, parsed in context.parsed.items():
        page = context.page_of(output_path)
        language = f" ({page.language.code})" if page else ""
        for element in parsed.elements:
            if element.tag == "img" and "alt" not in element.attrs:
                src = element.attrs.get("src", "")
                findings.append(finding(
                    "missing-alt", f"image {src} has no alt text{language}",
                    context.locate(output_path, url_needles(src)),
                    hint='describe what the image shows, in the page\'s language: ![what it shows](…) or alt="…"; '
                    'alt="" only for a purely decorative image',
                ))
        previous = 0
        for heading in parsed.headings:
            if previous and heading.level > previous + 1:
                findings.append(finding(
                    "heading-skip", f"heading h{heading.level} “{heading.text}” follows an h{previous}",
                    context.locate(output_path, [heading.text]),
                    hint=f"use h{previous + 1} here (in Markdown, {'#' * (previous + 1)} ), so screen readers "
                    "can follow the page's outline",
                ))
            previous = heading.level
        for anchor, count in Counter(parsed.ids).items():
            if count > 1:
                findings.append(finding(
                    "duplicate-id", f"id {anchor!r} is used {count} times on {page.url if page else output_path}",
                    context.locate(output_path, [f'id="{anchor}"', f"{{#{anchor}}}", f"id='{anchor}'"]),
                    hint="give each element its own id; links to #" + anchor + " can reach only the first",
                ))
    return findings
