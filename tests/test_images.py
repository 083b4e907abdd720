"""Every raster image is stripped, upright, resized and served as <picture>; no original is published."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from PIL import Image

from tests.conftest import MINIMAL_CONFIG
from tests.imagefiles import SECRETS, halves, jpeg_with_everything, png_with_everything
from tests.test_build import INSTAGRAM_POSTS, Elements, read

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif"}
METADATA_INFO_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "photoshop", "Comment",
                      "Author", "Description")

# On /en/, ../assets/ is /assets/ (as a browser resolves it); on /en/photos/ a bare name is the file
# beside the page's Markdown file.
HOME_PAGE = """\
# Photos

![Rotated protest photo](../assets/rotated.jpg)

{{ photo_row("march") }}
"""
PHOTOS_PAGE = """\
---
title: Flag
---
<p><img src="flag.png" alt="A flag with transparency"></p>
"""
PHOTOS_YAML = """\
march:
  - image: assets/row.jpg
    link: https://www.instagram.com/p/CbrD7KMrMLR/?igsh=MTc4MmM1YmI2Ng==&utm_source=ig_web_copy_link
    alt: {en: "A row photo"}
"""


def output_images(out: Path) -> list[Path]:
    return [p for p in out.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES]


def assert_clean(path: Path) -> None:
    data = path.read_bytes()
    for secret in SECRETS:
        assert secret not in data, f"{path} holds {secret!r}"
    for marker in (b"Exif\0\0", b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"GPS", b"PhoneMaker"):
        assert marker not in data, f"{path} holds {marker!r}"
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert not image.getexif(), path
        assert not [key for key in METADATA_INFO_KEYS if image.info.get(key)], (path, image.info.keys())
        assert not getattr(image, "text", {}), path


def metadata_site(make_site) -> tuple[Path, dict[str, bytes]]:
    sources = {
        "assets/rotated.jpg": jpeg_with_everything(halves((600, 400), "red", "blue", vertical=True), 6),
        "assets/row.jpg": jpeg_with_everything(halves((500, 500), "green", "white", vertical=False)),
        "content/en/flag.png": png_with_everything(Image.new("RGBA", (300, 200), (0, 90, 200, 128))),
        "assets/unused.png": png_with_everything(Image.new("RGB", (50, 50), "yellow")),
    }
    site = make_site({
        "content/en/index.md": HOME_PAGE,
        "content/en/photos.md": PHOTOS_PAGE,
        "data/photos.yaml": PHOTOS_YAML,
        **sources,
    })
    return site, sources


def test_no_output_image_holds_metadata_and_no_original_is_copied(make_site, run_cli, tmp_path: Path) -> None:
    site, sources = metadata_site(make_site)
    out = tmp_path / "out"
    result = run_cli("build", site, "-o", out)
    assert result.code == 0, result.err

    images = output_images(out)
    assert len(images) > 12
    source_digests = {hashlib.sha256(data).hexdigest() for data in sources.values()}
    for path in images:
        assert_clean(path)
        assert hashlib.sha256(path.read_bytes()).hexdigest() not in source_digests, f"{path} is an original"
    # Every original URL still works, with the stripped copy behind it.
    for rel in ("assets/rotated.jpg", "assets/row.jpg", "en/flag.png", "assets/unused.png"):
        assert (out / rel).is_file()


def test_orientation_is_applied(make_site, run_cli, tmp_path: Path) -> None:
    site, _ = metadata_site(make_site)
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    page = Elements(read(out, "en/index.html"))
    rotated = next(img for img in page.all("img") if "rotated" in (img.get("src") or ""))
    assert (rotated["width"], rotated["height"]) == ("400", "600")  # a quarter turn: upright is portrait
    variants = [out / url.split()[0].lstrip("/") for url in (rotated.get("srcset") or "").split(",")]
    for variant in [*variants, out / "assets/rotated.jpg"]:
        with Image.open(variant) as image:
            width, height = image.size
            assert height > width
            top, bottom = image.convert("RGB").getpixel((width // 2, 5)), image.getpixel((width // 2, height - 5))
            assert top[0] > 200 and top[2] < 60, variant  # the red half is on top once upright
            assert bottom[2] > 200 and bottom[0] < 60, variant


def test_markdown_html_and_data_images_become_pictures(make_site, run_cli, tmp_path: Path) -> None:
    site, _ = metadata_site(make_site)
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    html = read(out, "en/index.html") + read(out, "en/photos/index.html")
    page = Elements(html)
    assert len(page.all("picture")) == 3
    sources = page.all("source")
    assert {s["type"] for s in sources} >= {"image/webp"}
    for img in page.all("img"):
        assert img["src"].startswith("/_images/"), img
        assert img.get("width") and img.get("height") and img.get("srcset") and img.get("sizes")
        for candidate in [img["srcset"], *(s["srcset"] for s in sources)]:
            for url in re.findall(r"(/_images/\S+) \d+w", candidate or ""):
                assert (out / url.lstrip("/")).is_file(), url
    flag = next(img for img in page.all("img") if "flag" in img["src"])
    assert flag["src"].endswith(".png")  # transparency keeps a PNG fallback
    with Image.open(out / flag["src"].lstrip("/")) as image:
        assert image.mode == "RGBA"
    loading = [img["loading"] for img in Elements(read(out, "en/index.html")).all("img")]
    assert loading == ["eager", "lazy"]  # the first large image only


def test_an_image_tag_in_mixed_case_is_a_picture_too(make_site, run_cli, tmp_path: Path) -> None:
    """The stage reads a tag's name in any case; a page whose only image was written <Img …> was taken for
    one that shows none, and published pointing at the photo as it is, at its full size (<IMG> and <img> were
    seen)."""
    site = make_site({
        "content/en/rally.md": '---\ntitle: Rally\n---\n\nWe met.\n\n<Img Src="/assets/rally.jpg" alt="The rally">\n',
        "assets/rally.jpg": jpeg_with_everything(halves((900, 600), "red", "blue", vertical=True)),
    })
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    images = Elements(read(out, "en/rally/index.html")).all("img")
    assert [img["alt"] for img in images] == ["The rally"]
    assert images[0]["src"].startswith("/_images/") and images[0].get("srcset"), images[0]


def test_variants_are_never_upscaled(make_site, run_cli, tmp_path: Path) -> None:
    site, _ = metadata_site(make_site)
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    for img in Elements(read(out, "en/index.html") + read(out, "en/photos/index.html")).all("img"):
        widths = [int(w) for w in re.findall(r" (\d+)w", img["srcset"] or "")]
        assert widths == sorted(widths) and max(widths) <= 600
        assert all(w in (320, 640, 960, 1280) or w == max(widths) for w in widths)


def test_tracking_parameters_are_removed_from_links(make_site, run_cli, tmp_path: Path) -> None:
    site, _ = metadata_site(make_site)
    (site / "content/en/links.md").write_text(
        "[post](https://www.instagram.com/p/CbFqv61pRBm/?igshid=YmMyMTA2M2Y=) "
        "[video](https://youtu.be/abc?si=XYZ&t=42) [search](https://example.org/find?q=war&fbclid=IwAR0)\n",
        encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    hrefs = [a["href"] for a in Elements(read(out, "en/links/index.html")).all("a")]
    assert "https://www.instagram.com/p/CbFqv61pRBm/" in hrefs
    assert "https://youtu.be/abc?t=42" in hrefs
    assert "https://example.org/find?q=war" in hrefs
    row_links = [a["href"] for a in Elements(read(out, "en/index.html")).all("a")]
    assert "https://www.instagram.com/p/CbrD7KMrMLR/" in row_links
    assert not any(re.search(r"igsh|utm_|fbclid|[?&]si=", h or "") for h in hrefs + row_links)


def test_bundled_photo_rows_are_pictures_linking_to_the_posts(bundled_build: Path) -> None:
    for rel in ("index.html", "en/index.html", "kr/index.html"):
        html = read(bundled_build, rel)
        rows = re.findall(r'<a href="(https://www\.instagram\.com/p/[^"]+/)"[^>]*><picture>(.*?)</picture></a>', html)
        assert [href.split("/")[-2] for href, _ in rows] == INSTAGRAM_POSTS
        for _, inner in rows:
            picture = Elements(inner)
            assert {s["type"] for s in picture.all("source")} >= {"image/webp"}
            (img,) = picture.all("img")
            assert (img["width"], img["height"]) == ("800", "1000")
            assert img["src"].startswith("/_images/") and img["src"].endswith(".jpg")
            assert re.fullmatch(r"(/_images/\S+ \d+w, )+/_images/\S+ \d+w", img["srcset"] or "")
        assert "instagram.com/embed" not in html and "cdninstagram" not in html
        assert "<script src" not in html  # the one inline script is the theme's, allowed by its CSP hash


def test_bundled_site_publishes_no_original(bundled_build: Path) -> None:
    originals = {hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in (Path(__file__).parent.parent / "site/assets").glob("*.jpg")}
    for path in output_images(bundled_build):
        assert hashlib.sha256(path.read_bytes()).hexdigest() not in originals, path
        assert_clean(path)


def test_author_sizes_are_kept_and_the_other_side_follows(make_site, run_cli, tmp_path: Path) -> None:
    site = make_site({
        "content/en/index.md": '<a href="/x/"><img src="../assets/p.jpg" height="160"/></a>\n',
        "assets/p.jpg": jpeg_with_everything(Image.new("RGB", (800, 1000), "white")),
    }, config=MINIMAL_CONFIG)
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    (img,) = Elements(read(out, "en/index.html")).all("img")
    assert (img["width"], img["height"], img["sizes"]) == ("128", "160", "128px")
    assert img["loading"] == "lazy"  # 128×160 is not a large image


def test_an_img_written_inside_an_attribute_value_stays_text(make_site, run_cli, tmp_path: Path) -> None:
    """Photos become <picture> after the page was checked; an "<img" inside another tag's attribute value is
    part of that value. Replacing it would close the value with its first quote and make the rest of it
    markup that no check saw: a refresh to another site, a script, a handler."""
    photo = io.BytesIO()
    Image.new("RGB", (640, 480), "#2255aa").save(photo, "JPEG")
    title = ("see <img src='/assets/share.jpg' alt='x' onerror='alert(1)'> "
             "<meta http-equiv=refresh content='0;url=https://elsewhere.example/'>")
    body = f'<p><a href="/en/" title="{title}">hi</a></p>\n\n<img src="/assets/share.jpg" alt="A real photo">\n'
    site = make_site({"content/en/index.md": f"---\ntitle: Home\n---\n\n{body}", "assets/share.jpg": photo.getvalue()})
    out = tmp_path / "out"
    assert run_cli("build", site, "-o", out).code == 0
    page = Elements(read(out, "en/index.html"))
    assert not [m for m in page.all("meta") if (m.get("http-equiv") or "").lower() == "refresh"]
    assert not [img for img in page.all("img") if img.get("onerror")]
    assert [a["title"] for a in page.all("a") if a.get("title", "").startswith("see ")] == [title]
    assert len(page.all("picture")) == 1  # the real photo still becomes a picture
