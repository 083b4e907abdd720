"""PDFs lose who made them, with what and when: the steps, and the check that reads a cleaned PDF back.

Removed: the document information dictionary (author, creator and producer software, dates, title),
every XMP metadata stream (the document's, and those of pages, images and fonts), applications' private
data (/PieceInfo: Illustrator and InDesign keep whole editing histories there), pages' modification
dates, the authors and dates of comments, and the EXIF, XMP, IPTC and comments of the JPEG photos inside.
The file is written again from its objects, so earlier revisions kept by incremental saves (which can
hold text deleted since) are gone too, and the document ID is made from the new content.

Refused: encrypted files (their content cannot be cleaned or checked) and files with attachments (an
attachment can be anything, the original photo included).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

import pikepdf

from samizdat.documents.jpeg import jpeg_metadata, strip_jpeg

_PRIVATE_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")
# Keys of a comment (markup annotation) that name or date its author. Form fields also use /T, for
# their name, so those are left alone.
_ANNOTATION_KEYS = ("/T", "/M", "/CreationDate")
MAX_IMAGE_BYTES = 200_000_000  # a compressed image stream may not unpack past this: a bomb is refused
EXPORT_HINT = "open it in a PDF reader and save it again as a new PDF (Print → Save as PDF works everywhere)"


class PdfProblem(Exception):
    """Why a PDF cannot be published; the caller adds the file's place."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


def strip_pdf(source: Path, target: Path) -> None:
    """Write a copy of `source` without its metadata to `target`, or raise PdfProblem."""
    with _open(source) as pdf:
        _refuse_locked_or_attached(pdf)
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                _strip_object(obj)
        # fix_metadata_version would write an XMP stream's version field; there is none left to fix.
        pdf.save(target, fix_metadata_version=False, deterministic_id=True)


def pdf_metadata(path: Path) -> list[str]:
    """What is left in a PDF that names or dates its makers; empty when it is clean."""
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        return [f"unreadable ({exc})"]
    with pdf:
        found = ["encryption"] if pdf.is_encrypted else []
        info = pdf.trailer.get("/Info")
        if isinstance(info, pikepdf.Dictionary) and len(info.keys()):
            found.append(f"document information ({', '.join(sorted(info.keys()))})")
        try:
            found += [item for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream)
                      for item in _object_metadata(obj)]
        except PdfProblem as problem:
            found.append(problem.message)
        found += [f"attached file {name}" for name in _attachments(pdf)]
    return sorted(set(found))


def _open(source: Path) -> pikepdf.Pdf:
    try:
        return pikepdf.open(source)
    except pikepdf.PasswordError as exc:
        raise PdfProblem("the PDF is protected by a password", "save it again without a password; " +
                         EXPORT_HINT) from exc
    except (pikepdf.PdfError, OSError, ValueError) as exc:
        raise PdfProblem(f"the PDF is damaged and cannot be read ({exc})", EXPORT_HINT) from exc


def _refuse_locked_or_attached(pdf: pikepdf.Pdf) -> None:
    if pdf.is_encrypted:
        raise PdfProblem("the PDF is encrypted (it opens, but its content is locked and cannot be cleaned)",
                         "save it again without protection; " + EXPORT_HINT)
    attached = list(_attachments(pdf))
    if attached:
        raise PdfProblem(f"the PDF carries attached files ({', '.join(attached)}), which cannot be checked",
                         "remove the attachments and save the PDF again, or publish the attached files "
                         "themselves")


def _attachments(pdf: pikepdf.Pdf) -> Iterator[str]:
    if "/Names" in pdf.Root and "/EmbeddedFiles" in pdf.Root.Names:
        yield from ([str(name) for name in pdf.attachments] or ["(unnamed)"])
    if "/AF" in pdf.Root:
        yield "(associated file)"
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == pikepdf.Name.FileAttachment:
            yield "(file attachment comment)"


def _strip_object(obj: pikepdf.Object) -> None:
    for key in _PRIVATE_KEYS:
        if key in obj:
            del obj[key]
    if _is_comment(obj):
        for key in _ANNOTATION_KEYS:
            if key in obj:
                del obj[key]
    if isinstance(obj, pikepdf.Stream) and _is_jpeg(obj):
        data = _jpeg_bytes(obj)
        cleaned = strip_jpeg(data)
        if cleaned != data or _filters(obj) != [pikepdf.Name.DCTDecode]:
            obj.write(cleaned, filter=pikepdf.Name.DCTDecode, decode_parms=_dct_parms(obj))


def _object_metadata(obj: pikepdf.Object) -> list[str]:
    found = [f"{key} in object {obj.objgen}" for key in _PRIVATE_KEYS if key in obj]
    if _is_comment(obj):
        found += [f"comment {key}" for key in _ANNOTATION_KEYS if key in obj]
    if isinstance(obj, pikepdf.Stream) and _is_jpeg(obj):
        blocks = jpeg_metadata(_jpeg_bytes(obj))
        found += [f"{block} in the JPEG image {obj.objgen}" for block in blocks]
    return found


def _is_comment(obj: pikepdf.Object) -> bool:
    subtype = obj.get("/Subtype")
    is_annotation = obj.get("/Type") == pikepdf.Name.Annot or "/Rect" in obj
    return is_annotation and subtype is not None and subtype != pikepdf.Name.Widget


def _is_jpeg(stream: pikepdf.Stream) -> bool:
    return stream.get("/Subtype") == pikepdf.Name.Image and _filters(stream)[-1:] == [pikepdf.Name.DCTDecode]


def _jpeg_bytes(stream: pikepdf.Stream) -> bytes:
    """The JPEG file inside an image stream: stored as it is, or behind Flate compression (rarely)."""
    data = stream.read_raw_bytes()
    for outer in _filters(stream)[:-1]:
        if outer != pikepdf.Name.FlateDecode:
            raise PdfProblem(f"a JPEG image inside the PDF is stored behind the {outer} filter, which "
                             "samizdat cannot clean", EXPORT_HINT)
        unpacker = zlib.decompressobj()
        try:
            data = unpacker.decompress(data, MAX_IMAGE_BYTES)
        except zlib.error as exc:
            raise PdfProblem(f"a JPEG image inside the PDF is damaged ({exc})", EXPORT_HINT) from exc
        if unpacker.unconsumed_tail:
            raise PdfProblem("a JPEG image inside the PDF unpacks to more than "
                             f"{MAX_IMAGE_BYTES // 1_000_000} MB", EXPORT_HINT)
    return data


def _dct_parms(stream: pikepdf.Stream) -> pikepdf.Dictionary | None:
    """The JPEG decoder's own parameters (/ColorTransform), kept when outer filters are undone."""
    parms = stream.get("/DecodeParms")
    if isinstance(parms, pikepdf.Array):
        parms = parms[len(parms) - 1] if len(parms) else None
    return parms if isinstance(parms, pikepdf.Dictionary) else None


def _filters(stream: pikepdf.Stream) -> list[pikepdf.Object]:
    found = stream.get("/Filter")
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]
