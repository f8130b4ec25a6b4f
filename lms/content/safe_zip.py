"""Safe extraction of an uploaded zip (a content package) into a fresh folder.

Nothing in an uploaded zip is trusted: not its entry names, not the sizes in its headers, not
its file modes. `extracting(source, parent, limits)` checks every entry before writing any,
writes the files itself (never links, never outside the folder, never more bytes than
allowed, counted as they are written), into a temporary folder beside the final one; the
caller reads what it needs (a manifest) and calls `keep()`, which renames the folder into
place. Any refusal raises `PackageRefused` (422, naming the entry and the rule) and leaves
nothing behind.

The rules (each refusal names one):
- a zip file at all (its magic number, and `zipfile` can read its directory);
- at most `limits.max_files` entries and `limits.max_bytes` uncompressed bytes in all;
- entry names: relative, no drive letter, no `..`, no backslash, no control characters,
  not too long, no two entries with the same name, no file where a folder is needed;
- regular files and folders only (no symbolic links, devices or pipes), none encrypted,
  stored or compressed by a method `zipfile` reads;
- compression ratio at most `limits.max_ratio`:1 for each entry over `limits.ratio_floor`
  bytes and for the whole archive; entries may not overlap (the compressed sizes cannot add
  up to more than the archive itself);
- while writing: no entry yields more bytes than its header says, and the total stays under
  the limit (a lying header is caught by the count, not believed).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from lms.errors import InvalidInput

MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or an empty archive's end
METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
MAX_NAME = 1024          # characters in an entry's whole name
MAX_PART = 255           # bytes in one folder or file name (what file systems take)
CHUNK = 64 * 1024
DRIVE = re.compile(r"^[A-Za-z]:")
FOLDER_NAME = re.compile(r"^[0-9a-f]{32}$")


class PackageRefused(InvalidInput):
    """An uploaded package broke one of the import rules (422). `entry` is the zip entry at
    fault (or None for the whole upload) and `rule` says which rule."""

    def __init__(self, rule: str, entry: str | None = None, field: str = "file"):
        message = f"zip entry {entry!r}: {rule}" if entry is not None else rule
        super().__init__(f"{field}: {message}", errors=[{"field": field, "detail": message}])
        self.rule = rule
        self.entry = entry
        self.reason = message


@dataclass(frozen=True)
class Limits:
    """How much one package may hold."""

    max_files: int = 5000
    max_bytes: int = 500 * 1024 * 1024
    max_ratio: float = 100.0
    ratio_floor: int = 1024 * 1024  # entries smaller than this may compress as well as they do

    @classmethod
    def from_config(cls, config) -> Limits:
        """The limits set in the app's configuration (`PACKAGE_MAX_FILES`, ...)."""
        return cls(max_files=config.get("PACKAGE_MAX_FILES", cls.max_files),
                   max_bytes=config.get("PACKAGE_MAX_BYTES", cls.max_bytes),
                   max_ratio=config.get("PACKAGE_MAX_RATIO", cls.max_ratio))


@dataclass(frozen=True)
class Entry:
    """One checked zip entry: its `info` and the relative `path` it will be written to."""

    info: zipfile.ZipInfo
    path: str

    @property
    def is_dir(self) -> bool:
        return self.info.is_dir()


class Extraction:
    """A package being extracted: `path` is the (temporary) folder holding its files until
    `keep()` renames it into place and returns the final folder's name."""

    def __init__(self, path: Path, parent: Path, file_count: int, size: int):
        self.path = path
        self.parent = parent
        self.file_count = file_count
        self.size = size
        self.folder: str | None = None

    def keep(self) -> str:
        """Move the files into their final folder (a fresh random name under the parent) and
        return that name."""
        folder = secrets.token_hex(16)
        os.rename(self.path, self.parent / folder)
        self.path = self.parent / folder
        self.folder = folder
        return folder


