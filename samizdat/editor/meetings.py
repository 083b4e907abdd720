"""Meetings from one form: the facts once, a text per language, written as `samizdat new meeting` writes them.

A change of status (moved, cancelled) rewrites only the facts' status lines and records when it
changed (`updated:`), which is what the feeds and calendars announce on the next build.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from samizdat.config import load_config
from samizdat.content.clock import FORMAT_HINT, BadMoment, parse_moment
from samizdat.content.meetings import MEETINGS_DIR, Meeting, load_meetings, read_meeting
from samizdat.editor.fields import yaml_with_values
from samizdat.editor.files import read_text, site_path, write_file
from samizdat.editor.web import render
from samizdat.errors import SamizdatError
from samizdat.scaffold.new import SECTION_FILES, STATUSES, Written, new_meeting


def meetings_view(request: Request) -> Response:
    site_root = request.app.state.editor.site_root
    config = load_config(site_root)
    meetings = sorted(load_meetings(site_root, config.timezone).values(), key=lambda m: str(m.start), reverse=True)
    return render(request, "meetings.html", meetings=meetings, languages=config.languages,
                  timezone=config.timezone, statuses=STATUSES, created=request.query_params.get("created"))


def create(request: Request, form: FormData) -> Response:
    editor = request.app.state.editor
    config = load_config(editor.site_root)
    day, time, until = (str(form.get(name, "")).strip() for name in ("date", "time", "end_time"))
    start = f"{day} {time}".strip()
    end = f"{day} {until}" if until else None
    slug = str(form.get("slug", "")).strip()
    written = {lang.code: Written(title=_one(form, f"title_{lang.code}"),
                                  text=str(form.get(f"text_{lang.code}", "")).replace("\r\n", "\n"),
                                  place_name=_one(form, f"place_{lang.code}"),
                                  address=_one(form, f"address_{lang.code}")) for lang in config.languages}
    _confined_targets(editor.site_root, [lang.code for lang in config.languages], f"{day}-{slug}")
    new_meeting(editor.site_root, start, slug, end, written=written, status=str(form.get("status", "planned")))
    editor.preview.refresh()
    return RedirectResponse(f"/meetings?created={day}-{slug}", status_code=303)


def _one(form: FormData, name: str) -> str:
    return " ".join(str(form.get(name, "")).split())


def _confined_targets(site_root: Path, codes: list[str], name: str) -> None:
    """Every file `new meeting` may write, through the editor's path rules first (no link leads out)."""
    for rel in [f"{MEETINGS_DIR}/{name}.yaml", *(f"content/{code}/meetings/{name}.md" for code in codes),
                *(f"content/{code}/meetings/{index}" for code in codes for index in SECTION_FILES)]:
        site_path(site_root, rel)


def change_status(request: Request, form: FormData) -> Response:
    editor = request.app.state.editor
    config = load_config(editor.site_root)
    meeting_id = str(form.get("id", ""))
    rel = f"{MEETINGS_DIR}/{meeting_id}.yaml"
    path = site_path(editor.site_root, rel, (MEETINGS_DIR,))
    status = str(form.get("status", ""))
    if status not in STATUSES or not path.is_file():
        return render(request, "message.html", status=400, message_key="bad_meeting", detail="")
    zone = ZoneInfo(config.timezone)
    changes: dict[str, object] = {"status": status,
                                  "updated": dt.datetime.now(zone).strftime("%Y-%m-%d %H:%M")}
    new_start = " ".join(str(form.get("new_start", "")).replace("T", " ").split())
    if status == "moved" and new_start:
        changes |= _moved(load_meetings(editor.site_root, config.timezone)[meeting_id], new_start)
    text = yaml_with_values(read_text(path), changes)
    _readable(text, path.name, config.timezone)
    write_file(editor.site_root, rel, text.encode("utf-8"))
    editor.preview.refresh()
    return RedirectResponse("/meetings", status_code=303)


def _moved(meeting: Meeting, new_start: str) -> dict[str, object]:
    """The new start, the old one as previous_start, and the end moved by as much (it keeps its length)."""
    try:
        new = parse_moment(new_start, meeting.timezone)
    except BadMoment as exc:
        raise SamizdatError(f"the new time: {exc}; nothing was written", hint=FORMAT_HINT) from None
    changes: dict[str, object] = {"previous_start": _text_of(meeting.start), "start": _text_of(new)}
    if meeting.end is not None:
        shift = _as_moment(new, meeting.timezone) - _as_moment(meeting.start, meeting.timezone)
        end = _as_moment(meeting.end, meeting.timezone) + shift
        changes["end"] = _text_of(end if isinstance(meeting.end, dt.datetime) else end.date())
    return changes


def _readable(text: str, name: str, timezone: str) -> None:
    """The facts as the build will read them, before they are written: a change never breaks the site."""
    with tempfile.TemporaryDirectory(prefix="samizdat-edit-") as folder:
        trial = Path(folder) / name
        trial.write_text(text, encoding="utf-8")
        read_meeting(trial, timezone)


def _as_moment(value: dt.datetime | dt.date, zone: ZoneInfo) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time(), zone)


def _text_of(moment: dt.datetime | dt.date) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if isinstance(moment, dt.datetime) else moment.isoformat()
