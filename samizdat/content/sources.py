"""Find the site's content files and decide each one's language from where it lives."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from samizdat.config import SiteConfig
from samizdat.errors import ContentError, SourceLocation

PAGE_SUFFIXES = (".md", ".markdown", ".html")


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    rel: str  # posix path below the language folder (or below content/), e.g. "about/index.md"
    folder_language: str | None  # the language folder it lives in, if any
    text: str


@dataclass(frozen=True)
class SourceRef:
    """A page file found by discovery, not read yet: its size and time let a cache skip reading it."""

    path: Path
    rel: str
    folder_language: str | None
    size: int
    mtime_ns: int

    def read(self) -> SourceFile:
        return SourceFile(self.path, self.rel, self.folder_language, read_text(self.path))


@dataclass(frozen=True)
class ContentFile:
    """A non-page file in content/ (an image beside its page), published beside the page's URL."""

    path: Path
    rel: str
    folder_language: str | None


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(
            f"file is not UTF-8 text (byte {exc.start} cannot be read)",
            SourceLocation(path, line),
            hint="save the file as UTF-8 in your editor",
        ) from exc
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def discover(config: SiteConfig) -> tuple[list[SourceRef], list[ContentFile]]:
    content_dir = config.root / "content"
    if not content_dir.is_dir():
        raise ContentError(
            "the site has no content/ folder",
            SourceLocation(content_dir),
            hint="put pages in content/<language code>/, e.g. content/en/index.md",
        )
    codes = {lang.code for lang in config.languages}
    pages: list[SourceRef] = []
    others: list[ContentFile] = []
    for path in sorted(content_dir.rglob("*")):
        rel_parts = path.relative_to(content_dir).parts
        if path.is_dir() or any(part.startswith((".", "_")) for part in rel_parts):
            continue
        folder_language = None
        if len(rel_parts) > 1:
            if rel_parts[0] not in codes:
                raise ContentError(
                    f"content folder {rel_parts[0]!r} is not a language declared in samizdat.toml",
                    SourceLocation(path),
                    hint=f"declared languages: {', '.join(sorted(codes))}; add [languages.{rel_parts[0]}] "
                    "or move the file",
                )
            folder_language = rel_parts[0]
            rel_parts = rel_parts[1:]
        rel = "/".join(rel_parts)
        if path.suffix.lower() in PAGE_SUFFIXES:
            stat = path.stat()
            pages.append(SourceRef(path, rel, folder_language, stat.st_size, stat.st_mtime_ns))
        else:
            others.append(ContentFile(path, rel, folder_language))
    return pages, others
