"""Find the site's content files and decide each one's language from where it lives."""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from samizdat.config import SiteConfig
from samizdat.content.urls import UnsafePath, confine, name_problem
from samizdat.errors import ContentError, SourceLocation
from samizdat.kept import kept
from samizdat.site_files import site_file_names

PAGE_SUFFIXES = (".md", ".markdown", ".html")


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    rel: str  # posix path below the language folder (or below content/), e.g. "about/index.md"
    folder_language: str | None  # the language folder it lives in, if any
    text: str


@dataclass(frozen=True, init=False)
class SourceRef:
    """A page file found by discovery, not read yet: its size and time let a cache skip reading it."""

    name: str  # the path as discovery found it (a `Path` is made only if asked for: 10,000 took 70 ms)
    rel: str
    folder_language: str | None
    size: int
    mtime_ns: int
    ctime_ns: int = 0  # with the inode, what the parse cache compares: one stat a file serves both
    inode: int = 0

    def __init__(self, name: str, rel: str, folder_language: str | None, size: int, mtime_ns: int,
                 ctime_ns: int = 0, inode: int = 0) -> None:
        # The fields in one update of the instance's dictionary: a frozen dataclass's own __init__ sets each
        # through object.__setattr__, which took 9 ms of making 10,000 (this, 5).
        self.__dict__.update(name=name, rel=rel, folder_language=folder_language, size=size, mtime_ns=mtime_ns,
                             ctime_ns=ctime_ns, inode=inode)

    @kept
    def path(self) -> Path:
        return Path(self.name)

    @kept
    def path_text(self) -> str:
        """The path as the caches name it; kept, as the dev server hands over the same refs build after build.
        Discovery's names are made of a folder's path and the names in it: already as `Path` writes them."""
        return self.name if os.sep == "/" else self.path.as_posix()

    def read(self, data: bytes | None = None) -> SourceFile:
        """data: the file's bytes when the caller has read them already (and hashed them: the same bytes)."""
        text = read_text(self.path) if data is None else decode_text(data, self.path)
        return SourceFile(self.path, self.rel, self.folder_language, text)


@dataclass(frozen=True)
class ContentFile:
    """A non-page file in content/ (an image beside its page), published beside the page's URL."""

    path: Path
    rel: str
    folder_language: str | None


def read_text(path: Path) -> str:
    return decode_text(read_plain(path), path)


def decode_text(data: bytes, path: Path) -> str:
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


def read_plain(path: Path) -> bytes:
    """A file's bytes, never through a symbolic link: discovery refused links, and O_NOFOLLOW makes sure
    a link put in place since is not followed either (where the system offers it)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as file:
        return file.read()


# Path string → what discovery made of it (the order of its names, its names below the language
# folder, the folder's language, whether it is a page), for the dev server's next build: a pure function of
# the string and the languages, so it cannot go stale; each build keeps only the paths it found, with them
# in order and what it answered for each (a page's `SourceRef` is taken again while its stat is the same).
_Place = tuple[str, str, "str | None", bool]


@dataclass
class _Found:
    places: dict[str, _Place]
    order: list[str]
    answers: dict[str, SourceRef | ContentFile]
    _folders: frozenset[str] | None = None

    def folders(self, prefix: str) -> frozenset[str]:
        """Every folder below content/ that holds a file found, as path text ending in a separator."""
        if self._folders is None:
            found = set()
            for name in self.places:
                cut = name.rfind(os.sep)
                while cut >= len(prefix) and name[:cut + 1] not in found:
                    found.add(name[:cut + 1])
                    cut = name.rfind(os.sep, 0, cut)
            self._folders = frozenset(found)
        return self._folders


# (content folder, language codes) → what the last discovery found: the dev server's memo (build/cache/memos.py)
Discovered = dict[tuple[str, frozenset[str]], _Found]


def _skipped(name: str) -> bool:
    """Drafts (_name) and hidden files (.name) are skipped without being entered; a .htaccess is not an
    editor's file but server rules its author expects to apply, so it is named, not dropped."""
    return name.startswith((".", "_")) and name != ".htaccess"


