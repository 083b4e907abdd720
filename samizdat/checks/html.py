"""A rendered page read once into what the checks look at: elements, ids, headings and inline CSS."""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser


@dataclass(frozen=True)
class Element:
    tag: str
    attrs: dict[str, str]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    id: str


@dataclass
class ParsedPage:
    elements: list[Element] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    css: list[str] = field(default_factory=list)  # <style> blocks and style="…" attributes

    def elements_with(self, tag: str, attr: str) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and attr in e.attrs]


_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def parse_page(html: str) -> ParsedPage:
    """Read as a browser reads the page (lexbor, as the build's own markup check does): a repeated attribute
    is its first value, a `<template>`'s content is inert and not an element of the page. Python's
    HTMLParser was three times slower on the bench's 3,084 pages, and kept an attribute's last value."""
    page = ParsedPage()
    for node in LexborHTMLParser(html).root.traverse(include_text=False):
        tag = node.tag
        if tag is None or tag.startswith(("-", "#", "_")):  # a comment, the doctype
            continue
        tag = tag.lower()  # foreignObject: as the checks name elements
        values = {name: value or "" for name, value in node.attributes.items()}
        page.elements.append(Element(tag, values))
        if "id" in values:
            page.ids.append(values["id"])
        if "style" in values:
            page.css.append(values["style"])
        level = _HEADINGS.get(tag)
        if level is not None:
            page.headings.append(Heading(level, " ".join(node.text(deep=True).split()), values.get("id", "")))
        elif tag == "style":
            page.css.append(node.text(deep=True))
    return page


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset: comma-separated candidates, each a URL and an optional width or density."""
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
