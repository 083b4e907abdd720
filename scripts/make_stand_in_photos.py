"""Draw the stand-in posters that the bundled site shows until the group adds its own photos.

Run once: python scripts/make_stand_in_photos.py site/assets
Needs the DejaVu and Nanum fonts (Debian: fonts-dejavu-core, fonts-nanum).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

POSTERS = {
    "20220514-091636.jpg": "НЕТ ВОЙНЕ",
    "20220514-092141.jpg": "NO WAR",
    "20220514-091932.jpg": "전쟁 반대",
    "20220514-091128.jpg": "STAND WITH\nUKRAINE",
    "20220514-091305.jpg": "СВОБОДУ\nПОЛИТЗАКЛЮЧЁННЫМ",
    "20220514-091357.jpg": "RUSSIA WILL\nBE FREE",
}
WIDTH, HEIGHT = 800, 1000
BLUE = (10, 88, 202)
LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
HANGUL = "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf"


def draw_poster(text: str) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, HEIGHT // 3, WIDTH, 2 * HEIGHT // 3), fill=BLUE)
    font_path = HANGUL if any("\uac00" <= ch <= "\ud7a3" for ch in text) else LATIN
    size = 96
    while size > 20:
        font = ImageFont.truetype(font_path, size)
        box = draw.multiline_textbbox((0, 0), text, font=font, align="center", spacing=12)
        if box[2] - box[0] < WIDTH - 80:
            break
        size -= 4
    draw.multiline_text((WIDTH / 2, HEIGHT / 2), text, font=font, fill="white", anchor="mm",
                        align="center", spacing=12)
    small = ImageFont.truetype(LATIN, 30)
    draw.text((WIDTH / 2, HEIGHT / 6), "14.05.2022", font=small, fill=BLUE, anchor="mm")
    draw.text((WIDTH / 2, 5 * HEIGHT / 6), "stand-in · заглушка · 임시 이미지", font=ImageFont.truetype(
        HANGUL, 28), fill=(90, 90, 90), anchor="mm")
    return image


def draw_share_image() -> Image.Image:
    """The picture link previews show (Open Graph): the white-blue-white flag and the group's name."""
    image = Image.new("RGB", (1200, 630), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 210, 1200, 420), fill=BLUE)
    draw.text((600, 315), "NO WAR · НЕТ ВОЙНЕ · 전쟁 반대", font=ImageFont.truetype(HANGUL, 64), fill="white",
              anchor="mm")
    draw.text((600, 110), "Voices in Korea", font=ImageFont.truetype(LATIN, 60), fill=BLUE, anchor="mm")
    draw.text((600, 525), "Голоса в Корее · 보이시스 인 코리아", font=ImageFont.truetype(HANGUL, 44), fill=BLUE,
              anchor="mm")
    return image


def main(folder: Path) -> None:
    for name, text in POSTERS.items():
        draw_poster(text).save(folder / name, "JPEG", quality=78, optimize=True, progressive=True)
        print(folder / name)
    draw_share_image().save(folder / "share.jpg", "JPEG", quality=80, optimize=True, progressive=True)
    print(folder / "share.jpg")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
