"""Evidence files: which types are taken, how each is recognised by its content, and storing
uploads in `instance/evidence/` under random names, all or nothing.

A file is taken only when its extension is allowed (setting `EVIDENCE_TYPES`) AND its content
is what the extension says: a `.pdf` must start like a PDF, a `.docx` must be an Office Open
XML word-processing package (without macros), a `.odt` an OpenDocument text, a `.txt` text...
Refusals: 413 for a file over `EVIDENCE_MAX_BYTES` or a submission over
`EVIDENCE_MAX_TOTAL_BYTES`, 415 for a refused type, 422 for an empty or unnamed file; each
names the field (`files[2]`) and the file.
"""

from __future__ import annotations

import codecs
import hashlib
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from flask import current_app
from werkzeug.datastructures import FileStorage
from werkzeug.utils import secure_filename

from lms.api import UnsupportedMediaType
from lms.errors import InvalidInput, PathwayError

CHUNK = 64 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word, Excel and PowerPoint files


class TooLarge(PathwayError):
    """An upload over a size limit (413)."""

    status = 413
    title = "Content Too Large"


def _head(path: Path, size: int = 1024) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def _is_pdf(path: Path) -> bool:
    return b"%PDF-" in _head(path)  # readers accept the header anywhere in the first 1 KiB


def _is_png(path: Path) -> bool:
    return _head(path, 8) == b"\x89PNG\r\n\x1a\n"


def _is_jpeg(path: Path) -> bool:
    return _head(path, 3) == b"\xff\xd8\xff"


def _is_ole2(path: Path) -> bool:
    return _head(path, 8) == OLE2


def _ooxml(main_part: str) -> Callable[[Path], bool]:
    """An Office Open XML package whose main part is `main_part`, without a macro project."""

    def check(path: Path) -> bool:
        try:
            with zipfile.ZipFile(path) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        return ("[Content_Types].xml" in names and main_part in names
                and not any(name.lower().endswith("vbaproject.bin") for name in names))

    return check


def _opendocument(mimetype: str) -> Callable[[Path], bool]:
    """An OpenDocument package whose `mimetype` entry says `mimetype`."""

    def check(path: Path) -> bool:
        try:
            with zipfile.ZipFile(path) as package, package.open("mimetype") as entry:
                return entry.read(100).strip() == mimetype.encode()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return False

    return check


def _is_text(path: Path) -> bool:
    """UTF-8 (with or without a byte-order mark) or Windows-1252 text, without NUL or other
    control characters than tab, line and page breaks."""
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    if not _plain(decoder.decode(chunk)):
                        return False
                if not _plain(decoder.decode(b"", final=True)):
                    return False
            return True
        except UnicodeDecodeError:
            continue
    return False


def _plain(text: str) -> bool:
    return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)


@dataclass(frozen=True)
class EvidenceType:
    """A kind of evidence file: what it is called, its media type and its content check."""

    description: str
    content_type: str
    check: Callable[[Path], bool]


OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."
KNOWN_TYPES: dict[str, EvidenceType] = {
    "pdf": EvidenceType("PDF document", "application/pdf", _is_pdf),
    "doc": EvidenceType("Word 97-2003 document", "application/msword", _is_ole2),
    "docx": EvidenceType("Word document", OOXML + "wordprocessingml.document",
                         _ooxml("word/document.xml")),
    "odt": EvidenceType("OpenDocument text", ODF + "text", _opendocument(ODF + "text")),
    "xls": EvidenceType("Excel 97-2003 workbook", "application/vnd.ms-excel", _is_ole2),
    "xlsx": EvidenceType("Excel workbook", OOXML + "spreadsheetml.sheet",
                         _ooxml("xl/workbook.xml")),
    "ods": EvidenceType("OpenDocument spreadsheet", ODF + "spreadsheet",
                        _opendocument(ODF + "spreadsheet")),
    "csv": EvidenceType("CSV table", "text/csv", _is_text),
    "ppt": EvidenceType("PowerPoint 97-2003 presentation", "application/vnd.ms-powerpoint",
                        _is_ole2),
    "pptx": EvidenceType("PowerPoint presentation", OOXML + "presentationml.presentation",
                         _ooxml("ppt/presentation.xml")),
    "odp": EvidenceType("OpenDocument presentation", ODF + "presentation",
                        _opendocument(ODF + "presentation")),
    "txt": EvidenceType("plain text", "text/plain", _is_text),
    "png": EvidenceType("PNG image", "image/png", _is_png),
    "jpg": EvidenceType("JPEG image", "image/jpeg", _is_jpeg),
    "jpeg": EvidenceType("JPEG image", "image/jpeg", _is_jpeg),
}


