"""`samizdat init`: a new, working site for another group, in its languages."""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError

from samizdat.config import CONFIG_NAME
from samizdat.errors import SamizdatError, shown
from samizdat.zones import find_zone

WELCOME = Path(__file__).with_name("welcome.yaml")
_MASK_FACES = ("\n[images]\n# The site publishes photos of people: every face found is masked before publishing.\n"
               "# Check each photo with `samizdat faces`; see docs/photo-safety.md.\nmask_faces = true\n")
_CODE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


# The marker shown in the switcher where there is no flag: the language's code, except where that
# code reads as another thing (UK is the United Kingdom to most readers; Ukrainians write UA).
MARKERS = {"uk": "UA"}


def create_site(directory: Path, codes: list[str], title: str | None = None, timezone: str | None = None,
                mask_faces: bool = True) -> str:
    """Returns the time zone written into the config: `timezone`, else this computer's, else UTC."""
    if not codes:
        raise SamizdatError("give at least one language code, e.g. --languages de,ru,en")
    if len(set(codes)) != len(codes):
        raise SamizdatError(f"a language is listed twice in {','.join(codes)}")
    for code in codes:
        if not _CODE_RE.match(code):
            raise SamizdatError(f"{code!r} is not a language code such as de, ru or en")
    if directory.exists() and any(directory.iterdir()):
        raise SamizdatError(f"{directory} already exists and is not empty; nothing was written",
                            hint="choose a new folder name")
    zone = checked_zone(timezone) if timezone else local_zone()
    texts: dict[str, Any] = yaml.safe_load(WELCOME.read_text(encoding="utf-8"))
    files = {CONFIG_NAME: _config(codes, title, texts, zone) + (_MASK_FACES if mask_faces else "")}
    for code in codes:
        text = texts.get(code, texts["en"])
        files[f"content/{code}/index.md"] = (
            f"---\ntitle: {_quote(text['title'])}\n---\n\n# {text['title']}\n\n{text['text']}\n"
        )
    files["assets/.keep"] = ""
    files[".gitignore"] = "# Made by every build; never commit them.\n_site/\n._site.lock\n.samizdat-cache/\n"
    for rel, content in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return zone


def _config(codes: list[str], title: str | None, texts: dict[str, Any], zone: str) -> str:
    lines = ["# Every option is explained in samizdat's docs/configuration.md.",
             'base_url = "https://example.org"', f"timezone = {_quote(zone)}  # meetings' times are in this zone", ""]
    for index, code in enumerate(codes):
        site_title = title or texts.get(code, texts["en"])["site_title"]
        lines.append(f"[languages.{code}]")
        if index == 0:
            lines.append("default = true")
        else:
            lines.append(f'prefix = "{code.lower()}"')
        marker = MARKERS.get(code.lower(), code.upper())
        lines += [f"name = {_quote(_language_name(code))}", f"title = {_quote(site_title)}",
                  f'marker = "{marker}"', ""]
    return "\n".join(lines)


def checked_zone(name: str) -> str:
    if find_zone(name) is None:
        raise SamizdatError(f"unknown time zone {shown(name)}; nothing was written",
                            hint="use an IANA zone such as Europe/Berlin, Asia/Seoul or America/Sao_Paulo")
    return name


def local_zone() -> str:
    """This computer's IANA zone (from TZ, /etc/localtime or /etc/timezone), else UTC."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.readlink("/etc/localtime")
        candidates.append(target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "")
    except OSError:
        pass
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        if (("/" in name) or name == "UTC") and find_zone(name) is not None:
            return "UTC" if name in ("Etc/UTC", "Etc/UCT", "UCT", "Universal", "Zulu") else name
    return "UTC"


def _language_name(code: str) -> str:
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")) or code
    except (UnknownLocaleError, ValueError) as exc:
        raise SamizdatError(f"unknown language code {code!r}") from exc
    # Menus start language names with a capital (русский → Русский), but Georgian has no case:
    # upper-casing its letters would turn them into Mtavruli capitals.
    if name[:1] and unicodedata.name(name[0], "").startswith("GEORGIAN"):
        return name
    return name[:1].upper() + name[1:]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
