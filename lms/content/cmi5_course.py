"""Reading a cmi5 course structure, `cmi5.xml` (zipped with its AUs, or uploaded alone).

The course structure (namespace `https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd`)
holds the course (id, title, description), then AUs and blocks of AUs (blocks may nest). Each
AU has a publisher id, a title, a URL (relative to `cmi5.xml` for a file of the package, or an
absolute http(s) URL), and how it is launched and satisfied (`launchMethod`, `moveOn`,
`masteryScore`, `launchParameters`, `entitlementKey`).

The cmi5 specification has the LMS give the course, each block and each AU an activity id of
its own, which must not be the publisher's id from cmi5.xml (the publisher's id goes in the
statements' `contextActivities.grouping`). Pathway makes them under the catalogue activity's
IRI, from a digest of the publisher's id, so they stay the same when a new version of the
course keeps its ids: `<activity IRI>/cmi5/au/<digest>` (and `/block/`, `/course/`). Every one
of them, and the publisher's ids too, is in `activity_ids`.

The XML is parsed with defusedxml and may hold no DTD, so entity expansion and external
entities are refused, not resolved. Whitespace around every value is removed, as the
specification asks.
"""

from __future__ import annotations

import hashlib
import math
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from lms.content.manifest_files import (
    find_manifest,
    local_name,
    locate_manifest,
    namespace,
    parse_manifest,
)
from lms.content.safe_zip import DRIVE, PackageRefused

NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
MANIFEST = "cmi5.xml"
MAX_MANIFEST_BYTES = 4 * 1024 * 1024  # the specification asks for courses of 1000+ AUs
MAX_DEPTH = 32  # levels of nested blocks
MOVE_ON = ("NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed")
LAUNCH_METHODS = ("AnyWindow", "OwnWindow")
PREFERRED_LANGUAGES = ("en-gb", "en")
# The launch parameters the LMS adds to an AU's URL (cmi5 8.1): the AU's own query may not use
# these names.
LAUNCH_PARAMETERS = ("endpoint", "fetch", "actor", "registration", "activityId")
# The XSD's sequences (CourseStructure.xsd): each element's children in this order; AUs and
# blocks may repeat, and come last.
ORDER = {"courseStructure": ("course", "objectives", "member"),
         "block": ("title", "description", "objectives", "member"),
         "au": ("title", "description", "objectives", "url", "launchParameters",
                "entitlementKey")}


@dataclass(frozen=True)
class Cmi5Course:
    """What `cmi5.xml` says: the `course` (id, lms_id, title, description), its `blocks` and
    `aus` in document order (see `manifest()` for their fields), the nested `structure`, and
    where the course structure file is (`structure_path`, relative to the package folder)."""

    course: dict
    blocks: list[dict]
    aus: list[dict]
    structure: list[dict]
    structure_path: str
    objectives: list[str] = field(default_factory=list)
    kind: str = "cmi5"

    @property
    def title(self) -> str:
        return self.course["title"][:300]

    @property
    def root_activity_id(self) -> str:
        """The course's own (LMS) activity id: `satisfied` statements about the course use it."""
        return self.course["lms_id"]

    @property
    def launch_path(self) -> str:
        """The first AU's file when it is in the package; else `cmi5.xml` itself (an AU on
        another site is not a file of the package)."""
        first = self.aus[0]["url"]
        return self.structure_path if _is_absolute(first) else first

    @property
    def activity_ids(self) -> list[str]:
        """Every IRI statements about which count for the activity: the LMS ids of the
        course, its blocks and AUs, then the publisher's ids from cmi5.xml."""
        ids = [self.course["lms_id"], *(b["lms_id"] for b in self.blocks),
               *(a["lms_id"] for a in self.aus), self.course["id"],
               *(b["id"] for b in self.blocks), *(a["id"] for a in self.aus)]
        return list(dict.fromkeys(ids))

    def manifest(self) -> dict:
        """What is kept of the course structure (`ContentPackage.manifest`)."""
        return {"format": "cmi5", "course": self.course, "blocks": self.blocks,
                "aus": self.aus, "structure": self.structure,
                "structure_path": self.structure_path, "activity_ids": self.activity_ids}


