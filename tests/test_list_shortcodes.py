"""`pages("folder")` lists a section's pages (title, summary, image) in the page's language, with the
default language's version where one is missing; `cards("name")` shows the entries of a data file."""

from __future__ import annotations

import re

from samizdat.build.pipeline import render_site
from tests.hostile import MINIMAL_PAGES

PROJECT = "---\ntitle: {title}\ndescription: {text}\nweight: {weight}\n{extra}---\nBody.\n"
CARDS = """- title: {ru: Жильё, en: Housing}
  text: {ru: Помогаем найти жильё, en: We help find housing}
  url: /en/housing/
  image: assets/house.png
  alt: {ru: Дом, en: A house}
- title: Ukraine
  text: Help for refugees
"""


def site_files(png: bytes) -> dict[str, str | bytes]:
    return MINIMAL_PAGES | {
        "content/ru/projects/index.md": "---\ntitle: Проекты\n---\n{{ pages(\"projects\") }}\n",
        "content/en/projects/index.md": "---\ntitle: Projects\n---\n{{ pages(\"projects\") }}\n",
        "content/ru/projects/housing.md": PROJECT.format(title="Жильё", text="Квартиры", weight=2, extra=""),
        "content/en/projects/housing.md": PROJECT.format(title="Housing", text="Flats", weight=2,
                                                         extra="image: assets/house.png\n"),
        "content/ru/projects/help.md": PROJECT.format(title="Помощь", text="Срочно", weight=1, extra=""),
        "content/en/about.md": "---\ntitle: About\n---\n{{ cards(\"projects\") }}\n",
        "data/projects.yaml": CARDS,
        "assets/house.png": png,
    }


def png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, format="PNG")
    return buffer.getvalue()


def titles(html: str) -> list[str]:
    return re.findall(r'<p class="card-title">(?:<a [^>]*>)?([^<]+)', html)


def test_pages_lists_a_section_in_order_with_fallbacks(make_site) -> None:
    pages = render_site(make_site(site_files(png()))).pages
    russian, english = pages["projects/index.html"].decode(), pages["en/projects/index.html"].decode()
    assert titles(russian) == ["Помощь", "Жильё"]  # by weight; the folder's own page is not listed
    assert titles(english) == ["Помощь", "Housing"]  # no English "help": the Russian one, marked
    assert 'lang="ru">Помощь</a>' in english and "Flats" in english and "Квартиры" not in english
    assert "<picture" in english or "_images/" in english  # the image went through the photo pipeline


def test_cards_show_a_data_file_in_the_page_language(make_site) -> None:
    page = render_site(make_site(site_files(png()))).pages["en/about/index.html"].decode()
    assert titles(page) == ["Housing", "Ukraine"]
    assert "We help find housing" in page and 'alt="A house"' in page and "Жильё" not in page
    assert 'href="/en/housing/"' in page
