"""Real image files for the image tests, made with Pillow and carrying every kind of metadata."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import ExifTags, Image, ImageCms, PngImagePlugin

SECRETS = (b"SECRET-COMMENT-7731", b"SECRET-XMP-4411", b"SECRET-IPTC-9902", b"SECRET-TEXT-5150",
           b"SECRET-SERIAL-3308", b"SECRET-ITXT-6620")
XMP = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b"<rdf:Description>" + SECRETS[1] + b"</rdf:Description></rdf:RDF></x:xmpmeta>")


def camera_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.BodySerialNumber] = SECRETS[4].decode()
    exif[ExifTags.Base.DateTime] = "2022:05:14 09:11:28"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (37.0, 33.0, 58.0),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (126.0, 58.0, 41.0),
    }
    return exif


def halves(size: tuple[int, int], first: str, second: str, vertical: bool) -> Image.Image:
    """An image whose left (or top) half is one colour and the rest another, to check orientation."""
    image = Image.new("RGB", size, second)
    box = (0, 0, size[0] // 2, size[1]) if vertical else (0, 0, size[0], size[1] // 2)
    image.paste(first, box)
    return image


def jpeg_with_everything(image: Image.Image, orientation: int = 1) -> bytes:
    """A JPEG with EXIF (GPS, serial, orientation), XMP, an ICC profile, a comment and an IPTC block."""
    buffer = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(buffer, "JPEG", exif=camera_exif(orientation), xmp=XMP, comment=SECRETS[0], icc_profile=icc)
    data = buffer.getvalue()
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + struct.pack(">I", len(SECRETS[2]) + 5) + \
        b"\x1c\x02\x78" + struct.pack(">H", len(SECRETS[2])) + SECRETS[2]
    app13 = b"\xff\xed" + struct.pack(">H", len(iptc) + 2) + iptc
    return data[:2] + app13 + data[2:]


def png_with_everything(image: Image.Image) -> bytes:
    """A PNG with tEXt, zTXt and iTXt chunks (XMP among them) and an eXIf chunk with GPS."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRETS[3].decode())
    info.add_text("Author", "someone", zip=True)
    info.add_itxt("Description", SECRETS[5].decode())
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    buffer = io.BytesIO()
    image.save(buffer, "PNG", pnginfo=info, exif=camera_exif())
    return buffer.getvalue()


def png_bomb(width: int = 30000, height: int = 30000) -> bytes:
    """A PNG whose header claims more pixels than Pillow's decompression-bomb limit; tiny on disk."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + \
        chunk(b"IEND", b"")