def lms_id(activity_iri: str, kind: str, publisher_id: str) -> str:
    """The activity id Pathway gives a course, block or AU (`kind`) of a catalogue activity:
    never the publisher's id, the same for the same publisher id in every version."""
    digest = hashlib.sha256(publisher_id.encode()).hexdigest()[:20]
    return f"{activity_iri.rstrip('/')}/cmi5/{kind}/{digest}"


def has_manifest(folder: Path) -> bool:
    """Whether the extracted package in `folder` is a cmi5 course (has `cmi5.xml` at its
    root, or in its one top folder)."""
    return find_manifest(folder, MANIFEST) is not None


def read_package(folder: Path, activity_iri: str) -> Cmi5Course:
    """Read and check the course structure of the package extracted in `folder`, giving its
    course, blocks and AUs activity ids under `activity_iri` (the catalogue activity's IRI).

    Raises `PackageRefused` naming the problem: no `cmi5.xml`, XML that is malformed or holds
    a DTD or entities, another root element or namespace, a missing or non-IRI id, the same
    id twice, no AU, an AU without a URL, a relative URL that leaves the package or names a
    file it lacks (and any relative URL in a cmi5.xml uploaded alone), a URL that is not
    http(s), a URL with spaces or with a launch parameter's name in its query, elements out
    of the schema's order, a masteryScore that is not a decimal from 0 to 1, or an unknown
    moveOn or launchMethod."""
    found = locate_manifest(folder, MANIFEST, "a cmi5 course", MAX_MANIFEST_BYTES)
    manifest, base, where = found.path, found.base, found.where
    root = parse_manifest(manifest, where)
    if local_name(root.tag) != "courseStructure" or namespace(root.tag) != NAMESPACE:
        raise PackageRefused(f"{where}: the root element must be <courseStructure> in the "
                             f"namespace {NAMESPACE}, not <{local_name(root.tag)}>"
                             + (f" in {namespace(root.tag)!r}" if namespace(root.tag)
                                else " without a namespace"))
    alone = _holds_only_the_manifest(folder, manifest)
    reader = _Reader(folder, base, where, activity_iri, alone)
    return reader.read(root)


