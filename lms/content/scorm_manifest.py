"""Reading a SCORM package's manifest, `imsmanifest.xml` (SCORM 1.2, SCORM 2004 2nd, 3rd and
4th edition).

The manifest is looked for at the package's root or in its one top folder. It is parsed with
defusedxml and may hold no DTD, so entity expansion (billion laughs) and external entities
(XXE) are refused, not resolved. The edition comes from `metadata/schemaversion` ("1.2",
"CAM 1.3", "2004 3rd Edition", "2004 4th Edition"), or, when that is missing, from the
namespaces the manifest uses.

The default organization (`organizations@default`, else the first) gives the items in
table-of-contents order; an item's `identifierref` names the resource it launches. A resource
whose `adlcp:scormtype` (1.2) / `adlcp:scormType` (2004) is `sco` makes the item a SCO, which
Pathway tracks as an activity of its own (`sco_iri`); an item launching an asset is opened
but not tracked. Launch paths follow the content packaging rules: the `xml:base` of the
manifest, `<resources>` and `<resource>` in turn, the resource's `href` (percent-encoding
decoded, any query and fragment kept), then the item's `parameters` joined as SCORM 2004's
CAM says (leading `?`/`&` dropped; `#...` only when the href has no fragment; otherwise a
query joined with `&` when the href has one, else `?`). Each must name a file the package
holds, and stay inside it.

What each item hands the SCO at start-up (mastery score, thresholds, launch data, ...) is read
by `lms.content.scorm_sequencing`, which also lists the sequencing features Pathway does not
honour (`ScormPackage.unsupported`).
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn
from urllib.parse import quote, unquote, urlsplit

from lms.content import scorm_sequencing as seq
from lms.content.manifest_files import find_manifest, locate_manifest, namespace, parse_manifest
from lms.content.safe_zip import DRIVE, PackageRefused
from lms.content.scorm_sequencing import attribute, child, children, local, text

MANIFEST = "imsmanifest.xml"
# Larger than tincan.xml's cap: authoring tools list every file of the package in it.
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32  # levels of nested items (the walk is recursive)

CP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
CP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
NAMESPACES_2004 = ("http://www.adlnet.org/xsd/adlcp_v1p3", "http://www.imsglobal.org/xsd/imsss",
                   "http://www.adlnet.org/xsd/adlseq_v1p3",
                   "http://www.adlnet.org/xsd/adlnav_v1p3")
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

SCORM_12 = "1.2"
EDITION_2ND = "2004 2nd Edition"
EDITION_3RD = "2004 3rd Edition"
EDITION_4TH = "2004 4th Edition"


def sco_iri(activity_iri: str, identifier: str) -> str:
    """The activity IRI of the SCO launched by the item `identifier` of the package of the
    catalogue activity `activity_iri`."""
    return f"{activity_iri}/scos/{quote(identifier, safe='')}"


@dataclass(frozen=True)
class ScormItem:
    """One item of the organization, in table-of-contents order: `depth` 0 for the top
    level, `parent` the enclosing item's identifier (None at the top). A launchable item
    has a `launch_path` (relative to the package folder, with its query and fragment); `sco`
    says whether it is tracked (its `activity_id`). `data` holds the values the SCO is given
    at start-up (see `lms.content.scorm_sequencing`)."""

    identifier: str
    title: str
    depth: int
    parent: str | None
    visible: bool = True
    resource: str | None = None
    launch_path: str | None = None
    sco: bool = False
    activity_id: str | None = None
    data: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        """The item as kept in the manifest JSON."""
        return {"identifier": self.identifier, "title": self.title, "depth": self.depth,
                "parent": self.parent, "isvisible": self.visible, "resource": self.resource,
                "launch_path": self.launch_path, "sco": self.sco,
                "activity_id": self.activity_id, "data": self.data}


@dataclass(frozen=True)
class ScormPackage:
    """What `imsmanifest.xml` says: the `kind` ("scorm12" or "scorm2004") and `edition`,
    the package `title`, the first SCO's `launch_path` (else the first launchable item's),
    the catalogue activity's IRI as `root_activity_id`, the organization's `items` and the
    `unsupported` sequencing features it uses (plain-English notes)."""

    kind: str
    edition: str
    title: str
    launch_path: str
    root_activity_id: str
    identifier: str
    schemaversion: str | None
    organization: dict
    items: tuple[ScormItem, ...]
    resources: tuple[dict, ...]
    unsupported: tuple[str, ...] = ()

    @property
    def version(self) -> str:
        """The run-time API version the SCOs talk: "1.2" or "2004"."""
        return "1.2" if self.kind == "scorm12" else "2004"

    @property
    def scos(self) -> list[ScormItem]:
        """The tracked items, in organization order."""
        return [item for item in self.items if item.sco]

    @property
    def activity_ids(self) -> list[str]:
        """The IRIs statements about which count for the activity: its own, then each
        SCO's."""
        return [self.root_activity_id, *(item.activity_id for item in self.scos)]

    def item(self, identifier: str) -> ScormItem:
        """The item with that identifier (KeyError when there is none)."""
        for item in self.items:
            if item.identifier == identifier:
                return item
        raise KeyError(identifier)

    def manifest(self) -> dict:
        """What is kept of the manifest (`ContentPackage.manifest`)."""
        return {"format": "scorm", "edition": self.edition, "version": self.version,
                "schemaversion": self.schemaversion, "identifier": self.identifier,
                "organization": self.organization,
                "items": [item.as_json() for item in self.items],
                "resources": list(self.resources), "activity_ids": self.activity_ids,
                "unsupported": list(self.unsupported)}


