"""The editor's work, through its own forms: what it writes must be what the commands write, and safe."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from PIL import ExifTags, Image

from samizdat.build.command import build_site
from samizdat.build.options import BuildOptions
from samizdat.content.meetings import load_meetings
from samizdat.editor.auth import load_accounts
from samizdat.images.verify import metadata_blocks
from tests.conftest import tree_digest
from tests.editing import client, csrf_of, git, site_in_repository
from tests.hostile import counted_matchers
from tests.imagefiles import SECRETS, jpeg_with_everything

MEETING = {"date": "2031-05-17", "time": "15:00", "end_time": "17:00", "slug": "bosingak", "status": "planned"}
TEXTS = {
    "ru": ("Пикет у Посингака", "Павильон Посингак", "Чонно, 54", "Приходите с флагами."),
    "en": ("A picket at Bosingak", "Bosingak Pavilion", "54 Jong-ro", "Bring flags."),
    "ko": ("보신각 피켓 시위", "보신각", "종로 54", "깃발을 가져오세요."),
}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return site_in_repository(tmp_path)[0]


def meeting_form(test, texts: dict[str, tuple[str, str, str, str]]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    form = {"csrf": csrf_of(test.get("/meetings").text), **MEETING}
    for code, (title, place, address, text) in texts.items():
        form |= {f"title_{code}": title, f"place_{code}": place, f"address_{code}": address, f"text_{code}": text}
    return form


def without_announced(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): re.sub(r'announced: "[^"]*"', "", path.read_text(encoding="utf-8"))
            for path in sorted(folder.rglob("*")) if path.is_file() and "2031-05-17" in path.name}


def test_an_empty_meeting_form_writes_what_new_meeting_writes(site: Path, tmp_path: Path, run_cli) -> None:
    by_command = site_in_repository(tmp_path, "by-command")[0]
    assert run_cli("new", "meeting", by_command, "--start", "2031-05-17 15:00", "--end", "2031-05-17 17:00",
                   "--slug", "bosingak").code == 0
    test = client(site)
    answer = test.post("/meetings/new", data=meeting_form(test, {c: ("", "", "", "") for c in TEXTS}),
                       follow_redirects=False)
    assert answer.status_code == 303
    written = without_announced(site)
    assert len(written) == 4  # the facts and a text per language
    assert written == without_announced(by_command)


HOSTILE_TEXT = {
    "quotes and a colon": 'Встреча: "нет войне" — it\'s #1',
    "a YAML document marker and a comment": "--- # not a comment\n...",
    "line breaks of every kind": "one\rtwo\u2028three\u0085four",
    "a flow mapping": "{status: cancelled}",
}


@pytest.mark.parametrize("title", HOSTILE_TEXT.values(), ids=HOSTILE_TEXT.keys())
def test_meeting_texts_are_written_as_text(site: Path, title: str) -> None:
    test = client(site)
    texts = {code: (title, title, title, "text") for code in TEXTS}
    assert test.post("/meetings/new", data=meeting_form(test, texts), follow_redirects=False).status_code == 303
    facts = yaml.safe_load((site / "meetings/2031-05-17-bosingak.yaml").read_text(encoding="utf-8"))
    one_line = " ".join(title.split())
    assert facts["status"] == "planned"
    assert facts["place"]["name"] == {code: one_line for code in TEXTS}
    page = (site / "content/ko/meetings/2031-05-17-bosingak.md").read_text(encoding="utf-8")
    assert yaml.safe_load(page.split("---\n")[1])["title"] == one_line


def test_a_meeting_reaches_calendar_and_feed_and_its_cancellation_too(site: Path, tmp_path: Path) -> None:
    test = client(site)
    assert test.post("/meetings/new", data=meeting_form(test, TEXTS), follow_redirects=False).status_code == 303
    out = tmp_path / "out"
    build_site(site, out, BuildOptions())
    for code, prefix in (("ru", ""), ("en", "en/"), ("ko", "kr/")):
        assert TEXTS[code][0] in (out / f"{prefix}meetings.ics").read_text(encoding="utf-8")
        assert TEXTS[code][0] in (out / f"{prefix}feed.xml").read_text(encoding="utf-8")
    assert "STATUS:CONFIRMED" in (out / "en/meetings.ics").read_text(encoding="utf-8")
    page = test.get("/meetings").text
    answer = test.post("/meetings/status", data={"csrf": csrf_of(page), "id": "2031-05-17-bosingak",
                                                 "status": "cancelled"}, follow_redirects=False)
    assert answer.status_code == 303
    meeting = load_meetings(site, "Asia/Seoul")["2031-05-17-bosingak"]
    assert meeting.status == "cancelled" and meeting.updated is not None
    build_site(site, out, BuildOptions())
    calendar = (out / "en/meetings.ics").read_text(encoding="utf-8")
    assert "STATUS:CANCELLED" in calendar and "STATUS:CONFIRMED" not in calendar
    assert "<updated>" in (out / "en/feed.xml").read_text(encoding="utf-8")


def upload_photo(test, data: bytes, alts: dict[str, str], mask: bool = False):  # type: ignore[no-untyped-def]
    csrf = csrf_of(test.get("/photos").text)
    review = test.post("/photos/upload", data={"csrf": csrf}, files={"photo": ("IMG_2041.jpg", data, "image/jpeg")})
    assert review.status_code == 200, review.text
    key = re.search(r'name="key" value="([^"]+)"', review.text)[1]  # type: ignore[index]
    image = test.get(f"/photos/pending/{key}")
    assert image.status_code == 200 and metadata_blocks(image.content) == []
    form = {"csrf": csrf, "key": key, **{f"alt_{code}": alt for code, alt in alts.items()}}
    return test.post("/photos/confirm", data=form | ({"mask": "yes"} if mask else {}), follow_redirects=False)


def test_a_photo_with_gps_reaches_neither_the_site_folder_nor_the_output(site: Path, tmp_path: Path) -> None:
    test = client(site)
    original = jpeg_with_everything(Image.new("RGB", (640, 480), "#3366aa"))
    with Image.open(io.BytesIO(original)) as planted:  # the upload really carries a position and a serial
        assert planted.getexif().get_ifd(ExifTags.IFD.GPSInfo) and SECRETS[4] in original
    answer = upload_photo(test, original, {"ru": "Флаг", "en": "A flag", "ko": "깃발"})
    assert answer.status_code == 303
    written = site / "assets/photos/img-2041.jpg"
    assert metadata_blocks(written.read_bytes()) == []
    listed = yaml.safe_load((site / "data/uploads.yaml").read_text(encoding="utf-8"))
    assert listed == [{"image": "assets/photos/img-2041.jpg", "alt": {"ru": "Флаг", "en": "A flag", "ko": "깃발"}}]
    offered = test.get("/page?path=content/ko/index.md").text
    assert 'value="![깃발](/assets/photos/img-2041.jpg)"' in offered  # usable in a page, with its alt text
    (site / "content/en/index.md").write_text("---\ntitle: Home\n---\n\n![A flag](/assets/photos/img-2041.jpg)\n",
                                              encoding="utf-8")
    out = tmp_path / "out"
    build_site(site, out, BuildOptions())
    assert any(out.rglob("img-2041*"))  # the photo was published: the files read below include it
    files = [path for folder in (site, out) for path in folder.rglob("*")
             if path.is_file() and ".git" not in path.parts]
    assert files
    for path in files:
        data = path.read_bytes()
        assert not any(secret in data for secret in SECRETS), path
        if path.suffix in (".jpg", ".jpeg", ".webp", ".avif", ".png"):
            assert metadata_blocks(data) == [], path


def test_a_photo_needs_alt_text_in_every_language(site: Path) -> None:
    test = client(site)
    before = tree_digest(site)
    answer = upload_photo(test, jpeg_with_everything(Image.new("RGB", (64, 48), "red")), {"ru": "Флаг", "en": "",
                                                                                           "ko": "깃발"})
    assert answer.status_code == 400
    assert tree_digest(site) == before


def test_a_file_that_is_no_photo_is_refused(site: Path) -> None:
    test = client(site)
    csrf = csrf_of(test.get("/photos").text)
    before = tree_digest(site)
    answer = test.post("/photos/upload", data={"csrf": csrf},
                       files={"photo": ("x.jpg", b"<svg onload=x>", "image/jpeg")})
    assert answer.status_code == 400
    assert tree_digest(site) == before


def test_faces_found_are_shown_and_masked_on_request(site: Path) -> None:
    from skimage import data as samples

    buffer = io.BytesIO()
    Image.fromarray(samples.astronaut()).save(buffer, "JPEG")
    test = client(site)
    csrf = csrf_of(test.get("/photos").text)
    review = test.post("/photos/upload", data={"csrf": csrf}, files={"photo": ("a.jpg", buffer.getvalue())})
    assert "problem" in review.text and 'name="mask"' in review.text  # "faces found", and the mask box offered
    key = re.search(r'name="key" value="([^"]+)"', review.text)[1]  # type: ignore[index]
    pending = test.app.state.editor.pending.get(key)
    assert pending.search.wait(120) and pending.faces
    answer = test.post("/photos/confirm", data={"csrf": csrf, "key": key, "mask": "yes", "alt_ru": "a", "alt_en": "a",
                                                "alt_ko": "a"}, follow_redirects=False)
    assert answer.status_code == 303
    with Image.open(site / "assets/photos/a.jpg") as written:
        face = pending.faces[0]
        box = written.convert("L").crop((face.x + 4, face.y + 4, face.x + face.w - 4, face.y + face.h - 4))
        assert box.getextrema()[1] < 40  # the face is under a black block


def test_faces_are_looked_for_after_the_upload_answers_and_before_the_photo_is_written(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from skimage import data as samples

    import samizdat.editor.photos
    from samizdat.editor.web import translator

    real, release, searched = samizdat.editor.photos.detect_faces, threading.Event(), []

    def held(image: Image.Image) -> object:  # the search of a large photo under load, held until told
        searched.append(threading.current_thread().name)
        assert release.wait(60)
        return real(image)

    monkeypatch.setattr(samizdat.editor.photos, "detect_faces", held)
    buffer = io.BytesIO()
    Image.fromarray(samples.astronaut()).save(buffer, "JPEG")
    test = client(site)
    csrf = csrf_of(test.get("/photos").text)
    review = test.post("/photos/upload", data={"csrf": csrf}, files={"photo": ("b.jpg", buffer.getvalue())})
    assert review.status_code == 200  # answered while the search is still held
    assert translator("en")("looking_for_faces") in review.text and 'name="mask"' in review.text
    key = re.search(r'name="key" value="([^"]+)"', review.text)[1]  # type: ignore[index]
    poll = re.search(r'data-poll="([^"]+)"', review.text)[1]  # type: ignore[index]
    assert test.get(poll).json()["done"] is False
    form = {"csrf": csrf, "key": key, "mask": "yes", "alt_ru": "b", "alt_en": "b", "alt_ko": "b"}
    answers: list[object] = []
    confirming = threading.Thread(target=lambda: answers.append(
        test.post("/photos/confirm", data=form, follow_redirects=False)))
    confirming.start()
    confirming.join(1.0)
    assert confirming.is_alive() and not (site / "assets/photos/b.jpg").exists()  # waits for the faces
    release.set()
    confirming.join(120)
    assert answers and answers[0].status_code == 303  # type: ignore[attr-defined]
    state = test.get(poll)
    assert state.status_code == 404  # written: no longer waiting
    assert searched and all(name.startswith("faces") for name in searched)  # in the background thread
    pending_faces = real(Image.fromarray(samples.astronaut()))
    with Image.open(site / "assets/photos/b.jpg") as written:
        face = pending_faces[0]
        box = written.convert("L").crop((face.x + 4, face.y + 4, face.x + face.w - 4, face.y + face.h - 4))
        assert box.getextrema()[1] < 40  # the face is under a black block


def test_saving_a_page_keeps_its_front_matter_and_follows_the_translation_status(site: Path) -> None:
    test = client(site)
    rel = "content/ru/meetings/index.md"
    (site / rel).write_text("---\ntitle: Встречи  # our word\nmenu: 2\n---\n\n" +
                            (site / rel).read_text(encoding="utf-8").split("---\n", 2)[2], encoding="utf-8")
    page = test.get(f"/page?path={rel}").text
    base = re.search(r'name="base" value="([^"]+)"', page)[1]  # type: ignore[index]
    body = ("Мы встречаемся по воскресеньям. Приходите с флагом.\r\n\r\n"
            "Каждый, кто разделяет наши взгляды, может прийти.")
    form = {"csrf": csrf_of(page), "path": rel, "base": base, "fm:title": "Встречи", "kind:title": "text",
            "fm:menu": "2", "kind:menu": "number", "body": body}
    assert test.post("/page/save", data=form, follow_redirects=False).status_code == 303
    text = (site / rel).read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Встречи  # our word\nmenu: 2\n---\n\n") and "\r" not in text
    assert "по воскресеньям" in text
    listing = test.get("/pages").text
    assert listing.count("state-outdated") == 2
    korean = test.get("/page?path=content/ko/meetings/index.md").text
    assert "<mark>Мы встречаемся по воскресеньям.</mark>" in korean
    assert "<mark>Каждый" not in korean  # an unchanged sentence stays unmarked
    mark = test.post("/page/translated", data={"csrf": csrf_of(korean), "path": "content/ko/meetings/index.md"},
                     follow_redirects=False)
    assert mark.status_code == 303
    assert test.get("/pages").text.count("state-outdated") == 1


def test_a_save_over_someone_elses_save_is_a_conflict_and_loses_nothing(site: Path) -> None:
    first, second = client(site), client(site)
    rel = "content/en/meetings/index.md"
    opened_first, opened_second = first.get(f"/page?path={rel}").text, second.get(f"/page?path={rel}").text

    def form(page: str, body: str) -> dict[str, str]:
        base = re.search(r'name="base" value="([^"]+)"', page)[1]  # type: ignore[index]
        return {"csrf": csrf_of(page), "path": rel, "base": base, "body": body}

    assert first.post("/page/save", data=form(opened_first, "We meet on Sundays."),
                      follow_redirects=False).status_code == 303
    answer = second.post("/page/save", data=form(opened_second, "We meet on Mondays."), follow_redirects=False)
    assert answer.status_code == 409
    assert "Sundays" in answer.text and "Mondays" in answer.text and "<ins>" in answer.text
    assert "Sundays" in (site / rel).read_text(encoding="utf-8")


def test_publish_commits_under_the_pseudonym_and_deploys(site: Path, tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    test = client(site)
    (site / "content/en/index.md").write_text("---\ntitle: Home\n---\n\nHello again.\n", encoding="utf-8")
    page = test.get("/publish").text
    answer = test.post("/publish", data={"csrf": csrf_of(page), "name": "Белка", "message": "new greeting"})
    assert answer.status_code == 200, answer.text
    log = git("log", "-1", "--format=%an|%ae|%cn|%ce|%s", "main", cwd=origin).strip()
    assert log == "Белка|volunteer@editor.invalid|Белка|volunteer@editor.invalid|new greeting"
    assert git("ls-tree", "-r", "--name-only", "gh-pages", cwd=origin).count("index.html") >= 3
    deployed = git("log", "-1", "--format=%an|%cn", "gh-pages", cwd=origin).strip()
    assert deployed == "Белка|Белка"


def test_publish_shows_a_conflict_and_keeps_both(site: Path, tmp_path: Path) -> None:
    other = site_in_repository(tmp_path, "other")[0]
    rel = "content/en/index.md"
    (other / rel).write_text("---\ntitle: Home\n---\n\nHello from the other volunteer.\n", encoding="utf-8")
    git("commit", "-qam", "theirs", cwd=other)
    git("push", "-q", "origin", "main", cwd=other)
    (site / rel).write_text("---\ntitle: Home\n---\n\nHello from me.\n", encoding="utf-8")
    test = client(site)
    answer = test.post("/publish", data={"csrf": csrf_of(test.get("/publish").text), "name": "Mina"})
    assert answer.status_code == 409
    assert "<del>the other volunteer.</del>" in answer.text and "<ins>me.</ins>" in answer.text and rel in answer.text
    assert "Hello from me." in (site / rel).read_text(encoding="utf-8")  # the merge was undone, my text stays
    assert "Hello from me." in git("show", f"HEAD:{rel}", cwd=site)  # ...and it is in my own commit
    status = subprocess.run(["git", "status", "--porcelain", "--", ".", ":(exclude).samizdat-cache"], cwd=site,
                            capture_output=True, text=True).stdout
    assert status == ""
    # The volunteer combines both in the box the page offers, and publishes.
    combined = "---\ntitle: Home\n---\n\nHello from me and from the other volunteer.\n"
    resolved = test.post("/publish/resolve", data={"csrf": csrf_of(answer.text), "name": "Mina",
                                                   f"text:{rel}": combined})
    assert resolved.status_code == 200, resolved.text
    assert git("show", f"main:{rel}", cwd=tmp_path / "origin.git") == combined
    parents = git("log", "-1", "--format=%P|%an", "main", cwd=tmp_path / "origin.git").strip()
    assert len(parents.split("|")[0].split()) == 2 and parents.endswith("|Mina")  # a merge: both histories kept


def test_a_large_upload_never_spills_to_a_temporary_file(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import tempfile

    def no_disk(*args: object, **kwargs: object) -> None:
        raise AssertionError("the upload was written to a temporary file")

    noise = Image.frombytes("RGB", (2400, 1800), os.urandom(2400 * 1800 * 3))
    original = jpeg_with_everything(noise)
    assert len(original) > 2 * 1024 * 1024  # beyond Starlette's own 1 MB spooling limit
    test = client(site)
    monkeypatch.setattr("samizdat.editor.photos.detector_available", lambda: False)  # faces are not the point
    monkeypatch.setattr(tempfile, "TemporaryFile", no_disk)  # where a spooled file rolls over to disk
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", no_disk)
    answer = upload_photo(test, original, {"ru": "Шум", "en": "Noise", "ko": "잡음"})
    assert answer.status_code == 303


def test_a_moved_meeting_keeps_its_previous_time(site: Path, tmp_path: Path) -> None:
    test = client(site)
    assert test.post("/meetings/new", data=meeting_form(test, TEXTS), follow_redirects=False).status_code == 303
    answer = test.post("/meetings/status", data={"csrf": csrf_of(test.get("/meetings").text), "status": "moved",
                                                 "id": "2031-05-17-bosingak", "new_start": "2031-05-24T16:30"},
                       follow_redirects=False)
    assert answer.status_code == 303
    facts = yaml.safe_load((site / "meetings/2031-05-17-bosingak.yaml").read_text(encoding="utf-8"))
    assert (facts["status"], facts["start"], facts["previous_start"]) == ("moved", "2031-05-24 16:30",
                                                                          "2031-05-17 15:00")
    assert facts["end"] == "2031-05-24 18:30"  # two hours long, as before
    assert facts["place"]["name"]["en"] == "Bosingak Pavilion"  # the rest of the facts untouched
    out = tmp_path / "out"
    build_site(site, out, BuildOptions())
    assert "DTSTART;TZID=Asia/Seoul:20310524T163000" in (out / "en/meetings.ics").read_text(encoding="utf-8")


HOSTILE_MEETINGS = {
    "a slug that climbs out": {"slug": "../../../outside"},
    "a slug with a slash": {"slug": "a/b"},
    "a date that climbs out": {"date": "../../outside"},
    "a date that is no date": {"date": "2031-02-30"},
    "an unknown status": {"status": "<script>"},
}


@pytest.mark.parametrize("change", HOSTILE_MEETINGS.values(), ids=HOSTILE_MEETINGS.keys())
def test_hostile_meeting_forms_write_nothing(site: Path, tmp_path: Path, change: dict[str, str]) -> None:
    test = client(site)
    before = tree_digest(tmp_path)
    answer = test.post("/meetings/new", data=meeting_form(test, TEXTS) | change, follow_redirects=False)
    assert answer.status_code in (400, 422)
    assert tree_digest(tmp_path) == before


def test_a_move_to_an_impossible_time_writes_nothing(site: Path) -> None:
    test = client(site)
    assert test.post("/meetings/new", data=meeting_form(test, TEXTS), follow_redirects=False).status_code == 303
    before = tree_digest(site)
    answer = test.post("/meetings/status", data={"csrf": csrf_of(test.get("/meetings").text), "status": "moved",
                                                 "id": "2031-05-17-bosingak", "new_start": "2031-02-30T10:00"})
    assert answer.status_code == 422 and "2031-02-30" in answer.text
    assert tree_digest(site) == before


@pytest.mark.parametrize("meeting_id", ["../samizdat", "../../outside", ".hidden", "a/../../b"])
def test_hostile_meeting_ids_write_nothing(site: Path, tmp_path: Path, meeting_id: str) -> None:
    (tmp_path / "samizdat.yaml").write_text("status: planned\n", encoding="utf-8")
    test = client(site)
    before = tree_digest(tmp_path)
    answer = test.post("/meetings/status", data={"csrf": csrf_of(test.get("/meetings").text), "id": meeting_id,
                                                 "status": "cancelled"}, follow_redirects=False)
    assert answer.status_code in (400, 404)
    assert tree_digest(tmp_path) == before


@pytest.mark.parametrize("form", [{"id": "2031-01-01-gone", "status": "cancelled"},  # removed by someone else
                                  {"id": "2022-02-27-bosingak", "status": "postponed"}])
def test_a_status_for_no_such_meeting_is_a_message_not_a_server_error(site: Path, form: dict[str, str]) -> None:
    """The message page needed a detail it was not given: a 500 instead of the answer."""
    test = client(site)
    before = tree_digest(site)
    answer = test.post("/meetings/status", data={"csrf": csrf_of(test.get("/meetings").text), **form},
                       follow_redirects=False)
    assert answer.status_code == 400 and "There is no such meeting or status." in answer.text
    assert tree_digest(site) == before


def test_saving_a_file_that_is_no_markdown_page_is_a_message_not_a_server_error(site: Path) -> None:
    (site / "content/ru/notes.txt").write_text("plain text\n", encoding="utf-8")
    test = client(site)
    page = test.get("/page?path=content/ru/index.md").text
    answer = test.post("/page/save", data={"csrf": csrf_of(page), "path": "content/ru/notes.txt", "body": "x"},
                       follow_redirects=False)
    assert answer.status_code == 400 and "This page is not a Markdown file" in answer.text
    assert (site / "content/ru/notes.txt").read_text(encoding="utf-8") == "plain text\n"


def test_accounts_are_added_from_the_command_line(site: Path, tmp_path: Path, monkeypatch, run_cli) -> None:
    accounts = tmp_path / "private" / "accounts"
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    result = run_cli("edit", site, "--accounts", accounts, "--add-account", "mina")
    assert result.code == 0 and "mina" in result.out
    assert load_accounts(accounts, site).check("mina", "a long enough password")
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert run_cli("edit", site, "--accounts", accounts, "--add-account", "lee").code == 1


def test_photos_forgotten_while_waiting_for_the_search_are_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    """More uploads than the waiting list holds: the oldest are forgotten, and their searches, not yet begun,
    spend no core."""
    import threading

    import samizdat.editor.photos as photos

    release, begun, searched = threading.Event(), threading.Event(), []

    def held(image: Image.Image) -> tuple:
        searched.append(image.size)
        begun.set()
        assert release.wait(60)
        return ()

    monkeypatch.setattr(photos, "detect_faces", held)
    monkeypatch.setattr(photos, "detector_available", lambda: True)
    pending = photos.PendingPhotos()
    items = []
    for width in range(1, photos.PENDING + 4):  # each photo told apart by its width
        item = photos.Pending(f"p{width}", b"", pending.search(Image.new("RGB", (width, 1))), True)
        pending.add(item)
        items.append(item)
        if width == 1:
            assert begun.wait(60)  # the first search is running before any photo is forgotten
    release.set()
    for item in items:
        assert item.search.wait(60)
    kept = [item for item in items if not item.search.dropped]
    assert len(kept) == photos.PENDING
    # The first search had begun before any photo was forgotten; the next ones that were forgotten never ran.
    assert searched == [(1, 1)] + [(int(item.name[1:]), 1) for item in kept]
    assert all(item.search.failed for item in items[1:3]) and not any(item.search.failed for item in kept)


def test_a_conflict_over_a_file_the_other_side_made_a_link_writes_nothing_through_it(site: Path,
                                                                                      tmp_path: Path) -> None:
    """The other volunteer's commit turns the page into a link to a file outside the site: combining the
    conflict must neither follow it (the editor would write the volunteer's file) nor fail half-way."""
    outside = tmp_path / "outside.txt"
    outside.write_text("the volunteer's own file\n", encoding="utf-8")
    other = site_in_repository(tmp_path, "other")[0]
    rel = "content/en/index.md"
    (other / rel).unlink()
    (other / rel).symlink_to(outside)
    git("add", "-A", cwd=other)
    git("commit", "-qm", "theirs: a link", cwd=other)
    git("push", "-q", "origin", "main", cwd=other)
    (site / rel).write_text("---\ntitle: Home\n---\n\nHello from me.\n", encoding="utf-8")
    test = client(site)
    answer = test.post("/publish", data={"csrf": csrf_of(test.get("/publish").text), "name": "Mina"})
    assert answer.status_code == 409, answer.text
    resolved = test.post("/publish/resolve", data={"csrf": csrf_of(answer.text), "name": "Mina",
                                                   f"text:{rel}": "---\ntitle: Home\n---\n\nBoth.\n"})
    assert resolved.status_code != 500
    assert outside.read_text(encoding="utf-8") == "the volunteer's own file\n"
    assert "Hello from me." in (site / rel).read_text(encoding="utf-8")  # the merge was undone, my text stays
    assert not (site / rel).is_symlink()


def test_two_long_versions_side_by_side_mark_the_changed_words_in_bounded_work(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every word of one version was matched against every word of the other: two versions of a 6,000-word
    page took 9.5 s to show, a long report minutes. Paragraphs are matched first, then the words of changed
    ones: each side still reads as its whole text, and a word changed in each paragraph is marked alone."""
    from samizdat.editor import diff

    compared = counted_matchers(monkeypatch)
    theirs = "\n\n".join(f"Paragraph {n} of the report: the rally went on for hours. " * 12 for n in range(300))
    mine = theirs.replace("for hours", "for days")
    left, right = diff.side_by_side(theirs, mine)
    assert "".join(piece.text for piece in left) == theirs and "".join(piece.text for piece in right) == mine
    assert {piece.text for piece in left if piece.changed} == {"hours."}
    assert {piece.text for piece in right if piece.changed} == {"days."}
    assert len(theirs.split()) > 30_000 and max(compared) < 2_000 ** 2  # never word against word of it all
    # A version rewritten whole, as one long paragraph: shown changed whole, not compared word by word.
    compared.clear()
    other = " ".join(f"word{n}" for n in range(20_000))
    left, right = diff.side_by_side(theirs.replace("\n\n", " "), other)
    assert [piece.changed for piece in left] == [True] and [piece.text for piece in right] == [other]
    assert max(compared) <= 4
