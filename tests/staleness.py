"""Random edit sequences on a varied site, for the "never stale" property tests (test_never_stale.py).

Every edit is one a person or a pull request makes: bodies, front matter (including a field that only a
template override of the site reads), data files, templates, strings, config, renames, deletions,
meeting status, photos, and edits that keep a file's size and put its modification time back (of a page,
a data file and a file published as it is).
"""

from __future__ import annotations

import io
import os
import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from samizdat.content.translation_status import body_hash
from tests.conftest import MINIMAL_CONFIG, write_files

# The override prints a field the engine knows nothing of: the engine must find out by itself.
POST_CARD = """<article class="post-card">
<p class="kicker">{{ item.page.data.kicker }}</p>
<p class="card-title"><a href="{{ item.page.url|url }}">{{ item.page.title }}</a></p>
{% if item.page.description %}<p>{{ item.page.description }}</p>{% endif %}
</article>
"""
MEETING_CARD = """<article class="meeting-card"><p>{{ item.page.title }} · {{ item.meeting.status }} ·
{{ item.page.data.get("tagline", "") }}</p></article>
"""
FOOTER = "<footer>{{ data.header.motto }} v1</footer>\n"
# A data file and a string that only the pages calling this shortcode read.
BANNER = '{% macro banner() %}<p class="banner">{{ data.banner.text }} {{ t("feed") }}</p>{% endmacro %}\n'

HOME = "---\ntitle: Home\nmenu: 1\n---\n\n{{ next_meeting() }}\n\n{{ latest_news() }}\n"
COLOURS = ["red", "blue", "green", "orange", "purple", "black"]
TAGS = ("strike", "court", "aid")


def png(colour: str, size: tuple[int, int] = (24, 16)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def post(title: str, kicker: str, body: str = "Body text.", photo: str | None = None, tags: str = "") -> str:
    picture = f"\n![A placard]({photo})\n" if photo else ""
    tagged = f"tags: [{tags}]\n" if tags else ""
    return (f"---\ntitle: {title}\ndate: 2026-01-05\nkicker: {kicker}\ndescription: About {title}\n{tagged}---\n\n"
            f"{body}\n{picture}")


def meeting_text(title: str) -> str:
    return f"---\ntitle: {title}\ntagline: come\n---\n\nMeet us.\n"


def meeting_facts(start: str, status: str | None = None) -> str:
    line = f"status: {status}\n" if status else ""
    return f'start: "{start}"\n{line}place:\n  name: Square\n'


def site_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"samizdat.toml": MINIMAL_CONFIG}
    for code in ("ru", "en"):
        files |= {
            f"content/{code}/index.md": HOME,
            f"content/{code}/about.md": f"---\ntitle: About {code}\nmenu: 2\n---\n\nWho we are.\n\n"
                                        "{{ banner() }}\n",
            f"content/{code}/news/index.md": f"---\ntitle: News {code}\n---\n\nNews.\n",
            f"content/{code}/meetings/index.md": f"---\ntitle: Meetings {code}\n---\n\nMeetings.\n",
            f"content/{code}/meetings/2099-05-01-square.md": meeting_text(f"Square {code}"),
        }
    for n in range(1, 5):
        photo = "/assets/p1.png" if n == 1 else None
        files[f"content/ru/news/2026-01-0{n}-post{n}.md"] = post(f"Post {n}", f"kick{n}", photo=photo,
                                                                 tags=", ".join(TAGS[: n % 3]))
    for n in (1, 2):
        files[f"content/en/news/2026-01-0{n}-post{n}.md"] = post(f"Post {n} en", f"en-kick{n}", tags=TAGS[n])
    # A translation that records the version of its source it follows: an edit of the Russian page makes
    # it out of date, which its page shows (the translation status, kept between builds).
    about = "Who we are.\n\n{{ banner() }}\n"
    files["content/en/about.md"] = (f"---\ntitle: About en\nmenu: 2\ntranslation_of: {{lang: ru, hash: "
                                    f"\"{body_hash(about)}\"}}\n---\n\n{about}")
    # Dated and tagged outside the news: its tag's feed carries its text, though no news listing does.
    files["content/ru/reports/2026-01-03-report.md"] = post("Report", "rep", tags=TAGS[1])
    files |= {
        "content/ru/meetings/2020-03-01-station.md": meeting_text("Station"),
        "meetings/2099-05-01-square.yaml": meeting_facts("2099-05-01 15:00"),
        "meetings/2020-03-01-station.yaml": meeting_facts("2020-03-01 12:00"),
        "data/header.yaml": "motto: Peace\nlinks:\n  - url: https://example.org/help\n    text: Help\n",
        "templates/partials/post-card.html": POST_CARD,
        "templates/partials/meeting-card.html": MEETING_CARD,
        "templates/partials/footer.html": FOOTER,
        "templates/shortcodes/banner.html": BANNER,
        "data/banner.yaml": "text: Join us\n",
        "strings/en.yaml": 'no_news: "Nothing yet"\n',
        # Reviewed, so no build loads the face detector: it would take most of each cold build's time.
        "data/faces.yaml": "assets/p1.png:\n  mask: false\nassets/p2.png:\n  mask: false\n",
        "assets/p1.png": png("red"),
        "assets/p2.png": png("blue"),
        "static/notes.txt": "Bring water and a scarf.\n",  # published as it is: only its bytes say it changed
    }
    return files


