"""Publishing a build: at every instant the output folder holds the whole previous site or the whole new one.

Beside the output folder OUT lives a spare tree, `.OUT.spare/_site`, whose files are hard links to the
live ones (nothing is stored twice). A build

1. makes the spare into the new site: changed files are written anew (new inodes), files of pages that
   are gone are removed, and so is anything the spare should not hold; unchanged files stay links to the
   live ones, so they keep their inode and time (rsync, the up-to-date check);
2. makes the spare durable (fsync of what changed, or one syncfs after many changes), then exchanges
   it with the output folder in one step (swap.py);
3. brings the spare, now the previous site, level with the new one: the old versions of changed files
   and the removed pages make way for links, so no deleted text lingers beside the output.

The cost follows the number of changed files, plus a walk of the spare and a stat of each live file.
A build killed at any moment leaves the output folder whole. The spare may be half done: step 1 of the
next build repairs it, trusting nothing in it but what it can check (a file that is the same inode as a
live file the manifest vouches for). The spare is named `_site` inside its holder so that .gitignore
(`_site/`), the dev server's watcher and the up-to-date check pass over it like the default output.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from samizdat.build.manifest import Entry, holds_manifest, load_manifest, save_manifest
from samizdat.build.output_paths import MARKER, SPARE_TREE, check_output_paths, parent_folders, spare_holder
from samizdat.build.swap import exchange, recover_aside, remove_any, sync_file, sync_folder, sync_tree
from samizdat.build.timings import Timings
from samizdat.build.trees import LiveTree, Tree, sweep
from samizdat.errors import OutputError, SourceLocation

WRITE_THREADS = 8  # creating files is latency-bound on many disks: 8 at once were 5× faster than one
FSYNC_AT_MOST = 64  # changed names up to which single fsyncs beat one syncfs (which also flushes other programs' data)
ANNOUNCE = "SAMIZDAT_ANNOUNCE_PUBLISH"  # set: "publish: write" on stderr as the write phase starts (crash tests)
_HINTS = {
    errno.ENOSPC: "free some disk space, then build again; the previous site is still published",
    errno.EDQUOT: "free some disk space, then build again; the previous site is still published",
    errno.EROFS: "the output's file system is read-only; choose another output folder with -o",
    errno.EACCES: "check the permissions of that path (`ls -ld`); the previous site is still published",
    errno.EPERM: "check that path's owner and flags (`lsattr`: an immutable file cannot be replaced)",
    errno.EBUSY: "the output folder is a mount point, which cannot be swapped; give a folder inside it (-o MOUNT/site)",
    errno.EXDEV: "the output folder is a mount point, which cannot be swapped; give a folder inside it (-o MOUNT/site)",
}


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


@dataclass(frozen=True)
class Folders:
    out: Path  # the live output
    holder: Path  # .OUT.spare beside it
    spare: Path  # holder/_site: the tree the next build is made in
    aside: Path  # holder/aside: the previous site, only while the fallback exchange runs

    @classmethod
    def of(cls, out_dir: Path) -> Folders:
        out = out_dir.resolve()
        holder = spare_holder(out)
        return cls(out, holder, holder / SPARE_TREE, holder / "aside")


@dataclass(frozen=True)
class Item:
    # rendered bytes, a file published as it is, or bytes read when needed (a page kept in the build store)
    content: bytes | Path | Callable[[], bytes]
    digest: str  # sha256 of the content


@dataclass(frozen=True)
class Prepared:
    entries: dict[str, Entry]  # the new manifest
    written: frozenset[str]  # files with new content
    changed: frozenset[str]  # every name the spare gained or lost: written, linked or removed


def publish(out_dir: Path, pages: Mapping[str, bytes], copies: Mapping[str, Path],
            timings: Timings | None = None, published: Callable[[], None] | None = None,
            made_here: bool = False, digest_of: Callable[[Path], str] | None = None) -> WriteReport:
    """Write a whole site into out_dir; the caller holds the output's lock (lock.py). published: called on a
    thread of its own once the new site is in place, while step 3 runs (the build saves its state there:
    SQLite and the file system wait on the disk, not on each other); its error is raised after step 3.
    made_here: the output's manifest is the one the caller's last build wrote, so its files hold what it
    says (trees.LiveTree); otherwise every file is written anew. digest_of: the sha256 of a copied file's
    bytes as the build's store knows it (ProductBook.published_digest); without it, each is read."""
    timings = timings or Timings()
    names = {*pages, *copies}
    folders = check_output_paths(names)
    where = Folders.of(out_dir)
    _check_holder(where)
    try:
        _recover(where)  # first: a killed build may have left the output moved aside
    except OSError as exc:
        raise _output_error(where, exc) from exc
    live_exists = _check_output(where)
    live = LiveTree(where.out, load_manifest(where.out, checked=names) if live_exists else {}, believed=made_here)
    try:
        with ThreadPoolExecutor(WRITE_THREADS) as pool, timings.stage("write"):
            plan = _plan(pages, copies, pool, digest_of)
            prepared = _prepare_spare(where, plan, folders, live, pool)
        with timings.stage("sync"):
            _make_durable(where, prepared)
        with timings.stage("swap"):
            _swap(where, live_exists)
    except OSError as exc:
        _undo(where, live)  # only after the pool has finished every write it started
        raise _output_error(where, exc) from exc
    with ThreadPoolExecutor(1) as beside:  # its thread starts only with a job
        saving = beside.submit(published) if published else None
        with timings.stage("mirror"):
            _mirror(where, prepared, live.entries)
        if saving is not None:
            with timings.stage("save"):  # the build's save, as far as it took longer than the mirror
                saving.result()
    removed = len(live.entries.keys() - plan.keys())
    return WriteReport(len(prepared.written), len(plan) - len(prepared.written), removed)


