"""Finding and parsing a package's manifest (`tincan.xml`, `imsmanifest.xml`, `cmi5.xml`):
the parts every manifest reader shares.

A manifest is at the package's root, or inside its one top folder (a package zipped with its
folder around it; the `__MACOSX/` and `.DS_Store` that macOS adds to the zips it makes are
not counted). It is parsed with defusedxml and may hold no DTD, so entity expansion (billion
laughs) and external entities (XXE) are refused, never resolved.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET

from lms.content.safe_zip import PackageRefused

MACOS_LEFTOVERS = ("__MACOSX", ".DS_Store")


@dataclass(frozen=True)
class ManifestFile:
    """A manifest found in an extracted package: its `path`, the folder it is in relative to
    the package (`base`, "" at the root) and how messages name it (`where`)."""

    path: Path
    base: str
    where: str


def find_manifest(folder: Path, name: str) -> Path | None:
    """The manifest `name` of the package extracted in `folder`, or None."""
    if (folder / name).is_file():
        return folder / name
    top = [p for p in folder.iterdir() if p.name not in MACOS_LEFTOVERS]
    if len(top) == 1 and top[0].is_dir() and (top[0] / name).is_file():
        return top[0] / name
    return None


def locate_manifest(folder: Path, name: str, needed_by: str, max_bytes: int) -> ManifestFile:
    """The manifest `name`, checked for size; PackageRefused when it is missing ("the package
    has no NAME at its root (NEEDED_BY needs one)") or larger than `max_bytes`."""
    path = find_manifest(folder, name)
    if path is None:
        raise PackageRefused(f"the package has no {name} at its root ({needed_by} needs one)")
    base = path.parent.relative_to(folder).as_posix()
    base = "" if base == "." else base
    where = f"{base}/{name}" if base else name
    if path.stat().st_size > max_bytes:
        raise PackageRefused(f"{where} is larger than {max_bytes} bytes")
    return ManifestFile(path, base, where)


def parse_manifest(manifest: Path, where: str) -> ET.Element:
    """The manifest's root element, parsed safely; PackageRefused naming `where` for XML
    that is not well-formed or holds a DTD or entity declarations."""
    try:
        return SafeET.parse(str(manifest), forbid_dtd=True).getroot()
    except defusedxml.DTDForbidden as exc:
        raise PackageRefused(f"{where}: a DTD (<!DOCTYPE ...>) is not allowed in a manifest "
                             "(it could declare external or expanding entities)") from exc
    except defusedxml.EntitiesForbidden as exc:
        raise PackageRefused(f"{where}: entity declarations are not allowed in a "
                             "manifest") from exc
    except defusedxml.DefusedXmlException as exc:
        raise PackageRefused(f"{where}: {exc}") from exc
    except ET.ParseError as exc:
        raise PackageRefused(f"{where} is not well-formed XML ({exc})") from exc


def namespace(tag: str) -> str:
    """The namespace of an ElementTree tag ("" for none)."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def local_name(tag: str) -> str:
    """An ElementTree tag without its namespace."""
    return tag.rsplit("}", 1)[-1]