def check_settings(config) -> None:
    """Refuse to start with an evidence type Pathway cannot recognise by content."""
    unknown = sorted(set(config["EVIDENCE_TYPES"]) - set(KNOWN_TYPES))
    if unknown:
        raise ValueError(f"EVIDENCE_TYPES: {unknown} cannot be checked by content; "
                         f"choose from {sorted(KNOWN_TYPES)}")


def allowed_types() -> dict[str, EvidenceType]:
    """The evidence types this installation takes, by extension."""
    return {ext: KNOWN_TYPES[ext] for ext in current_app.config["EVIDENCE_TYPES"]}


def folder() -> Path:
    """Where evidence files are kept: `instance/evidence/`."""
    return Path(current_app.instance_path) / "evidence"


def path_of(stored_name: str) -> Path:
    """The file on disk of a stored evidence file."""
    return folder() / stored_name


@dataclass(frozen=True)
class StoredUpload:
    """One evidence file written to disk, ready to be recorded."""

    filename: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def _extension(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower().lstrip(".")


def clean_filename(name: str, extension: str, position: int) -> str:
    """The upload's name made safe (werkzeug's `secure_filename`), keeping its extension."""
    stem = secure_filename(PurePosixPath(name.replace("\\", "/")).stem)[:200]
    return f"{stem or f'evidence-{position + 1}'}.{extension}"


def check_names(uploads: list[FileStorage]) -> list[tuple[str, EvidenceType]]:
    """Each upload's (clean file name, type), from its name alone; raises for the first one
    without a name or with a refused extension."""
    allowed = allowed_types()
    found = []
    for position, upload in enumerate(uploads):
        field = f"files[{position}]"
        if not upload.filename:
            raise InvalidInput.field(field, "has no file name; send each file with its name")
        extension = _extension(upload.filename)
        if extension not in allowed:
            raise UnsupportedMediaType(
                f"{field}: {upload.filename!r} is not a type of evidence Pathway takes; send "
                f"one of: {', '.join('.' + e for e in allowed)}.",
                errors=[{"field": field, "detail": f"{upload.filename!r}: refused type"}])
        found.append((clean_filename(upload.filename, extension, position), allowed[extension]))
    return found


def store_uploads(uploads: list[FileStorage]) -> list[StoredUpload]:
    """Check and store every upload, all or nothing: on the first refusal, every file written
    so far is removed and the error raised."""
    named = check_names(uploads)
    limit = current_app.config["EVIDENCE_MAX_BYTES"]
    total_limit = current_app.config["EVIDENCE_MAX_TOTAL_BYTES"]
    folder().mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    stored: list[StoredUpload] = []
    try:
        total = 0
        for position, (upload, (filename, kind)) in enumerate(zip(uploads, named, strict=True)):
            field = f"files[{position}]"
            stored_name = secrets.token_hex(24)
            path = path_of(stored_name)
            written.append(path)
            size, digest = _write(upload, path, limit, field)
            total += size
            if total > total_limit:
                raise TooLarge(
                    f"files: together the files are over the {_size(total_limit)} a submission "
                    f"may hold (at {upload.filename!r}).",
                    errors=[{"field": "files", "detail": f"over {_size(total_limit)} in all"}])
            if not kind.check(path):
                raise UnsupportedMediaType(
                    f"{field}: {upload.filename!r} is named as a {kind.description} but its "
                    f"content is not one.",
                    errors=[{"field": field, "detail": f"{upload.filename!r}: content is not a "
                                                       f"{kind.description}"}])
            stored.append(StoredUpload(filename, stored_name, kind.content_type, size, digest))
    except BaseException:
        remove_files(written)
        raise
    return stored


def _write(upload: FileStorage, path: Path, limit: int, field: str) -> tuple[int, str]:
    """Copy the upload to `path`, counting and hashing; refuse it past `limit` bytes."""
    digest, size = hashlib.sha256(), 0
    with path.open("xb") as out:
        while chunk := upload.stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise TooLarge(
                    f"{field}: {upload.filename!r} is over the {_size(limit)} an evidence file "
                    f"may be.", errors=[{"field": field,
                                         "detail": f"{upload.filename!r}: over {_size(limit)}"}])
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise InvalidInput.field(field, f"{upload.filename!r} is empty")
    return size, digest.hexdigest()


def remove_files(paths) -> None:
    """Remove stored evidence files (those already gone are ignored)."""
    for path in paths:
        Path(path).unlink(missing_ok=True)


def _size(size: int) -> str:
    """A size limit as people read it: "20 MiB", "512 KiB", "100 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MiB"
    return f"{size / 1024:g} KiB" if size >= 1024 else f"{size} bytes"