def _make_durable(where: Folders, prepared: Prepared) -> None:
    """The new tree on the disk before it is published: after a few changes, each new file and each folder
    whose names changed (fsync); after many, the whole file system at once (syncfs), which is then faster."""
    if len(prepared.changed) > FSYNC_AT_MOST:
        sync_tree(where.spare)
        return
    for rel in prepared.written:
        sync_file(where.spare / rel)
    folders = parent_folders(prepared.changed) | {""}
    for folder in sorted(folders, key=len, reverse=True):  # the deepest first, the spare itself last
        sync_folder(where.spare / folder)


def _swap(where: Folders, live_exists: bool) -> None:
    if live_exists:
        exchange(where.spare, where.out, where.aside)
    else:
        os.rename(where.spare, where.out)  # the output is missing or an empty folder: one rename
    sync_folder(where.out.parent)
    sync_folder(where.holder)


def _plan(pages: Mapping[str, bytes], copies: Mapping[str, Path], pool: ThreadPoolExecutor,
          digest_of: Callable[[Path], str] | None = None) -> dict[str, Item]:
    """Every file with the hash of its content (a copy's too: its size and time could be put back by hand).
    Pages are hashed here (hashing bytes in memory costs less than handing them to a thread); files on
    the threads, which wait on the disk, unless the store knows them: then a stat of each tells whether it
    was written since (its change time and inode cannot be set back)."""
    copied = {rel: source for rel, source in copies.items() if rel not in pages}
    digests = map(digest_of, copied.values()) if digest_of is not None else pool.map(_digest, copied.values())
    plan = {rel: Item(source, digest) for (rel, source), digest in zip(copied.items(), digests, strict=True)}
    # A page as rendered, or a file kept in the build store, knows the hash of its bytes: one in the store is
    # read only if the live output does not hold it already (`Pages`, build/output.py).
    as_stored = getattr(pages, "as_stored", None)
    for rel in pages:
        stored = as_stored(rel) if as_stored is not None else None
        if stored is not None:
            plan[rel] = Item(*stored)
        else:
            data = pages[rel]
            plan[rel] = Item(data, hashlib.sha256(data).hexdigest())
    return plan


def _digest(content: bytes | Path) -> str:
    if isinstance(content, bytes):
        return hashlib.sha256(content).hexdigest()
    with content.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _prepare_spare(where: Folders, plan: dict[str, Item], folders: set[str], live: LiveTree,
                   pool: ThreadPoolExecutor) -> Prepared:
    """Step 1: the spare becomes the new site; the live output is only read. folders: those the plan needs."""
    if os.environ.get(ANNOUNCE):
        print("publish: write", file=sys.stderr, flush=True)
    keep = live.reusable({rel: item.digest for rel, item in plan.items()})
    where.spare.mkdir(parents=True, exist_ok=True)
    (where.spare / MARKER).unlink(missing_ok=True)
    removed: list[str] = []
    standing: set[str] = set()  # the folders the sweep kept: they need no look of their own

    def keep_folder(rel: str) -> bool:
        if rel in folders:
            standing.add(rel)
            return True
        return False

    present = sweep(where.spare, lambda rel, inode: keep.get(rel) == inode, keep_folder, removed)
    for folder in sorted(folders - standing):
        if not os.path.isdir(where.spare / folder):
            os.mkdir(where.spare / folder)
    entries = {rel: live.entries[rel] for rel in present}  # already in place: no work, no thread
    missing = [rel for rel in plan if rel not in present]
    entries |= dict(pool.map(lambda rel: (rel, _place(where, live, rel, plan[rel], rel in keep)), missing))
    save_manifest(where.spare, entries)
    changed = {*removed, *(plan.keys() - present), MARKER}
    return Prepared(entries, frozenset(plan.keys() - keep.keys()), frozenset(changed))


def _place(where: Folders, live: LiveTree, rel: str, item: Item, reusable: bool) -> Entry:
    """One file the spare lacks: a link to the live file if that one is unchanged, else the new content."""
    target = where.spare / rel
    if reusable:
        _link_or_copy(live.path(rel), target)
        return live.entries[rel]
    if isinstance(item.content, Path):
        shutil.copyfile(item.content, target)
    else:
        target.write_bytes(item.content if isinstance(item.content, bytes) else item.content())
    info = os.stat(target)
    return [info.st_size, info.st_mtime_ns, item.digest]