def has_manifest(folder: Path) -> bool:
    """Whether the extracted package in `folder` is a SCORM package (has `imsmanifest.xml`,
    at its root or in its one top folder)."""
    return find_manifest(folder, MANIFEST) is not None


def read_package(folder: Path, activity_iri: str) -> ScormPackage:
    """Read and check the manifest of the package extracted in `folder`, for the catalogue
    activity whose IRI is `activity_iri` (its SCOs' IRIs are made from it).

    Raises `PackageRefused` naming the manifest, the element and the problem: no
    `imsmanifest.xml`, XML that is malformed or holds a DTD or entities, a root element that
    is not a SCORM `<manifest>`, no organization and no resources, duplicate identifiers, an
    item naming a resource the manifest lacks, nothing launchable, or a launch path that is
    absolute, leaves the package or names a file it does not hold."""
    found = locate_manifest(folder, MANIFEST, "a SCORM package", MAX_MANIFEST_BYTES)
    return _Reader(folder, found.base, found.where, activity_iri).read(
        parse_manifest(found.path, found.where))








def edition_of(root: ET.Element, where: str) -> tuple[str, str | None]:
    """The edition of the manifest `root` ("1.2" or "2004 ... Edition") and its
    `schemaversion` text (None when missing). Without a schemaversion it names, the
    namespaces decide: an ADL 1.2 one means 1.2; the 2004 ADL or IMS SS ones mean 2004 (4th
    edition when 4th-edition attributes are used, else 3rd); else the root's CP namespace."""
    metadata = child(root, "metadata")
    stated = text(child(metadata, "schemaversion")) if metadata is not None else ""
    version = stated.lower()
    if version in ("1.2", "1.2.0"):
        return SCORM_12, stated
    if "4th" in version:
        return EDITION_4TH, stated
    if "3rd" in version:
        return EDITION_3RD, stated
    if "cam 1.3" in version or version == "1.3" or "2nd" in version:
        return EDITION_2ND, stated
    used = set()
    for element in root.iter():
        if isinstance(element.tag, str):
            used.add(namespace(element.tag))
            used.update(namespace(name) for name in element.attrib)
    if used.intersection(NAMESPACES_2004):
        fourth = any(attribute(e, "completedByMeasure") is not None
                     or attribute(e, "minProgressMeasure") is not None
                     for e in root.iter() if isinstance(e.tag, str)
                     and local(e.tag) == "completionThreshold")
        return (EDITION_4TH if fourth else EDITION_3RD), stated or None
    if ADLCP_12 in used or namespace(root.tag) == CP_12:
        return SCORM_12, stated or None
    if namespace(root.tag) == CP_2004:
        return EDITION_3RD, stated or None
    raise PackageRefused(f"{where}: cannot tell which SCORM edition this is (no "
                         "<schemaversion> in <metadata> and no SCORM namespace)")


