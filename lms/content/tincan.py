"""Reading an xAPI (Tin Can) package's manifest, `tincan.xml`.

The manifest lists the package's activities (namespace `http://projecttincan.com/tincan.xsd`);
the first `activity` with a `launch` element is the one Pathway launches: its `id` is the
package's root activity IRI, its `name` the package's title, its `launch` the file to open
(relative to the manifest). The XML is parsed with defusedxml and may hold no DTD, so entity
expansion (billion laughs) and external entities (XXE) are refused, not resolved.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lms.content.manifest_files import (
    find_manifest,
    local_name,
    locate_manifest,
    namespace,
    parse_manifest,
)
from lms.content.safe_zip import DRIVE, PackageRefused

NAMESPACE = "http://projecttincan.com/tincan.xsd"
MANIFEST = "tincan.xml"
MAX_MANIFEST_BYTES = 1024 * 1024


@dataclass(frozen=True)
class TincanPackage:
    """What `tincan.xml` says: the root activity's `root_activity_id`, `title` and
    `launch_path` (relative to the package folder, with any query), and every activity it
    lists (`activities`: id, type, name)."""

    root_activity_id: str
    title: str
    launch_path: str
    activities: list[dict] = field(default_factory=list)
    kind: str = "xapi"

    @property
    def activity_ids(self) -> list[str]:
        """The IRIs statements about which count for the activity: the root activity."""
        return [self.root_activity_id]

    def manifest(self) -> dict:
        """What is kept of the manifest (`ContentPackage.manifest`)."""
        return {"format": "tincan", "activities": self.activities,
                "activity_ids": self.activity_ids}


def has_manifest(folder: Path) -> bool:
    """Whether the extracted package in `folder` is an xAPI package (has `tincan.xml`, at
    its root or in its one top folder)."""
    return find_manifest(folder, MANIFEST) is not None


def read_package(folder: Path, activity_iri: str | None = None) -> TincanPackage:
    """Read and check the manifest of the package extracted in `folder`.

    (`activity_iri`, the catalogue activity's own IRI, is not needed: an xAPI package names
    its own activity ids.) Raises `PackageRefused` naming the problem: no `tincan.xml`, XML
    that is malformed or holds a DTD or entities, no activity with a `launch`, an activity
    without an IRI, or a launch path that is absolute, leaves the package, or names a file it
    does not hold."""
    found = locate_manifest(folder, MANIFEST, "an xAPI package", MAX_MANIFEST_BYTES)
    base, where = found.base, found.where
    root = parse_manifest(found.path, where)
    if local_name(root.tag) != "tincan" or namespace(root.tag) not in ("", NAMESPACE):
        raise PackageRefused(f"{where}: the root element must be <tincan> (namespace "
                             f"{NAMESPACE}), not <{local_name(root.tag)}>")
    activities = [_activity_summary(a) for a in _children(root, "activities", "activity")]
    for element in _children(root, "activities", "activity"):
        launch = _child(element, "launch")
        if launch is None or not (launch.text or "").strip():
            continue
        activity_id = (element.get("id") or "").strip()
        if not _is_iri(activity_id):
            raise PackageRefused(f"{where}: the launched activity's id {activity_id!r} is not "
                                 "an absolute IRI")
        title = _text(element, "name") or activity_id
        path = _launch_path(launch.text.strip(), folder, base, where)
        return TincanPackage(activity_id, title[:300], path, activities)
    raise PackageRefused(f"{where}: no <activity> has a <launch> element, so there is "
                         "nothing to open")






def _launch_path(launch: str, folder: Path, base: str, where: str) -> str:
    """The launch file relative to the package folder (with its query, if any), checked."""

    def refuse(rule):
        raise PackageRefused(f"{where}: launch {launch!r} {rule}")

    parts = urlsplit(launch)
    if parts.scheme or parts.netloc or launch.startswith(("/", "\\")) or DRIVE.match(launch):
        refuse("is absolute; it must be a file of the package, relative to tincan.xml")
    if "\\" in launch:
        refuse("uses backslashes; use '/' between folders")
    path = unquote(parts.path)
    if not path:
        refuse("names no file")
    joined = posixpath.normpath(posixpath.join(base, path))
    if joined == ".." or joined.startswith("../") or (base and not joined.startswith(base + "/")):
        refuse("leaves the package")
    if not (folder / joined).is_file():
        refuse("names a file that is not in the package")
    return joined + (f"?{parts.query}" if parts.query else "")


def _is_iri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and " " not in value


def _activity_summary(element: ET.Element) -> dict:
    return {"id": (element.get("id") or "").strip(), "type": element.get("type") or "",
            "name": _text(element, "name")}






def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if local_name(child.tag) == name:
            return child
    return None


def _children(root: ET.Element, group: str, name: str) -> list[ET.Element]:
    holder = _child(root, group)
    return [] if holder is None else [c for c in holder if local_name(c.tag) == name]


def _text(element: ET.Element, name: str) -> str:
    """The first non-empty text of the `name` children (a name may come in several
    languages; the first given is used)."""
    for child in element:
        if local_name(child.tag) == name and (child.text or "").strip():
            return " ".join(child.text.split())
    return ""