def _link_or_copy(source: str, target: Path) -> None:
    """A hard link; a copy with the same time where the file system has none (FAT, some network shares)."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        shutil.copy2(source, target, follow_symlinks=False)


def _mirror(where: Folders, prepared: Prepared, old: dict[str, Entry]) -> None:
    """Step 3, after the exchange: the previous site in the spare gives way to links to the new one. Old
    content that cannot be removed is an error (a removed page must not linger); a missing link is not.
    The output's manifest comes last, as the sign that the step finished: the build's state may be saved
    before it, and a build killed in between must not be taken for one that left nothing to do
    (build/cache/record.py)."""
    try:
        where.spare.mkdir(exist_ok=True)  # a first build renamed the spare into place
        spare = Tree(where.spare)
        (where.spare / MARKER).unlink(missing_ok=True)
        for rel in sorted((old.keys() - prepared.entries.keys()) | prepared.written, reverse=True):
            if spare.plain_folder(rel.rpartition("/")[0]):
                remove_any(Path(spare.path(rel)))
                if rel not in prepared.entries:
                    spare.prune_parents(rel)
    except OSError as exc:
        raise OutputError(f"the new site is published in {where.out}, but the previous version beside it "
                          f"could not be cleared: {exc}", SourceLocation(where.holder),
                          hint="delete that folder by hand; the next build makes it again") from exc
    try:  # links save the next build work; where one fails (no hard links there), that build writes the file
        for rel in sorted(prepared.written):
            if spare.make_parents(rel):
                os.link(where.out / rel, spare.path(rel), follow_symlinks=False)
        os.link(where.out / MARKER, where.spare / MARKER, follow_symlinks=False)
    except OSError:
        _copy_manifest(where)


def _copy_manifest(where: Folders) -> None:
    """The sign that step 3 finished where links cannot be made: a copy, into a name nothing else shares."""
    try:
        (where.spare / MARKER).unlink(missing_ok=True)
        shutil.copyfile(where.out / MARKER, where.spare / MARKER, follow_symlinks=False)
    except OSError:
        pass  # no sign: the next build cannot answer "nothing changed" and sweeps the spare itself


def _check_holder(where: Folders) -> None:
    if os.path.lexists(where.holder) and not (where.holder.is_dir() and not where.holder.is_symlink()):
        raise OutputError(f"{where.holder} is not a folder samizdat made", SourceLocation(where.holder),
                          hint="samizdat keeps the spare copy of the site there; move that file or link away")


def _check_output(where: Folders) -> bool:
    """Whether a live output exists; refuses one that samizdat did not write."""
    if not os.path.lexists(where.out):
        return False
    if where.out.is_symlink():  # resolved when the build began: a link put in its place since
        raise OutputError(f"the output path {where.out} is a symbolic link", SourceLocation(where.out),
                          hint="delete the link; samizdat makes the output folder itself")
    if not where.out.is_dir():
        raise OutputError(f"the output path {where.out} is a file", SourceLocation(where.out),
                          hint="choose a folder name")
    if holds_manifest(where.out):
        return True
    if any(where.out.iterdir()):
        raise OutputError(f"{where.out} already holds files that samizdat did not write; refusing to replace them",
                          SourceLocation(where.out),
                          hint="choose an empty or new output folder, or move those files away")
    return False


def _recover(where: Folders) -> None:
    """What killed builds left: a half-done fallback exchange, strays in the holder, the old writer's folders."""
    recover_aside(where.out, where.spare, where.aside)
    if where.holder.is_dir():
        for stray in where.holder.iterdir():
            if stray.name != where.spare.name or stray.is_symlink() or not stray.is_dir():
                remove_any(stray)
    for stray in where.out.parent.glob(f".{where.out.name}.staging-*"):
        remove_any(stray)


def _undo(where: Folders, live: LiveTree) -> None:
    """After a failure before the exchange: the spare keeps nothing the live output does not hold."""
    try:
        recover_aside(where.out, where.spare, where.aside)
        if where.spare.is_dir():
            def same_as_live(rel: str, inode: int) -> bool:
                info = live.file_stat(rel)
                return info is not None and info.st_ino == inode
            sweep(where.spare, same_as_live, live.plain_folder, tolerant=True)
    except OSError:
        pass  # the error being reported matters more; the next build sweeps the spare again


def _output_error(where: Folders, exc: OSError) -> OutputError:
    shown = _shown(where, exc.filename) or str(where.out)
    reason = exc.strerror or str(exc)
    return OutputError(f"could not write the output: {reason}", SourceLocation(Path(shown)),
                       hint=_HINTS.get(exc.errno or 0, "a file or folder may be in the way; "
                                                        "the previous site is still published"))


def _shown(where: Folders, filename: object) -> str | None:
    """A path in the spare is shown as the output path it stands for."""
    if filename is None:
        return None
    name = os.fsdecode(filename) if isinstance(filename, bytes | str) else str(filename)
    spare = str(where.spare)
    if name == spare or name.startswith(spare + "/"):
        return str(where.out) + name[len(spare):]
    return name
