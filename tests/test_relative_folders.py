"""`build --relative`: an author's own relative folder links (`../`, `../meetings/`) get index.html too,
so a copy opened from a USB stick shows pages, not folder listings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LINKS = [  # (written in content/en/about/team.md, as it must be published in en/about/team/index.html)
    ("../", "../index.html"),
    ("../../", "../../index.html"),
    ("../../meetings/", "../../meetings/index.html"),
    ("../../meetings", "../../meetings/index.html"),
    ("../../meetings/#upcoming", "../../meetings/index.html#upcoming"),
    ("./", "./index.html"),
    ("../../../", "../../../index.html"),  # the root: the default language's home
    ("../../../../", "../../../../"),  # above the site: not ours to change
    ("../../files/plan.txt", "../../files/plan.txt"),  # a file stays a file
    ("#team", "#team"),
    ("mailto:group@example.org", "mailto:group@example.org"),
]


@pytest.mark.parametrize(("written", "published"), LINKS)
def test_relative_folder_links_get_index_html(make_site, run_cli, tmp_path: Path, written: str,
                                              published: str) -> None:
    site = make_site({
        "content/en/index.md": "---\ntitle: Home\n---\nHi.\n",
        "content/en/about/index.md": "---\ntitle: About\n---\nAbout.\n",
        "content/en/about/team.md": f"---\ntitle: Team\n---\n## Team\n\n[the link]({written})\n",
        "content/en/meetings/index.md": "---\ntitle: Meetings\n---\n",
        "content/en/files/plan.txt": "plan\n",
        "content/ru/index.md": "---\ntitle: Главная\n---\nПривет.\n",
    })
    out = tmp_path / "out"
    result = run_cli("build", site, "-o", out, "--relative")
    assert result.code == 0, result.err
    page = (out / "en/about/team/index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a href="([^"]*)">the link</a>', page)
    assert hrefs == [published], hrefs
    if published.endswith("index.html") or "index.html#" in published:  # it leads to a real page
        target = (out / "en/about/team" / published.split("#")[0]).resolve()
        assert target.is_file(), target