def write_site(root: Path, files: dict[str, str | bytes]) -> None:
    write_files(root, files)


Edit = Callable[[Path, random.Random], str]  # changes the site, returns what it did (for failure messages)


def _posts(site: Path) -> list[Path]:
    return sorted((site / "content").glob("*/news/20*.md"))


def _pages(site: Path) -> list[Path]:
    return sorted((site / "content").rglob("*.md"))


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1) if old in text else text + new, encoding="utf-8")


def edit_body(site: Path, rng: random.Random) -> str:
    path = rng.choice(_pages(site))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\nMore {rng.randrange(10**6)}.\n")
    return f"body of {path.name}"


def set_field(path: Path, name: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines[1:], 1):
        if line == "---":
            lines.insert(i, f"{name}: {value}")
            break
        if line.startswith(f"{name}:"):
            lines[i] = f"{name}: {value}"
            break
    path.write_text("\n".join(lines), encoding="utf-8")


def edit_tags(site: Path, rng: random.Random) -> str:
    """Which tag pages list a post, and what the tags page counts."""
    path = rng.choice(_posts(site))
    value = "[" + ", ".join(rng.sample(TAGS, rng.randint(0, len(TAGS)))) + "]"
    set_field(path, "tags", value)
    return f"tags of {path.name} = {value}"


def edit_field(site: Path, rng: random.Random) -> str:
    path = rng.choice(_posts(site))
    name = rng.choice(["kicker", "kicker", "title", "description", "date"])
    value = f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}" if name == "date" else f"v{rng.randrange(10**6)}"
    set_field(path, name, value)
    return f"{name} of {path.name} = {value}"


def edit_meeting_field(site: Path, rng: random.Random) -> str:
    path = rng.choice(sorted((site / "content").glob("*/meetings/20*.md")))
    set_field(path, "tagline", f"t{rng.randrange(1000)}")
    return f"tagline of {path.name}"


def edit_data(site: Path, rng: random.Random) -> str:
    motto = rng.choice(["Peace", "Freedom", "No war", "Solidarity"])
    (site / "data/header.yaml").write_text(
        f"motto: {motto}\nlinks:\n  - url: https://example.org/help\n    text: Help {rng.randrange(99)}\n",
        encoding="utf-8")
    return f"data motto {motto}"


def edit_banner(site: Path, rng: random.Random) -> str:
    text = rng.choice(["Join us", "Come along", "Bring a friend"])
    (site / "data/banner.yaml").write_text(f"text: {text}\n", encoding="utf-8")
    return f"banner {text}"


def toggle_override(site: Path, rng: random.Random) -> str:
    """The site's footer appears or goes, so the theme's own is used: the same name, another file."""
    path = site / "templates/partials/footer.html"
    if path.exists():
        path.unlink()
        return "footer override removed"
    path.write_text(FOOTER, encoding="utf-8")
    return "footer override back"


def edit_template(site: Path, rng: random.Random) -> str:
    which = rng.choice(["partials/footer", "partials/post-card", "partials/meeting-card", "shortcodes/banner"])
    path = site / f"templates/{which}.html"
    if not path.exists():
        return f"template {which} skipped (removed)"
    _replace(path, "</", f"<i>{rng.randrange(100)}</i></")
    return f"template {which}"


def edit_strings(site: Path, rng: random.Random) -> str:
    value = rng.choice(["Nothing yet", "Empty", "No news today"])
    key = rng.choice(["no_news", "feed", "feed"])
    (site / "strings/en.yaml").write_text(f'{key}: "{value}"\n', encoding="utf-8")
    return f"strings {key}={value}"


