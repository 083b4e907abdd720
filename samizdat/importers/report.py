"""What an import did with each file of the old site, and what a person still has to do.

Every file of the old site ends up in exactly one place here: converted (to a new file), or listed
with the reason it was not. Notes about a converted file (a Liquid tag kept as a comment, a shortcode
to redo) are listed too, with their line, so nothing is lost without a word; a note repeated many
times on one line is listed a few times, then counted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

SAME_NOTES_LISTED = 3  # identical notes (one file, one line, the same words) listed before the rest are counted


def shown(text: str) -> str:
    """A name from the old site as the report may print it: a newline or a terminal escape in a file
    name (hostile input) becomes `\\n`, `\\x1b`, so it can neither fake a line nor move the cursor."""
    if text.isprintable():  # the usual case, checked at C speed: a report may hold a hundred thousand notes
        return text.replace("`", "'")
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text).replace("`", "'")


@dataclass(frozen=True)
class Note:
    source: str  # path inside the old site
    text: str
    line: int | None = None

    @property
    def place(self) -> str:
        return f"{shown(self.source)}:{self.line}" if self.line else shown(self.source)

    def __str__(self) -> str:
        return f"`{self.place}`: {shown(self.text)}"


@dataclass
class ReportBuilder:
    """Filled while the old site is read; frozen into an ImportReport at the end."""

    converted: dict[str, list[str]] = field(default_factory=dict)  # source → new files
    left_out: dict[str, str] = field(default_factory=dict)  # source → why it was not imported
    notes: list[Note] = field(default_factory=list)  # what a person should look at
    summary: list[str] = field(default_factory=list)

    def convert(self, source: str, dest: str) -> None:
        self.converted.setdefault(source, []).append(dest)
        self.left_out.pop(source, None)

    def leave_out(self, source: str, reason: str) -> None:
        if source not in self.converted:
            self.left_out.setdefault(source, reason)

    def note(self, source: str, text: str, line: int | None = None) -> None:
        self.notes.append(Note(source, text, line))

    def freeze(self, kind: str, src: str, built: str) -> ImportReport:
        return ImportReport(kind, src, built, tuple(self.summary),
                            tuple(sorted((s, tuple(d)) for s, d in self.converted.items())),
                            tuple(sorted(self.left_out.items())), tuple(self.notes))


@dataclass(frozen=True)
class ImportReport:
    kind: str  # "Jekyll" or "Hugo"
    source: str
    build: str  # what the build of the new site said
    summary: tuple[str, ...]
    converted: tuple[tuple[str, tuple[str, ...]], ...]
    left_out: tuple[tuple[str, str], ...]
    notes: tuple[Note, ...]

    def listed(self) -> set[str]:
        """Every old file the report names: converted or left out."""
        return {source for source, _ in self.converted} | {source for source, _ in self.left_out}

    def markdown(self) -> str:
        build = "\n".join(map(shown, self.build.splitlines()))
        lines = [f"# Import report: {self.kind} site `{shown(self.source)}`", "", f"Build: {build}", ""]
        lines += [f"- {shown(item)}" for item in self.summary]
        lines += ["", f"## Needs a person ({len(self.notes)})", ""]
        lines += _listed_notes(self.notes) or ["Nothing."]
        lines += ["", f"## Not imported ({len(self.left_out)})", ""]
        lines += [f"- `{shown(source)}`: {reason}" for source, reason in self.left_out] or ["Nothing."]
        lines += ["", f"## Converted ({len(self.converted)})", ""]
        lines += [f"- `{shown(source)}` → {', '.join(f'`{shown(d)}`' for d in dests)}"
                  for source, dests in self.converted]
        return "\n".join(lines) + "\n"

    def terminal(self, limit: int = 40) -> str:
        """For the terminal: the build, the summary and what needs a person; the lists stay in the file."""
        text = self.markdown()
        head = text[:text.index("\n## Not imported")]
        kept, cut = _first_items(head.splitlines(), limit)
        more = [f"- … and {cut} more in the report"] if cut else []
        return "\n".join(kept + more + ["", f"{len(self.converted)} files converted, {len(self.left_out)} not "
                                            "imported (each with its reason, in the report)."]) + "\n"


def _listed_notes(notes: tuple[Note, ...]) -> list[str]:
    """The notes as list items, in order; a note given more than SAME_NOTES_LISTED times is listed that
    many times, then one line counts the rest. A hostile page refused 200,000 alike tags on one line,
    and the report listed each: a person reads the first few and needs the count, not the copies."""
    times = Counter(notes)
    listed: Counter[Note] = Counter()
    lines: list[str] = []
    for note in notes:
        listed[note] += 1
        if listed[note] <= SAME_NOTES_LISTED:
            lines.append(f"- {note}")
        if listed[note] == SAME_NOTES_LISTED < times[note]:
            lines.append(f"- `{note.place}`: … and the same {times[note] - SAME_NOTES_LISTED} more times")
    return lines


def _first_items(lines: list[str], limit: int) -> tuple[list[str], int]:
    """The lines with only the first `limit` items about a file (a line that starts with "- `"), and how
    many were cut. Counted by position in one pass: many notes may read alike (one tag repeated on a line)."""
    kept: list[str] = []
    items = 0
    for line in lines:
        if line.startswith("- `"):
            items += 1
            if items > limit:
                continue
        kept.append(line)
    return kept, max(0, items - limit)
