"""Typography as Chromium lays it out: no line starts or ends with a separator, or ends with an initial."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import static_server
from tests.conftest import MINIMAL_CONFIG

pytestmark = pytest.mark.browser

NAMES = ["А. Политковская", "Б. Немцов", "А. С. Пушкин", "Ю. Скрипаль", "В. Кара-Мурза", "Н. Г. Чернышевский"]
FILLERS = ["и", "а также", "в память о", "вспомним", "ещё раз", "по сей день", "для всех"]
# Lines of prose long and varied enough that at any width some initial or separator falls at a line end.
PROSE = " ".join(f"{FILLERS[i % len(FILLERS)]} {NAMES[i % len(NAMES)]} · {'слово' * (1 + i % 3)}"
                 for i in range(60))
WIDTHS = (320, 390, 1280)

# For every spaced "·" and every initial, whether Chromium put it where it must not be.
LAYOUT_CHECK = r"""
(selector) => {
  const found = {separators: 0, initials: 0, bad: []};
  const range = document.createRange();
  const box = (node, at) => { range.setStart(node, at); range.setEnd(node, at + 1);
                              return range.getClientRects()[0]; };
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const text = node.data;
      for (let i = 1; i < text.length; i++) {
        if (text[i] === "·" && /\s/.test(text[i - 1])) {
          found.separators++;
          const sep = box(node, i), before = box(node, Math.max(0, i - 2));
          const after = i + 2 < text.length ? box(node, i + 2) : null;
          if (sep && before && sep.top > before.top + sep.height / 2) found.bad.push("starts a line: " +
            text.slice(Math.max(0, i - 20), i + 5));
          if (sep && after && after.top > sep.top + sep.height / 2) found.bad.push("ends a line: " +
            text.slice(Math.max(0, i - 5), i + 20));
        }
      }
      const initials = /(?:^|[^\p{L}])(\p{Lu})\.\s+(\p{Lu})/gu;
      let match;
      while ((match = initials.exec(text))) {
        found.initials++;
        const start = match.index + match[0].indexOf(match[1]);
        const end = match.index + match[0].length - 1;
        const a = box(node, start), b = box(node, end);
        if (a && b && b.top > a.top + a.height / 2) found.bad.push("ends a line: " + text.slice(start, end + 8));
        initials.lastIndex = end;
      }
    }
  }
  return found;
}
"""


@pytest.fixture(scope="module")
def typeset_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from samizdat.cli import main
    from tests.conftest import write_files

    site = tmp_path_factory.mktemp("typeset") / "site"
    # The control paragraph is <kbd>: left as written, it shows that the check does see bad breaks.
    write_files(site, {
        "samizdat.toml": MINIMAL_CONFIG,
        "content/ru/index.md": f"---\ntitle: Главная\n---\n<p class=\"prose\">{PROSE}</p>\n\n"
                               f"<p><kbd class=\"control\">{PROSE}</kbd></p>\n",
        "content/en/index.md": "---\ntitle: Home\n---\nHello.\n",
        "content/ko/index.md": "---\ntitle: 홈\n---\n안녕하세요.\n",
    })
    out = site.parent / "out"
    assert main(["build", str(site), "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize("width", WIDTHS)
def test_no_line_starts_or_ends_with_a_separator_or_an_initial(browser, typeset_site: Path, width: int) -> None:
    with static_server(typeset_site) as base:
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(f"{base}/")
        prose = page.evaluate(LAYOUT_CHECK, ".prose")
        control = page.evaluate(LAYOUT_CHECK, ".control")
        page.close()
    assert prose["separators"] == 60 and prose["initials"] >= 60
    assert prose["bad"] == [], f"at {width} px: {prose['bad'][:5]}"
    assert control["bad"], "the check found no bad break even in text left as written"


BUNDLED_PAGES = ["", "meetings/", "meetings/2022-02-27-bosingak/", "meetings/2022-02-27-bosingak/flyer/"]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("prefix", ["", "en/", "kr/"])
def test_bundled_pages_break_no_separator_or_initial(browser, bundled_build: Path, prefix: str, width: int) -> None:
    checked = 0
    with static_server(bundled_build) as base:
        page = browser.new_page(viewport={"width": width, "height": 800})
        for path in BUNDLED_PAGES:
            page.goto(f"{base}/{prefix}{path}")
            found = page.evaluate(LAYOUT_CHECK, "body")
            assert found["bad"] == [], f"{prefix}{path} at {width} px: {found['bad'][:5]}"
            checked += found["separators"] + found["initials"]
        page.close()
    assert checked, "no separator or initial on these pages: the check looked at nothing"