def discover(config: SiteConfig, changed: Collection[str] | None = None, discovered: Discovered | None = None,
             seen: Mapping[str, os.stat_result] | None = None,
             listed: Mapping[str, list[os.DirEntry[str]]] | None = None) -> tuple[list[SourceRef], list[ContentFile]]:
    """discovered: what the last discovery found, replaced by this one's (the dev server's memo), or None.
    seen: the stat of files by their paths, taken moments ago by the walk that found a change (it only
    decides which files are read and hashed again: cache/sources.py); listed: the same walk's entries of
    each folder by its path, which content/'s walk takes instead of reading the folders again.
    changed: every path below the site folder (as text, resolved) that changed since that discovery, where
    the caller knows them all (the dev server's file watcher); when none of them adds, removes or renames a
    file of content/, the folders are not walked again, and only the changed files are looked at."""
    content_dir = config.root / "content"
    if not content_dir.is_dir():
        raise ContentError(
            "the site has no content/ folder",
            SourceLocation(content_dir),
            hint="put pages in content/<language code>/, e.g. content/en/index.md",
        )
    codes = frozenset(lang.code for lang in config.languages)
    prefix = os.fspath(content_dir) + os.sep  # site_files names each file as this folder's path and more
    known = discovered.get((prefix, codes)) if discovered is not None else None
    if known is not None and changed is not None and _same_names(known, changed, os.fspath(config.root), prefix):
        found = _restat(known, changed)
        if found is not None:
            return found
    known = known or _Found({}, [], {})
    names = site_file_names(content_dir, skip=_skipped, listed=listed)
    # Sorted as text, so that the first refused path is named, always the same one: sorting `Path`s (their
    # comparisons in Python) was a third of finding 10,000 files.
    unknown = sorted(name for name in names if name not in known.places)
    new = _places(unknown, prefix, codes)
    places = {name: known.places.get(name) or new[name] for name in names}
    same_files = places.keys() == known.places.keys()
    order = known.order if same_files else sorted(places, key=lambda name: places[name][0])  # as the paths sort
    pages: list[SourceRef] = []
    others: list[ContentFile] = []
    answers: dict[str, SourceRef | ContentFile] = {}
    for name in order:
        _, rel, folder_language, is_page = places[name]
        before = known.answers.get(name)
        if is_page:
            info = seen.get(name) if seen else None
            if info is None:
                info = os.stat(name)
            if not (isinstance(before, SourceRef) and before.size == info.st_size
                    and before.mtime_ns == info.st_mtime_ns and before.ctime_ns == info.st_ctime_ns
                    and before.inode == info.st_ino):
                before = SourceRef(name, rel, folder_language, info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                                   info.st_ino)
            pages.append(before)
        else:
            if not isinstance(before, ContentFile):
                before = ContentFile(Path(name), rel, folder_language)
            others.append(before)
        answers[name] = before
    if discovered is not None:
        discovered.clear()  # one site's paths at a time: a long session renaming files does not grow it
        discovered[(prefix, codes)] = _Found(places, order, answers)
    return pages, others


def _same_names(known: _Found, changed: Collection[str], root: str, prefix: str) -> bool:
    """Whether content/ holds the same files as when `known` was found, given every path changed since."""
    for name in changed:
        if not name.startswith(prefix):
            if not name.startswith(root + os.sep) or prefix.startswith(name + os.sep):
                return False  # a path this cannot place, or content/ itself (or a folder above it) changed
            continue  # another folder of the site: read by the stages that need it
        if any(_skipped(part) for part in name[len(prefix):].split(os.sep)):
            continue  # a folder or file discovery does not enter
        if name in known.places:
            try:
                if not stat.S_ISREG(os.lstat(name).st_mode):
                    return False  # replaced by a folder or a link: the walk says what it makes of it
            except OSError:
                return False  # removed
        elif os.path.lexists(name) or name + os.sep in known.folders(prefix):
            return False  # a new file or folder, or a folder with found files gone
    return True


