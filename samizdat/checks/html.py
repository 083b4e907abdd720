"""A rendered page read once into what the checks look at: elements, ids, headings and inline CSS."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


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


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._heading: tuple[int, str, list[str]] | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.page.elements.append(Element(tag, values))
        if "id" in values:
            self.page.ids.append(values["id"])
        if "style" in values:
            self.page.css.append(values["style"])
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self._heading = (int(tag[1]), values.get("id", ""), [])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if self._heading and tag == f"h{self._heading[0]}":
            level, anchor, parts = self._heading
            self.page.headings.append(Heading(level, " ".join("".join(parts).split()), anchor))
            self._heading = None
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._heading:
            self._heading[2].append(data)
        if self._in_style:
            self.page.css.append(data)


def parse_page(html: str) -> ParsedPage:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset: comma-separated candidates, each a URL and an optional width or density."""
    return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