class _Reader:
    """One reading of one manifest (keeps the folder, the notes and the refusal context)."""

    def __init__(self, folder: Path, base: str, where: str, activity_iri: str):
        self.folder = folder
        self.base = base
        self.where = where
        self.activity_iri = activity_iri
        self.notes: list[str] = []
        self.edition = ""
        self.identifiers: set[str] = set()
        self.first_title = ""

    def note(self, message: str) -> None:
        if message not in self.notes:
            self.notes.append(message)

    def refuse(self, message: str) -> NoReturn:
        raise PackageRefused(f"{self.where}: {message}")

    def read(self, root: ET.Element) -> ScormPackage:
        root_namespace = namespace(root.tag)
        if local(root.tag) != "manifest" or root_namespace not in ("", CP_12, CP_2004):
            self.refuse(f"the root element must be a SCORM <manifest> (namespace {CP_12} for "
                        f"SCORM 1.2, {CP_2004} for SCORM 2004), not <{local(root.tag)}>"
                        + (f" in namespace {root_namespace}" if root_namespace else ""))
        self.edition, schemaversion = edition_of(root, self.where)
        if children(root, "manifest"):
            self.note(seq.SUB_MANIFESTS)
        resources = self._resources(root)
        organization, items = self._organization(root, resources)
        launchable = [item for item in items if item.launch_path]
        if not launchable:
            self.refuse("no <item> refers to a resource with an href, so there is nothing "
                        "to launch")
        first = next((item for item in launchable if item.sco), launchable[0])
        identifier = attribute(root, "identifier") or ""
        title = (organization.get("title") or self.first_title or identifier
                 or "SCORM package")
        return ScormPackage(
            kind="scorm12" if self.edition == SCORM_12 else "scorm2004",
            edition=self.edition, title=title[:300], launch_path=first.launch_path,
            root_activity_id=self.activity_iri, identifier=identifier,
            schemaversion=schemaversion, organization=organization, items=tuple(items),
            resources=tuple(r.as_json() for r in resources.values()),
            unsupported=tuple(self.notes))

    # -- resources --------------------------------------------------------------------------

    def _resources(self, root: ET.Element) -> dict[str, _Resource]:
        holder = child(root, "resources")
        found: dict[str, _Resource] = {}
        if holder is None:
            return found
        bases = [root.get(XML_BASE, ""), holder.get(XML_BASE, "")]
        for element in children(holder, "resource"):
            identifier = attribute(element, "identifier") or ""
            if not identifier:
                self.refuse("a <resource> has no identifier")
            if identifier in found:
                self.refuse(f"two <resource> elements have the identifier {identifier!r}")
            kind = (attribute(element, "scormtype") or "asset").lower()
            found[identifier] = _Resource(
                identifier=identifier, type=attribute(element, "type") or "",
                scormtype="sco" if kind == "sco" else "asset",
                href=(element.get("href") or "").strip(),
                bases=(*bases, element.get(XML_BASE, "")),
                files=tuple((f.get("href") or "").strip() for f in children(element, "file")),
                dependencies=tuple(attribute(d, "identifierref") or ""
                                   for d in children(element, "dependency")))
        return found

    # -- the organization -------------------------------------------------------------------

    def _organization(self, root: ET.Element, resources: dict[str, _Resource]
                      ) -> tuple[dict, list[ScormItem]]:
        holder = child(root, "organizations")
        organizations = children(holder, "organization") if holder is not None else []
        if not organizations:
            if not resources:
                self.refuse("it has no <organization> and no <resource>, so there is "
                            "nothing to launch")
            return self._resource_package(resources)
        wanted = attribute(holder, "default")
        chosen = next((o for o in organizations if attribute(o, "identifier") == wanted),
                      organizations[0])
        if wanted and attribute(chosen, "identifier") != wanted:
            self.note(f"organizations default {wanted!r} names no <organization>; the first "
                      "one is used")
        if len(organizations) > 1:
            self.note(f"the manifest has {len(organizations)} organizations; only "
                      f"{attribute(chosen, 'identifier')!r} is used")
        collection = seq.sequencing_collection(root)
        if self.edition != SCORM_12:
            seq.sequencing_notes(seq.effective_sequencing(chosen, collection, self.note),
                                 self.note)
        items: list[ScormItem] = []
        submanifests = {attribute(m, "identifier") for m in children(root, "manifest")}
        self._walk(chosen, 0, None, resources, collection, submanifests, items)
        organization = {"identifier": attribute(chosen, "identifier") or "",
                        "title": text(child(chosen, "title")),
                        "structure": attribute(chosen, "structure") or "hierarchical"}
        return organization, items

    def _walk(self, parent: ET.Element, depth: int, parent_id: str | None,
              resources: dict[str, _Resource], collection: dict, submanifests: set,
              items: list[ScormItem]) -> None:
        for element in children(parent, "item"):
            if depth >= MAX_DEPTH:
                self.refuse(f"items are nested more than {MAX_DEPTH} levels deep")
            item = self._item(element, depth, parent_id, resources, collection, submanifests)
            if item.identifier in self.identifiers:
                self.refuse(f"two <item> elements have the identifier {item.identifier!r}")
            self.identifiers.add(item.identifier)
            items.append(item)
            self._walk(element, depth + 1, item.identifier, resources, collection,
                       submanifests, items)

    def _item(self, element: ET.Element, depth: int, parent_id: str | None,
              resources: dict[str, _Resource], collection: dict, submanifests: set
              ) -> ScormItem:
        identifier = attribute(element, "identifier") or ""
        if not identifier:
            under = f"item {parent_id!r}" if parent_id else "the organization"
            self.refuse(f"an <item> (under {under}) has no identifier")
        label = f"<item identifier={identifier!r}>"

        def refuse(message):
            self.refuse(f"{label}: {message}")

        title = text(child(element, "title"))
        self.first_title = self.first_title or title
        title = title or identifier
        visible = seq.flag(attribute(element, "isvisible")) is not False
        reference = attribute(element, "identifierref")
        if self.edition == SCORM_12:
            data = seq.item_data_12(element, self.note, refuse)
        else:
            parts = seq.effective_sequencing(element, collection, self.note)
            data = seq.item_data_2004(element, parts, self.note, refuse)
        if not reference:
            return ScormItem(identifier, title, depth, parent_id, visible, data=data)
        resource = resources.get(reference)
        if resource is None:
            if reference in submanifests:
                refuse(f"identifierref {reference!r} names a sub-manifest; Pathway reads "
                       "only resources of the main manifest")
            refuse(f"identifierref {reference!r} names no <resource> of the manifest")
        if not resource.href:
            refuse(f"its resource {reference!r} has no href, so there is nothing to launch")
        path = self._launch_path(resource, attribute(element, "parameters") or "", label)
        sco = resource.scormtype == "sco"
        return ScormItem(identifier, title, depth, parent_id, visible, reference, path, sco,
                         sco_iri(self.activity_iri, identifier) if sco else None, data)

    def _resource_package(self, resources: dict[str, _Resource]
                          ) -> tuple[dict, list[ScormItem]]:
        """No organization: each SCO resource with an href is an item (else the first
        resource with one), titled by its identifier."""
        self.note("the manifest has no <organization>; its SCO resources are listed as "
                  "items in manifest order")
        with_href = [r for r in resources.values() if r.href]
        chosen = [r for r in with_href if r.scormtype == "sco"] or with_href[:1]
        items = []
        for resource in chosen:
            label = f"<resource identifier={resource.identifier!r}>"
            sco = resource.scormtype == "sco"
            items.append(ScormItem(
                resource.identifier, resource.identifier, 0, None, True, resource.identifier,
                self._launch_path(resource, "", label), sco,
                sco_iri(self.activity_iri, resource.identifier) if sco else None))
        return {"identifier": "", "title": "", "structure": "hierarchical"}, items

    # -- launch paths -----------------------------------------------------------------------

    def _launch_path(self, resource: _Resource, parameters: str, label: str) -> str:
        """The resource's launch file relative to the package folder, with the query and
        fragment of its href and the item's parameters; checked like tincan.xml's launch."""
        href = resource.href

        based = "".join(f" with xml:base {b!r}" for b in resource.bases if b)

        def refuse(rule):
            self.refuse(f"{label}: resource {resource.identifier!r} href {href!r}{based} "
                        f"{rule}")

        for part in (*resource.bases, href):
            pieces = urlsplit(part)
            if pieces.scheme or pieces.netloc or part.startswith(("/", "\\")) \
                    or DRIVE.match(part):
                refuse(f"is absolute; it must be a file of the package, relative to "
                       f"{MANIFEST}")
            if "\\" in part:
                refuse("uses backslashes; use '/' between folders")
        pieces = urlsplit(href)
        path = unquote(pieces.path)
        if not path:
            refuse("names no file")
        # Each xml:base names a folder, with or without its closing '/'.
        bases = [unquote(urlsplit(b).path) for b in resource.bases if b]
        joined = posixpath.normpath(posixpath.join(self.base, *bases, path))
        if joined == ".." or joined.startswith("../") or (
                self.base and not joined.startswith(self.base + "/")):
            refuse("leaves the package")
        if "?" in joined or "#" in joined:
            refuse("names a file with '?' or '#' in its name, which a browser cannot open")
        if not (self.folder / joined).is_file():
            refuse(f"names a file that is not in the package ({joined})")
        query, fragment = join_parameters(pieces.query, pieces.fragment, parameters)
        return joined + (f"?{query}" if query else "") + (f"#{fragment}" if fragment else "")