def _restat(known: _Found, changed: Collection[str]) -> tuple[list[SourceRef], list[ContentFile]] | None:
    """The same files as `known`, the changed pages with their stat of now; None if one is gone since."""
    for name in changed:
        before = known.answers.get(name)
        if isinstance(before, SourceRef):
            try:
                info = os.stat(name)
            except OSError:
                return None
            known.answers[name] = replace(before, size=info.st_size, mtime_ns=info.st_mtime_ns,
                                          ctime_ns=info.st_ctime_ns, inode=info.st_ino)
    pages: list[SourceRef] = []
    others: list[ContentFile] = []
    for name in known.order:
        answer = known.answers[name]
        (pages if isinstance(answer, SourceRef) else others).append(answer)  # type: ignore[arg-type]
    return pages, others


def _places(names: list[str], prefix: str, codes: frozenset[str]) -> dict[str, _Place]:
    """`_place` of each name, in their order, so that the first refused is the one named. What a folder
    makes of its files (its names checked, its language, its part of the order) is worked out in full for
    the first file found in it and taken for the others, which leaves their own names to check: half of
    placing 10,000 files in a few folders."""
    folders: dict[str, tuple[str, str, str | None]] = {}  # path → its files' order and rel up to their names
    placed: dict[str, _Place] = {}
    for name in names:
        folder, _, base = name.rpartition(os.sep)
        # NFC does not reach across a "/" (nothing composes with it or reorders past it): the path's NFC is
        # its folder's and its name's, each on its own.
        own = unicodedata.normalize("NFC", base)
        above = folders.get(folder)
        if above is None or name_problem(own):
            # The first file of its folder, or a name refused (a .htaccess too): placed as a file alone, so
            # that a refusal gives the same reason
            order, rel, language, _ = placed[name] = _place(name, prefix, codes)
            folders[folder] = order[:order.rfind("\0") + 1], rel[:rel.rfind("/") + 1], language
            continue
        order, rel, language = above
        # os.path.splitext's suffix, as _place takes it, for a name that is not hidden (name_problem refused
        # those): a third of the time without it
        dot = own.rfind(".")
        is_page = dot > 0 and own[dot:].lower() in PAGE_SUFFIXES
        placed[name] = order + os.path.normcase(base), rel + own, language, is_page
    return placed


def _place(name: str, prefix: str, codes: frozenset[str]) -> _Place:
    """A content file's names below its language folder, its language and whether it is a page; refused
    with the reason when it cannot be published. name: its path as text, starting with prefix."""
    if name.rpartition(os.sep)[2] == ".htaccess":
        raise ContentError("a .htaccess in content/ is not published: only static/.htaccess is (merged into "
                           "the .htaccess samizdat writes)", SourceLocation(Path(name)),
                           hint="move its lines into static/.htaccess; they then apply to the whole site "
                           "(<FilesMatch> can limit them to some files)")
    rel_parts = _names(name, prefix)
    folder_language = None
    if len(rel_parts) > 1:
        if rel_parts[0] not in codes:
            raise ContentError(
                f"content folder {rel_parts[0]!r} is not a language declared in samizdat.toml",
                SourceLocation(Path(name)),
                hint=f"declared languages: {', '.join(sorted(codes))}; add [languages.{rel_parts[0]}] "
                "or move the file",
            )
        folder_language = rel_parts[0]
        rel_parts = rel_parts[1:]
    is_page = os.path.splitext(rel_parts[-1])[1].lower() in PAGE_SUFFIXES
    # Paths sort by their names, case folded where the system folds them. Every path starts with prefix, so
    # the names below it decide the order: joined by a NUL, which no name can hold and which sorts before
    # every other character, they compare as the tuple of them would, and as one string (10,000 tuples took
    # 6 ms to sort, strings 2 ms; 3,000 `Path`s took 15).
    order = "\0".join(os.path.normcase(part) for part in name[len(prefix):].split(os.sep))
    return order, "/".join(rel_parts), folder_language, is_page


def _names(name: str, prefix: str) -> tuple[str, ...]:
    """The file's names below content/ (prefix: its path with a separator), in NFC and checked: they become
    the names of output files. String work: pathlib's relative_to was most of finding 3,000 files."""
    rel = name.removeprefix(prefix)
    if os.sep != "/":
        rel = rel.replace(os.sep, "/")
    try:
        return tuple(confine(rel).split("/"))
    except UnsafePath as exc:
        raise ContentError(f"this file name cannot be published: it has {exc.problem}", SourceLocation(Path(name)),
                           hint="rename the file or folder (letters, digits, - and _ are safe everywhere)") from None
