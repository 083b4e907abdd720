"""Pages side by side: the source beside a translation, changed sentences marked, saved without losing work.

The status is `samizdat status`'s own (content/translation_status.py), and "mark as translated" is
`samizdat translated` (content/mark_translated.py). A save names the version of the file it was opened
on; when someone else saved it meanwhile, nothing is written and both texts are shown side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from samizdat.config import SiteConfig
from samizdat.content.frontmatter import split_front_matter
from samizdat.content.mark_translated import load_pages, mark_translated
from samizdat.content.translation_status import (
    OUTDATED,
    PageStatus,
    Status,
    load_history,
    paragraphs,
    translation_status,
)
from samizdat.editor.diff import Piece, changed_sentences, removed_sentences, side_by_side
from samizdat.editor.fields import fields_of, typed, with_values
from samizdat.editor.files import fingerprint, read_text, rel_of, site_path, write_file
from samizdat.editor.photos import usable_photos
from samizdat.editor.web import render

MARKDOWN = (".md", ".markdown")


@dataclass(frozen=True)
class Opened:
    """One language of one page, as the edit view shows it."""

    rel: str
    language: str
    exists: bool
    entry: PageStatus | None
    group: dict[str, PageStatus]


def site_status(site_root: Path) -> tuple[SiteConfig, Status]:
    config, index = load_pages(site_root)
    return config, translation_status(index, config)


def page_list(request: Request) -> Response:
    config, status = site_status(request.app.state.editor.site_root)
    rows = [(key, [(lang.code, row[lang.code], rel_for(config, row, lang.code)) for lang in config.languages])
            for key, row in sorted(status.items())]
    return render(request, "pages.html", rows=rows, languages=[lang.code for lang in config.languages])


def rel_for(config: SiteConfig, row: dict[str, PageStatus], code: str) -> str:
    """Where this language's version is, or would be written: beside the source, in its language folder."""
    entry = row[code]
    if entry.page is not None:
        return rel_of(config.root, entry.page.path)
    source = entry.source
    assert source is not None
    rest = rel_of(config.root, source.path).split("/", 2)[2]  # below content/<language>/
    return f"content/{code}/{rest}"


def open_page(site_root: Path, rel: str) -> Opened:
    path = site_path(site_root, rel, ("content",))
    config, status = site_status(site_root)
    for row in status.values():
        for code in row:
            if rel_for(config, row, code) == rel_of(site_root, path):
                return Opened(rel_of(site_root, path), code, path.is_file(), row[code], row)
    raise FileNotFoundError(rel)


def edit_view(request: Request) -> Response:
    editor = request.app.state.editor
    rel = request.query_params.get("path", "")
    opened = open_page(editor.site_root, rel)
    path = site_path(editor.site_root, opened.rel, ("content",))
    text = read_text(path)
    front = split_front_matter(text, path) if text else None
    source = opened.entry.source if opened.entry else None
    data = dict(front.data) if front else {}
    return render(request, "page.html", opened=opened, fields=fields_of(data), body=front.body if front else "",
                  base=fingerprint(path), source=source, highlights=_highlights(editor.site_root, opened.entry),
                  removed=_removed(editor.site_root, opened.entry), editable=path.suffix in MARKDOWN,
                  preview=_preview_url(opened.entry), saved=request.query_params.get("saved"),
                  rel_of=lambda page: rel_of(editor.site_root, page.path), error=editor.preview.state.error,
                  photos=usable_photos(editor.site_root, opened.language))


def _preview_url(entry: PageStatus | None) -> str | None:
    page = entry.page if entry else None
    return f"/preview/{page.output_path}" if page else None


def _highlights(site_root: Path, entry: PageStatus | None) -> list[list[Piece]]:
    if entry is None or entry.source is None:
        return []
    current = paragraphs(entry.source.body)
    if entry.state != OUTDATED or entry.recorded is None:
        return changed_sentences(current, current)  # nothing marked
    old = load_history(site_root).get(entry.recorded.hash)
    return changed_sentences(old if old is not None else [], current)


def _removed(site_root: Path, entry: PageStatus | None) -> list[str]:
    if entry is None or entry.source is None or entry.state != OUTDATED or entry.recorded is None:
        return []
    old = load_history(site_root).get(entry.recorded.hash) or []
    return removed_sentences(old, paragraphs(entry.source.body))


def save(request: Request, form: FormData) -> Response:
    editor = request.app.state.editor
    rel = str(form.get("path", ""))
    path = site_path(editor.site_root, rel, ("content",))
    if path.suffix not in MARKDOWN:
        return render(request, "message.html", status=400, message_key="not_markdown", detail="")
    body = str(form.get("body", "")).replace("\r\n", "\n")
    current = read_text(path)
    if fingerprint(path) != form.get("base"):
        theirs = split_front_matter(current, path).body.lstrip("\n") if current else ""
        left, right = side_by_side(theirs, body)
        return render(request, "conflict.html", status=409, rel=rel_of(editor.site_root, path), theirs=left,
                      mine=right, body=body, base=fingerprint(path), form_fields=_posted_fields(form))
    data = split_front_matter(current, path).data if current else {}
    changes = {key: typed(text, kind) for key, (text, kind) in _posted_fields(form).items()
               if typed(text, kind) != data.get(key) and not (text == "" and key not in data)}
    head = with_values(current if current else "---\n---\n", changes)
    split = split_front_matter(head, path)
    lead = "\n" if split.body.startswith("\n") or not current else ""  # the blank line after ---, as it was
    new_text = head[: len(head) - len(split.body)] + lead + body.strip("\n") + "\n"
    write_file(editor.site_root, rel_of(editor.site_root, path), new_text.encode("utf-8"))
    editor.preview.refresh()
    return RedirectResponse(f"/page?path={rel_of(editor.site_root, path)}&saved=1", status_code=303)


def _posted_fields(form: FormData) -> dict[str, tuple[str, str]]:
    """fm:<key> = the typed text, kind:<key> = its kind, as the edit form sends them."""
    return {name[3:]: (str(value), str(form.get(f"kind:{name[3:]}", "text")))
            for name, value in form.multi_items() if name.startswith("fm:") and isinstance(value, str)}


def translated(request: Request, form: FormData) -> Response:
    editor = request.app.state.editor
    path = site_path(editor.site_root, str(form.get("path", "")), ("content",))
    mark_translated(path)
    editor.preview.refresh()
    return RedirectResponse(f"/page?path={rel_of(editor.site_root, path)}&saved=1", status_code=303)
