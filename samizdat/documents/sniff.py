"""What a published file really is, read from its first bytes: a file's name can lie, its bytes cannot.

A JPEG saved as `.jfif`, `.txt` or with no suffix still carries the GPS position of the phone that took
it, so every file the build publishes is recognised here by its magic bytes, and its suffix is then
checked against what it is. Only the first kilobyte is read (and a ZIP's table of contents), so sniffing
every file of a site costs little.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from samizdat.documents.audio import AudioProblem, is_mpeg_frame, skip_id3v2

if TYPE_CHECKING:
    import zipfile

HEAD = 1024  # PDF readers look for %PDF- in the first kilobyte, so this much is read of every file

# The families a published file can be in; what the build does with each is in docs/photo-safety.md.
RASTER = "raster"  # re-encoded by the image pipeline, or refused
ICON = "icon"  # favicon.ico: published as it is only if no image inside it carries metadata
PDF = "pdf"  # stripped with pikepdf
OFFICE = "office"  # refused: export a PDF
ARCHIVE = "archive"  # refused: the files inside cannot be checked
ISO_MEDIA = "iso-media"  # MP4, MOV, M4A, 3GP: recording place, time and data tracks overwritten (isomedia.py)
AUDIO = "audio"  # MP3, AAC, FLAC, WAV: tags and attached pictures cut out (audio.py)
OGG = "ogg"  # Opus, Vorbis, FLAC, Speex in Ogg: comments removed, header pages written again (ogg.py)
MATROSKA = "matroska"  # WebM, MKV: tags, attachments, chapters, title and date voided in place (matroska.py)
AVI = "avi"  # AVI: INFO, dates and camera chunks turned into JUNK in place (avi.py)
MEDIA = "media"  # other video and audio (WMV, FLV, AIFF, RealMedia…): refused, not examined
OTHER = "other"  # text, CSS, fonts, SVG…: passed as they are


@dataclass(frozen=True)
class Kind:
    family: str
    name: str  # e.g. "JPEG", "Word document (docx)"
    suffixes: tuple[str, ...] = ()  # the names a file of this kind may have; the first is the usual one

    def fits(self, rel: str) -> bool:
        """Does the file's name say what it is? Kinds without suffixes of their own fit any name."""
        return not self.suffixes or suffix_of(rel) in self.suffixes


# Raster formats by Pillow's name: the suffixes each may be published under.
RASTER_NAMES: dict[str, tuple[str, ...]] = {
    "JPEG": (".jpg", ".jpeg", ".jpe", ".jfif", ".jif", ".pjpeg", ".pjp"),
    "PNG": (".png", ".apng"),
    "GIF": (".gif",),
    "WEBP": (".webp",),
    "AVIF": (".avif",),
    "HEIF": (".heic", ".heif", ".hif"),
    # Camera raw files are TIFF inside.
    "TIFF": (".tif", ".tiff", ".dng", ".cr2", ".nef", ".arw", ".orf", ".rw2", ".pef", ".srw"),
    "BMP": (".bmp", ".dib"),
    "JPEG2000": (".jp2", ".j2k", ".jpx", ".jpf", ".j2c"),
    "JXL": (".jxl",),
    "PSD": (".psd",),
}
RASTER_SUFFIXES = frozenset(s for suffixes in RASTER_NAMES.values() for s in suffixes)
_AVIF_BRANDS = {b"avif", b"avis"}
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_BMP_HEADERS = {12, 40, 52, 56, 64, 108, 124}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF_NAMES = {
    "application/vnd.oasis.opendocument.text": "OpenDocument text (odt)",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet (ods)",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation (odp)",
    "application/vnd.oasis.opendocument.graphics": "OpenDocument drawing (odg)",
    "application/epub+zip": "EPUB book",
}
_OOXML_NAMES = {"word/": "Word document (docx)", "xl/": "Excel workbook (xlsx)",
                "ppt/": "PowerPoint presentation (pptx)"}