def join_parameters(query: str, fragment: str, parameters: str) -> tuple[str, str]:
    """The query and fragment of a launch URL whose href has `query` and `fragment`, after
    adding an item's `parameters` as SCORM 2004's CAM says: leading '?' and '&' removed; a
    parameter starting with '#' is the fragment unless the href has one; anything else is
    joined to the query with '&' (or becomes it). The query always comes before the
    fragment, whatever the parameters' order."""
    parameters = parameters.strip().lstrip("?&")
    if not parameters:
        return query, fragment
    if parameters.startswith("#"):
        return query, fragment or parameters[1:]
    extra, _, extra_fragment = parameters.partition("#")
    if extra:
        query = f"{query}&{extra}" if query else extra
    return query, fragment or extra_fragment


@dataclass(frozen=True)
class _Resource:
    identifier: str
    type: str
    scormtype: str
    href: str
    bases: tuple[str, ...]
    files: tuple[str, ...]
    dependencies: tuple[str, ...]

    def as_json(self) -> dict:
        return {"identifier": self.identifier, "type": self.type, "scormtype": self.scormtype,
                "href": self.href or None,
                "xml_base": posixpath.join(*bases) if (bases := [b for b in self.bases if b])
                else None,
                "file_count": len(self.files), "dependencies": list(self.dependencies)}