@contextmanager
def extracting(source: str | os.PathLike | BinaryIO, parent: str | os.PathLike,
               limits: Limits = Limits()) -> Iterator[Extraction]:
    """Check and extract the zip `source` (a path or a seekable binary file) into a
    temporary folder under `parent`, and yield it as an `Extraction`.

    Leaving the block without `keep()`, or by an exception (even after `keep()`), removes
    the folder.
    Raises `PackageRefused` for any broken rule, before or while writing."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    with _open_zip(source) as archive:
        entries = check_entries(archive, limits, _archive_size(source))
        work = Path(tempfile.mkdtemp(prefix=".incoming-", dir=parent))
        extraction = Extraction(work, parent, 0, 0)
        try:
            extraction.size = _write_entries(archive, entries, work, limits)
            extraction.file_count = sum(not e.is_dir for e in entries)
            yield extraction
        except BaseException:
            shutil.rmtree(extraction.path, ignore_errors=True)
            raise
        if extraction.folder is None:
            shutil.rmtree(extraction.path, ignore_errors=True)


def remove_folder(parent: str | os.PathLike, folder: str) -> None:
    """Delete a kept package folder (when the row that names it could not be stored)."""
    if FOLDER_NAME.match(folder):
        shutil.rmtree(Path(parent) / folder, ignore_errors=True)


# -- opening -------------------------------------------------------------------------------

def _archive_size(source) -> int:
    if hasattr(source, "seek"):
        position = source.tell()
        source.seek(0, os.SEEK_END)
        size = source.tell()
        source.seek(position)
        return size
    return os.path.getsize(source)


@contextmanager
def _open_zip(source) -> Iterator[zipfile.ZipFile]:
    if hasattr(source, "read"):
        source.seek(0)
        magic = source.read(4)
        source.seek(0)
    else:
        with open(source, "rb") as handle:
            magic = handle.read(4)
    if magic not in MAGIC or not zipfile.is_zipfile(source):
        raise PackageRefused("is not a zip file (a package must be uploaded as a .zip)")
    if hasattr(source, "seek"):
        source.seek(0)
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise PackageRefused(f"is not a readable zip file ({exc})") from exc
    with archive:
        yield archive


# -- checks before writing anything ---------------------------------------------------------

def check_entries(archive: zipfile.ZipFile, limits: Limits, archive_size: int) -> list[Entry]:
    """Every entry of `archive`, checked against the rules (see the module's docstring)
    from what its headers say; raises `PackageRefused` at the first broken rule."""
    infos = archive.infolist()
    if len(infos) > limits.max_files:
        raise PackageRefused(f"holds {len(infos)} entries; at most {limits.max_files} are "
                             "allowed (PACKAGE_MAX_FILES)")
    entries, files, folders = [], set(), set()
    total = compressed = 0
    for info in infos:
        path = entry_path(info)
        _check_kind(info)
        entry = Entry(info, path)
        _check_place(entry, files, folders)
        if not entry.is_dir:
            total += info.file_size
            compressed += info.compress_size
            _check_ratio(info.file_size, info.compress_size, limits, info.orig_filename)
        entries.append(entry)
    if not files:
        raise PackageRefused("holds no files")
    if total > limits.max_bytes:
        raise PackageRefused(f"would unpack to {total} bytes; at most {limits.max_bytes} are "
                             "allowed (PACKAGE_MAX_BYTES)")
    if compressed > archive_size:
        raise PackageRefused("has entries that overlap one another (a zip bomb)")
    _check_ratio(total, compressed, limits, None)
    return entries


def entry_path(info: zipfile.ZipInfo) -> str:
    """The relative path an entry may be written to, or `PackageRefused`."""
    raw = info.orig_filename  # as stored: zipfile cuts `filename` at a NUL byte

    def refuse(rule):
        raise PackageRefused(rule, raw)

    if "\\" in raw:
        refuse("backslashes are not allowed in names (a folder separator is '/')")
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        refuse("control characters are not allowed in names")
    if len(raw) > MAX_NAME:
        refuse(f"the name is longer than {MAX_NAME} characters")
    if raw.startswith("/"):
        refuse("absolute paths are not allowed")
    if DRIVE.match(raw):
        refuse("drive letters are not allowed")
    parts = [p for p in raw.split("/") if p not in ("", ".")]
    if ".." in parts:
        refuse("'..' would leave the package folder")
    if not parts:
        refuse("the name is empty")
    if any(len(p.encode("utf-8")) > MAX_PART for p in parts):
        refuse(f"a folder or file name is longer than {MAX_PART} bytes")
    return "/".join(parts)


def _check_kind(info: zipfile.ZipInfo) -> None:
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        raise PackageRefused("symbolic links are not allowed", info.orig_filename)
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise PackageRefused("only files and folders are allowed (not devices or pipes)",
                             info.orig_filename)
    if info.flag_bits & 0x1:
        raise PackageRefused("encrypted entries are not allowed", info.orig_filename)
    if info.compress_type not in METHODS:
        raise PackageRefused(f"compression method {info.compress_type} is not supported "
                             "(use deflate)", info.orig_filename)


def _check_place(entry: Entry, files: set, folders: set) -> None:
    """Names are compared after Unicode normalisation (NFC), so two spellings of one name,
    which some file systems merge, count as duplicates."""
    path = unicodedata.normalize("NFC", entry.path)
    raw = entry.info.orig_filename
    above = path.split("/")[:-1]
    ancestors = {"/".join(above[:i]) for i in range(1, len(above) + 1)}
    if ancestors & files:
        raise PackageRefused("a file of the same name is in the way of this entry's folder",
                             raw)
    if entry.is_dir:
        if path in files:
            raise PackageRefused("a file has the same name as this folder", raw)
        folders.add(path)
    else:
        if path in files:
            raise PackageRefused("the name appears twice in the zip", raw)
        if path in folders:
            raise PackageRefused("a folder has the same name as this file", raw)
        files.add(path)
    folders.update(ancestors)


def _check_ratio(size: int, compressed: int, limits: Limits, entry: str | None) -> None:
    if size > limits.ratio_floor and size > limits.max_ratio * max(compressed, 1):
        ratio = size / max(compressed, 1)
        where = "this entry" if entry is not None else "the archive"
        raise PackageRefused(f"{where} is compressed {ratio:.0f} to 1; more than "
                             f"{limits.max_ratio:g} to 1 is refused as a likely zip bomb",
                             entry)


# -- writing -------------------------------------------------------------------------------

def _write_entries(archive: zipfile.ZipFile, entries: list[Entry], work: Path,
                   limits: Limits) -> int:
    """Write the checked entries under `work`, counting real bytes; returns the total."""
    total = 0
    for entry in entries:
        target = work / entry.path
        if entry.is_dir:
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        total += _write_file(archive, entry, target, total, limits)
    return total


def _write_file(archive: zipfile.ZipFile, entry: Entry, target: Path, so_far: int,
                limits: Limits) -> int:
    raw = entry.info.orig_filename
    written = 0
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        with archive.open(entry.info) as stream, \
                os.fdopen(os.open(target, flags, 0o644), "wb") as out:
            while chunk := stream.read(CHUNK):
                written += len(chunk)
                if written > entry.info.file_size:
                    raise PackageRefused("holds more bytes than its header says", raw)
                if so_far + written > limits.max_bytes:
                    raise PackageRefused(f"the package unpacks to more than "
                                         f"{limits.max_bytes} bytes (PACKAGE_MAX_BYTES)", raw)
                out.write(chunk)
    except PackageRefused:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError,
            RuntimeError) as exc:
        raise PackageRefused(f"is damaged and cannot be read ({exc})", raw) from exc
    except OSError as exc:
        raise PackageRefused(f"cannot be written ({exc.strerror or exc})", raw) from exc
    if written != entry.info.file_size:
        raise PackageRefused("holds fewer bytes than its header says", raw)
    _check_ratio(written, entry.info.compress_size, limits, raw)
    return written
