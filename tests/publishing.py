"""The bundled site with the publishing options on: an onion address and two mirrors."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import BUNDLED_SITE, copy_site, replace_publish_table

ONION = "vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd.onion"
MIRRORS = ["https://mirror.example.net/voices/", "https://ipfs.example.org/ipns/voices.example/"]
PUBLISH = f"""
[publish]
onion = "{ONION}"
{{extra}}

[[publish.mirrors]]
url = "{MIRRORS[0]}"
note = {{ ru = "Копия у друзей", en = "A copy kept by friends", ko = "친구들이 운영하는 사본" }}

[[publish.mirrors]]
url = "{MIRRORS[1]}"
"""


def publishing_site(target: Path, extra: str = "") -> Path:
    """`extra` holds more [publish] options, e.g. "precompress = true"."""
    site = copy_site(BUNDLED_SITE, target)
    replace_publish_table(site, PUBLISH.replace("{extra}", extra))
    return site