class _Reader:
    """One reading of one course structure (collects ids to find duplicates)."""

    def __init__(self, folder: Path, base: str, where: str, activity_iri: str, alone: bool):
        self.folder, self.base, self.where = folder, base, where
        self.activity_iri = activity_iri
        self.alone = alone
        self.seen: dict[str, str] = {}
        self.blocks: list[dict] = []
        self.aus: list[dict] = []
        self.objectives: list[str] = []

    def refuse(self, message: str):
        raise PackageRefused(f"{self.where}: {message}")

    def check_order(self, element: ET.Element, what: str) -> None:
        """Refuse children of `element` out of the order its XSD sequence gives (the
        specification has LMSs refuse course structures that do not conform to the XSD)."""
        order = ORDER[local_name(element.tag)]
        last = -1
        for child in element:
            if namespace(child.tag) != NAMESPACE:
                continue  # other namespaces: the XSD's extension point
            name = local_name(child.tag)
            name = "member" if name in ("au", "block") else name
            if name not in order:
                continue
            position = order.index(name)
            if position < last or (position == last and name != "member"):
                self.refuse(f"{what}: <{local_name(child.tag)}> is out of place; the course "
                            f"structure schema has the order {', '.join(order)}")
            last = position

    def read(self, root: ET.Element) -> Cmi5Course:
        self.check_order(root, "<courseStructure>")
        course_element = _first(root, "course")
        if course_element is None:
            self.refuse("<courseStructure> has no <course> element")
        course_id = self._id(course_element, "<course>")
        course = {"id": course_id, "lms_id": lms_id(self.activity_iri, "course", course_id),
                  "title": self._langstring(course_element, "title", "<course>",
                                            required=True),
                  "description": self._langstring(course_element, "description", "<course>")}
        objectives = _first(root, "objectives")
        if objectives is not None:
            for objective in _all(objectives, "objective"):
                self.objectives.append(self._id(objective, "<objective>"))
        structure = self._members(root, [], "<courseStructure>")
        if not self.aus:
            self.refuse("the course has no <au>: there is nothing to launch")
        return Cmi5Course(course, self.blocks, self.aus, structure,
                          f"{self.base}/{MANIFEST}" if self.base else MANIFEST,
                          self.objectives)

    def _members(self, parent: ET.Element, blocks: list[str], what: str) -> list[dict]:
        """The AUs and blocks of `parent`, in order, as structure nodes."""
        nodes = []
        for child in parent:
            if namespace(child.tag) != NAMESPACE:
                continue  # vendor extensions (other namespaces) are ignored
            if local_name(child.tag) == "au":
                nodes.append(self._au(child, blocks))
            elif local_name(child.tag) == "block":
                nodes.append(self._block(child, blocks))
        if what != "<courseStructure>" and not nodes:
            self.refuse(f"{what} holds no <au> or <block>")
        return nodes

    def _block(self, element: ET.Element, parents: list[str]) -> dict:
        block_id = self._id(element, "<block>")
        what = f"<block id={block_id!r}>"
        if len(parents) >= MAX_DEPTH:  # the walk is recursive
            self.refuse(f"{what}: blocks are nested more than {MAX_DEPTH} levels deep")
        self.check_order(element, what)
        block = {"index": len(self.blocks), "id": block_id,
                 "lms_id": lms_id(self.activity_iri, "block", block_id),
                 "title": self._langstring(element, "title", what, required=True),
                 "description": self._langstring(element, "description", what),
                 "blocks": list(parents), "aus": []}
        self.blocks.append(block)
        first_au = len(self.aus)
        children = self._members(element, [*parents, block_id], what)
        block["aus"] = list(range(first_au, len(self.aus)))  # nested blocks' AUs included
        return {"type": "block", "id": block_id, "index": block["index"],
                "title": block["title"], "children": children}

    def _au(self, element: ET.Element, blocks: list[str]) -> dict:
        au_id = self._id(element, "<au>")
        what = f"<au id={au_id!r}>"
        self.check_order(element, what)
        move_on = (element.get("moveOn") or "NotApplicable").strip()
        if move_on not in MOVE_ON:
            self.refuse(f"{what}: moveOn {move_on!r} is not one of {', '.join(MOVE_ON)}")
        method = (element.get("launchMethod") or "AnyWindow").strip()
        if method not in LAUNCH_METHODS:
            self.refuse(f"{what}: launchMethod {method!r} is not AnyWindow or OwnWindow")
        url_element = _first(element, "url")
        url = _clean(url_element.text if url_element is not None else "")
        if not url:
            self.refuse(f"{what} has no <url>: every AU needs the address it is launched at")
        au = {"index": len(self.aus), "id": au_id,
              "lms_id": lms_id(self.activity_iri, "au", au_id),
              "title": self._langstring(element, "title", what, required=True),
              "description": self._langstring(element, "description", what),
              "url": self._url(url, what), "launch_method": method, "move_on": move_on,
              "mastery_score": self._mastery_score(element.get("masteryScore"), what),
              "launch_parameters": _text_of(element, "launchParameters"),
              "entitlement_key": _text_of(element, "entitlementKey"),
              "activity_type": _clean(element.get("activityType")), "blocks": list(blocks)}
        self.aus.append(au)
        return {"type": "au", "id": au_id, "index": au["index"], "title": au["title"]}

    def _id(self, element: ET.Element, what: str) -> str:
        value = _clean(element.get("id"))
        if not value:
            self.refuse(f"a {what} has no id")
        if not _is_iri(value):
            self.refuse(f"{what} id {value!r} is not an absolute IRI")
        if value in self.seen:
            self.refuse(f"the id {value!r} is used twice (by a {self.seen[value]} and a "
                        f"{what}); every id in a course structure must be unique")
        self.seen[value] = what
        return value

    def _langstring(self, element: ET.Element, name: str, what: str,
                    required: bool = False) -> str:
        """The text of `name` (a list of langstrings) in the preferred language."""
        holder = _first(element, name)
        strings = [] if holder is None else [
            ((s.get("lang") or "").strip().lower(), _clean(" ".join((s.text or "").split())))
            for s in _all(holder, "langstring")]
        strings = [(lang, text) for lang, text in strings if text]
        if not strings:
            if required:
                self.refuse(f"{what} has no <{name}> with a <langstring>")
            return ""
        for wanted in PREFERRED_LANGUAGES:
            for lang, text in strings:
                if lang == wanted:
                    return text
        for lang, text in strings:
            if lang.startswith("en-"):
                return text
        return strings[0][1]

    def _mastery_score(self, raw: str | None, what: str) -> float | None:
        if raw is None:
            return None
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
            self.refuse(f"{what}: masteryScore {raw!r} is not a decimal from 0 to 1")
        score = float(value)
        return score if math.isfinite(score) else None

    def _url(self, url: str, what: str) -> str:
        """An absolute http(s) URL as it is, or a file of the package relative to the package
        folder (with its query), checked."""
        if any(c.isspace() or ord(c) < 0x20 for c in url):
            self.refuse(f"{what}: url {url!r} is not a valid URL (it holds spaces; write "
                        "them as %20)")
        parts = urlsplit(url)
        taken = sorted({name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
                       & set(LAUNCH_PARAMETERS))
        if taken:
            self.refuse(f"{what}: url {url!r} has {', '.join(taken)} in its query; those "
                        "names are the launch parameters Pathway adds to it")
        if parts.scheme:
            if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
                self.refuse(f"{what}: url {url!r} is not a web address; Pathway launches AUs "
                            "in a browser, from a file of the package or an http(s) URL")
            return url
        if self.alone:
            self.refuse(f"{what}: url {url!r} is relative, but cmi5.xml came alone (not "
                        "zipped with its AUs), so every AU's url must be a full http(s) URL")
        if parts.netloc or url.startswith(("/", "\\")) or DRIVE.match(url):
            self.refuse(f"{what}: url {url!r} is absolute without http(s); give a file of "
                        "the package relative to cmi5.xml, or a full http(s) URL")
        if "\\" in url:
            self.refuse(f"{what}: url {url!r} uses backslashes; use '/' between folders")
        path = unquote(parts.path)
        if not path:
            self.refuse(f"{what}: url {url!r} names no file")
        joined = posixpath.normpath(posixpath.join(self.base, path))
        if joined == ".." or joined.startswith("../") or (
                self.base and not joined.startswith(self.base + "/")):
            self.refuse(f"{what}: url {url!r} leaves the package")
        if not (self.folder / joined).is_file():
            self.refuse(f"{what}: url {url!r} names a file that is not in the package")
        return joined + (f"?{parts.query}" if parts.query else "")


def _is_absolute(url: str) -> bool:
    return bool(urlsplit(url).scheme)




def _holds_only_the_manifest(folder: Path, manifest: Path) -> bool:
    """Whether the package is just the course structure (cmi5.xml uploaded alone)."""
    return [p for p in folder.rglob("*") if p.is_file()] == [manifest]


def _is_iri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and bool(parts.netloc or parts.path) and not any(
        c.isspace() for c in value)


def _clean(value: str | None) -> str:
    return (value or "").strip()






def _all(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if local_name(c.tag) == name and namespace(c.tag) == NAMESPACE]


def _first(element: ET.Element, name: str) -> ET.Element | None:
    found = _all(element, name)
    return found[0] if found else None


def _text_of(element: ET.Element, name: str) -> str | None:
    """The text of child `name`, or None when absent (an empty element is "")."""
    child = _first(element, name)
    return None if child is None else _clean(child.text)