def suffix_of(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def sniff(path: Path) -> Kind:
    with path.open("rb") as file:
        head = file.read(HEAD)
    kind = sniff_head(head)
    if kind.family == ARCHIVE and kind.name == "ZIP archive":
        return _zip_kind(path)
    if head.startswith(b"ID3"):
        return _behind_id3(path) or kind
    return kind


def _behind_id3(path: Path) -> Kind | None:
    """An Ogg file with an ID3 tag in front (some taggers write one into any sound file), or None: MP3, AAC
    and FLAC files behind one are the audio cleaner's."""
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        try:
            start, _ = skip_id3v2(data, 0)
        except AudioProblem:
            return None  # the audio cleaner names what is wrong with the tag
        if data[start:start + 4] == b"OggS":
            return Kind(OGG, "ID3-tagged Ogg audio file", OGG_SUFFIXES)
    return None


def sniff_head(head: bytes) -> Kind:
    """The kind of a file from its first bytes alone (a ZIP is told apart from an office file by sniff())."""
    raster = raster_format(head)
    if raster:
        return Kind(RASTER, raster, RASTER_NAMES[raster])
    if _is_icon(head):
        return Kind(ICON, "Windows icon", (".ico", ".cur"))
    if b"%PDF-" in head:
        return Kind(PDF, "PDF document", (".pdf",))
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return Kind(ARCHIVE, "ZIP archive")
    if head.startswith(_OLE2):
        return Kind(OFFICE, "old binary Office document (doc, xls or ppt)")
    if head.startswith(b"{\\rtf"):
        return Kind(OFFICE, "Rich Text document (rtf)")
    if head.startswith((b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07")):
        return Kind(ARCHIVE, "7-Zip or RAR archive")
    return _media_kind(head) or Kind(OTHER, "file")


def raster_format(head: bytes) -> str | None:
    """Pillow's name of the raster format the bytes start with, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "TIFF"
    if head.startswith((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")):
        return "JPEG2000"
    if head.startswith((b"\xff\x0a", b"\x00\x00\x00\x0cJXL \r\n\x87\n")):
        return "JXL"
    if head.startswith(b"8BPS"):
        return "PSD"
    if _is_bmp(head):
        return "BMP"
    brands = _iso_brands(head)
    if brands & _AVIF_BRANDS:
        return "AVIF"
    if brands & _HEIF_BRANDS:
        return "HEIF"
    return None


def _is_bmp(head: bytes) -> bool:
    """"BM" alone starts many text files: the reserved bytes and the header size must fit too."""
    if len(head) < 18 or not head.startswith(b"BM"):
        return False
    reserved, header_size = struct.unpack("<I4xI", head[6:18])
    return reserved == 0 and header_size in _BMP_HEADERS


def _is_icon(head: bytes) -> bool:
    if len(head) < 22 or head[:4] not in (b"\x00\x00\x01\x00", b"\x00\x00\x02\x00"):
        return False
    count = struct.unpack("<H", head[4:6])[0]
    return 0 < count < 256 and head[9] == 0  # the first entry's reserved byte


def _iso_brands(head: bytes) -> set[bytes]:
    """The major and compatible brands of an ISO media file (HEIF, AVIF, MP4, MOV), from its ftyp box."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return set()
    size = min(struct.unpack(">I", head[:4])[0], len(head))
    return {head[8:12]} | {head[i : i + 4] for i in range(16, size - 3, 4)}


MPEG_AUDIO_SUFFIXES = (".mp3", ".mp2", ".mpga")
OGG_SUFFIXES = (".ogg", ".opus", ".oga", ".ogv", ".spx", ".ogx")
ISO_MEDIA_SUFFIXES = (".mp4", ".m4v", ".m4a", ".m4b", ".mov", ".qt", ".3gp", ".3g2")
# Old QuickTime files start with one of these boxes instead of ftyp.
_QUICKTIME_FIRST_BOXES = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")


def _media_kind(head: bytes) -> Kind | None:
    if _iso_brands(head) or _quicktime_box(head):
        return Kind(ISO_MEDIA, "MP4 or QuickTime video or audio file", ISO_MEDIA_SUFFIXES)
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return Kind(MATROSKA, "WebM or Matroska video or audio file", (".webm", ".mkv", ".mka", ".mk3d", ".mks"))
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return Kind(AVI, "AVI video file", (".avi",))
    if head.startswith(b"OggS"):
        return Kind(OGG, "Ogg audio file", OGG_SUFFIXES)
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return Kind(MEDIA, "AIFF sound file")
    for magic, name in _UNCLEANED_MEDIA.items():
        if head.startswith(magic):
            return Kind(MEDIA, name)
    if _is_transport_stream(head):
        return Kind(MEDIA, "MPEG transport stream video (TS, or MTS and M2TS from a camcorder)")
    return _audio_kind(head)


def _is_transport_stream(head: bytes) -> bool:
    """Packets of 188 bytes, each starting with the sync byte 0x47 (192 in a camcorder's M2TS, after a 4-byte
    time code). A camcorder writes its GPS position and the time into the video stream itself (AVCHD's MDPM
    data), which samizdat cannot take out. Every packet the head holds, at least three, and a NUL byte: 0x47
    is "G", and a text file never holds a NUL."""
    if b"\x00" not in head:
        return False
    for first, step in ((0, 188), (4, 192)):
        starts = range(first, len(head), step)
        if len(starts) >= 3 and all(head[at] == 0x47 for at in starts):
            return True
    return False


# Video and sound files samizdat recognises but cannot clean: each can hold titles, authors and dates.
_UNCLEANED_MEDIA = {
    b"\x30\x26\xb2\x75\x8e\x66\xcf\x11\xa6\xd9\x00\xaa\x00\x62\xce\x6c": "Windows Media file (WMV, WMA or ASF)",
    b"FLV\x01": "Flash video file (FLV)",
    b"caff\x00\x01\x00\x00": "Core Audio file (CAF)",
    b".RMF\x00\x00\x00": "RealMedia file",
    b"\x00\x00\x01\xba": "MPEG program stream video (MPG, VOB)",
}


def _audio_kind(head: bytes) -> Kind | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return Kind(AUDIO, "WAV audio file", (".wav", ".wave"))
    if head.startswith(b"fLaC"):
        return Kind(AUDIO, "FLAC audio file", (".flac",))
    if head.startswith(b"ID3"):  # MP3 most often; AAC and FLAC files may begin with an ID3 tag too
        return Kind(AUDIO, "audio file with ID3 tags", (*MPEG_AUDIO_SUFFIXES, ".aac", ".flac"))
    if is_mpeg_frame(head[:4]):
        return Kind(AUDIO, "MP3 or AAC audio file", (*MPEG_AUDIO_SUFFIXES, ".aac"))
    return None


def _quicktime_box(head: bytes) -> bool:
    """A box header (size 0, 1 or at least 8) of a box only QuickTime files start with."""
    return (len(head) >= 8 and head[4:8] in _QUICKTIME_FIRST_BOXES
            and struct.unpack(">I", head[:4])[0] not in range(2, 8))


def _zip_kind(path: Path) -> Kind:
    """Office files and e-books are ZIP files: told apart by the names inside."""
    import zipfile  # loaded when a published file is a ZIP file

    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            mimetype = _first_bytes(archive, "mimetype") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return Kind(ARCHIVE, "ZIP archive")
    if mimetype.strip() in _ODF_NAMES:
        return Kind(OFFICE, _ODF_NAMES[mimetype.strip()])
    if "[Content_Types].xml" in names:
        for folder, name in _OOXML_NAMES.items():
            if any(n.startswith(folder) for n in names):
                return Kind(OFFICE, name)
        return Kind(OFFICE, "Office Open XML document")
    return Kind(ARCHIVE, "ZIP archive")


def _first_bytes(archive: zipfile.ZipFile, name: str) -> str:
    """The start of one member, read lazily: a member that unpacks to gigabytes is never unpacked whole."""
    with archive.open(name) as member:
        return member.read(100).decode("ascii", "replace")
