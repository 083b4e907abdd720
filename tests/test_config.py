from __future__ import annotations

from pathlib import Path

import pytest

from samizdat.config import load_config
from samizdat.errors import ConfigError
from tests.conftest import BUNDLED_SITE, MINIMAL_CONFIG


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "samizdat.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_bundled_config_reads_languages_in_order() -> None:
    config = load_config(BUNDLED_SITE)
    assert [(lang.code, lang.prefix) for lang in config.languages] == [("ru", ""), ("en", "en"), ("ko", "kr")]
    assert config.default_language.code == "ru"
    assert config.language("ko").root_url == "/kr/"
    assert config.timezone == "Asia/Seoul"
    assert config.base_url == "https://www.voicesinkorea.kr"


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    text = MINIMAL_CONFIG + 'colour = "red"\n[theme]\naccent = "blue"\nshow_flags = "yes"\n'
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    message = str(caught.value)
    assert "3 problem(s)" in message
    assert "languages.ko.colour: unknown key" in message
    assert "theme.accent: 'blue' must be a colour" in message
    assert "theme.show_flags: must be true or false" in message


def test_missing_required_keys_are_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, "[languages.en]\nname = 'English'\n"))
    assert "base_url: missing" in str(caught.value)
    assert "languages.en.title: missing" in str(caught.value)


def test_unknown_timezone_and_two_defaults(tmp_path: Path) -> None:
    text = 'timezone = "Mars/Base"\n' + MINIMAL_CONFIG.replace('prefix = "en"', 'prefix = "en"\ndefault = true')
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert "unknown time zone 'Mars/Base'" in str(caught.value)
    assert "exactly one language must have default = true" in str(caught.value)


@pytest.mark.parametrize("zone", ["America", "Europe", "x" * 300, "Asia/", "/etc/localtime"])
def test_a_zone_that_is_a_folder_or_no_name_at_all_is_unknown(tmp_path: Path, zone: str) -> None:
    """A region alone is a folder of the zone database (IsADirectoryError), 300 letters too long a file name
    (OSError): each was a traceback, not "unknown time zone"."""
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, f'timezone = "{zone}"\n' + MINIMAL_CONFIG))
    assert f"unknown time zone {repr(zone)[:61]}" in str(caught.value) and "a region and a city" in str(caught.value)


LONG_NAME = "x" * 300
LONG_FILE_SETTINGS = {
    "image": f'image = "assets/{LONG_NAME}.jpg"\n' + MINIMAL_CONFIG,
    "theme.mark": MINIMAL_CONFIG + f'\n[theme]\nmark = "assets/{LONG_NAME}.svg"\n',
    "languages.en.flag": MINIMAL_CONFIG.replace('prefix = "en"', f'prefix = "en"\nflag = "assets/{LONG_NAME}.svg"'),
}


@pytest.mark.parametrize("setting", LONG_FILE_SETTINGS)
def test_a_file_name_too_long_for_any_file_is_not_found(tmp_path: Path, setting: str) -> None:
    """Asking the system about a name of 300 letters is an error of its own (ENAMETOOLONG), which pathlib
    does not take for "no such file": a traceback."""
    (tmp_path / "assets").mkdir()  # the system looks at the long name only past a folder that exists
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, LONG_FILE_SETTINGS[setting]))
    assert f"{setting}:" in str(caught.value) and "x" * 40 in str(caught.value)


def test_single_language_is_default_at_root(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, 'base_url = "https://x.org"\n[languages.de]\nname = "Deutsch"\ntitle = "T"\n'))
    assert config.default_language.code == "de"
    assert config.default_language.prefix == ""


def test_flag_file_must_exist(tmp_path: Path) -> None:
    text = MINIMAL_CONFIG.replace('title = "Site"', 'title = "Site"\nflag = "assets/none.svg"')
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert "languages.en.flag: file assets/none.svg not found" in str(caught.value)


PUBLISH_OK = """
[publish]
remote = "git@codeberg.org:voices/pages.git"
branch = "pages"
domain = "www.example.org"
onion = "vww6ybal4bd7szmgncyruucpgfkqahzddi37ktceo3ah7ngmcopnpyyd.onion"
precompress = true

[[publish.mirrors]]
url = "https://mirror.example.net/"
note = { en = "Friends", ru = "Друзья" }
"""


def test_publish_table_is_read(tmp_path: Path) -> None:
    publish = load_config(write(tmp_path, MINIMAL_CONFIG + PUBLISH_OK)).publish
    assert (publish.remote, publish.branch, publish.domain) == ("git@codeberg.org:voices/pages.git", "pages",
                                                                "www.example.org")
    assert publish.onion.endswith("yd.onion") and publish.precompress is True
    assert [(m.url, m.note) for m in publish.mirrors] == [("https://mirror.example.net/",
                                                           {"en": "Friends", "ru": "Друзья"})]
    assert load_config(BUNDLED_SITE).publish.branch == "gh-pages"


def test_publish_mistakes_are_listed_with_lines(tmp_path: Path) -> None:
    text = MINIMAL_CONFIG + """
[publish]
onion = "example.onion"
domain = "https://www.example.org/"
precompress = "yes"

[[publish.mirrors]]
url = "mirror.example.net"
desc = "typo"
"""
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    message = str(caught.value)
    assert "4 problem(s)" not in message and "5 problem(s)" in message
    assert "line 19: publish.onion: 'example.onion' is not an onion address" in message
    assert "publish.domain: 'https://www.example.org/' must be a bare domain" in message
    assert "publish.precompress: must be true or false, not a string" in message
    assert "line 25: publish.mirrors[1].desc: unknown key (known keys: url, note)" in message
    assert "line 24: publish.mirrors[1].url: 'mirror.example.net' must start with https://" in message


@pytest.mark.parametrize("flag", ["../outside.svg", "linked/flag.svg", "/../outside.svg"])
def test_a_flag_outside_the_site_is_not_looked_for(tmp_path: Path, flag: str) -> None:
    """The settings may not ask whether a file of the volunteer's exists: a path out of the site, or
    through a linked folder, is reported as not found in the site, whether or not it exists there."""
    (tmp_path / "outside.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "flag.svg").write_text("<svg/>", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    text = MINIMAL_CONFIG.replace('title = "Site"', f'title = "Site"\nflag = "{flag}"')
    (site / "samizdat.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(site)
    assert f"flag: file {flag} not found in the site folder" in str(caught.value)


@pytest.mark.parametrize("base_url", [
    "https://example.org/a\\r\\nDisallow: /\\r\\nSitemap: https://evil.example/s.xml",  # robots.txt lines
    'https://example.org/\\" onload=\\"x',  # written as TOML escapes, as the others
    "https://example.org/a b",
    "https://example.org/?q=1",
    "https://exa<mple.org",
])
def test_base_url_holds_an_address_and_nothing_else(tmp_path: Path, base_url: str) -> None:
    config = MINIMAL_CONFIG.replace('base_url = "https://example.org"', f'base_url = "{base_url}"')
    assert base_url.split("\\")[0] in config
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, config))
    assert "base_url" in str(error.value) and "must be an address like" in str(error.value)


@pytest.mark.parametrize("base_url", ["https://example.org", "https://пример.рф/", "http://localhost:8000",
                                      "https://example.github.io/voices-in-korea/", "https://example.org/~group"])
def test_base_url_of_every_kind_of_address_is_taken(tmp_path: Path, base_url: str) -> None:
    config = load_config(write(tmp_path, MINIMAL_CONFIG.replace('base_url = "https://example.org"',
                                                                f'base_url = "{base_url}"')))
    assert config.base_url == base_url.rstrip("/")