def edit_config(site: Path, rng: random.Random) -> str:
    title = rng.choice(["Site", "Our site", "The site"])
    (site / "samizdat.toml").write_text(MINIMAL_CONFIG.replace('title = "Site"', f'title = "{title}"'),
                                        encoding="utf-8")
    return f"config title {title}"


def rename_post(site: Path, rng: random.Random) -> str:
    path = rng.choice(_posts(site))
    day = rng.randint(10, 28)
    target = path.with_name(f"2026-02-{day}-renamed{rng.randrange(1000)}.md")
    path.rename(target)
    return f"rename {path.name} → {target.name}"


def add_or_delete_post(site: Path, rng: random.Random) -> str:
    posts = _posts(site)
    if len(posts) > 3 and rng.random() < 0.5:
        path = rng.choice(posts)
        path.unlink()
        return f"delete {path.name}"
    code = rng.choice(["ru", "en"])
    path = site / f"content/{code}/news/2026-03-{rng.randint(10, 28)}-new{rng.randrange(1000)}.md"
    path.write_text(post("New", f"k{rng.randrange(100)}"), encoding="utf-8")
    return f"add {path.name}"


def edit_meeting(site: Path, rng: random.Random) -> str:
    name = rng.choice(["2099-05-01-square", "2020-03-01-station"])
    start = rng.choice(["2099-05-01 15:00", "2099-05-01 16:30", "2020-03-01 12:00", "2021-06-01 10:00"])
    status = rng.choice([None, None, "cancelled", "moved", "planned"])
    (site / f"meetings/{name}.yaml").write_text(meeting_facts(start, status), encoding="utf-8")
    return f"meeting {name} {start} {status}"


def edit_photo(site: Path, rng: random.Random) -> str:
    name = rng.choice(["p1.png", "p2.png"])
    size = rng.choice([(24, 16), (16, 24), (30, 20)])
    (site / "assets" / name).write_bytes(png(rng.choice(COLOURS), size))
    if rng.random() < 0.3:  # a post starts or stops showing it
        path = rng.choice(_posts(site))
        picture, text = f"\n![A placard](/assets/{name})\n", path.read_text(encoding="utf-8")
        path.write_text(text.replace(picture, "") if picture in text else text + picture, encoding="utf-8")
        return f"photo {name} {size}, toggled in {path.name}"
    return f"photo {name} {size}"


def same_size_edit(site: Path, rng: random.Random) -> str:
    """One letter for another, the size kept, the modification time put back: only the bytes tell."""
    path = rng.choice([*_posts(site), site / "data/header.yaml"])
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    # In prose and values only, so the edit changes what is shown, never the file's structure.
    start = text.index("motto:") + 6 if path.suffix == ".yaml" else text.index("\n---\n", 4) + 5
    picture = text.find("![")  # a letter of a picture's path would name a missing file: prose before it only
    end = text.index("\n", start) if path.suffix == ".yaml" else picture if picture > start else len(text)
    vowels = [i for i, c in enumerate(text) if c in "aeiou" and start <= i < end]
    if not vowels:
        return f"same-size edit skipped on {path.name}"
    i = rng.choice(vowels)
    new = rng.choice([c for c in "aeiou" if c != text[i]])
    path.write_text(text[:i] + new + text[i + 1:], encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return f"same-size edit in {path.name} at {i}"


def same_size_static_edit(site: Path, rng: random.Random) -> str:
    """A file published as it is, one letter for another, the size kept and the modification time put back."""
    path = site / "static/notes.txt"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    i = rng.choice([i for i, c in enumerate(text) if c in "aeiou"])
    path.write_text(text[:i] + rng.choice([c for c in "aeiou" if c != text[i]]) + text[i + 1:], encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return f"same-size edit in static/notes.txt at {i}"


EDITS: list[tuple[Edit, int]] = [
    (edit_body, 4), (edit_field, 6), (edit_meeting_field, 2), (edit_data, 2), (edit_template, 2),
    (edit_strings, 2), (edit_config, 1), (rename_post, 2), (add_or_delete_post, 2), (edit_meeting, 3),
    (edit_photo, 2), (same_size_edit, 4), (edit_banner, 2), (toggle_override, 1), (edit_tags, 3),
    (same_size_static_edit, 2),
]


def random_edit(site: Path, rng: random.Random) -> str:
    edit = rng.choices([e for e, _ in EDITS], weights=[w for _, w in EDITS])[0]
    return edit(site, rng)
