"""Importing content packages for activities, and finding them again.

`import_package(activity, source, uploaded_by)` checks that the activity's type takes
packages, extracts the zip safely (`lms.content.safe_zip`), reads its manifest, moves its
files into `instance/content/packages/<folder>/` and adds the `ContentPackage` (earlier ones
of the activity stop being current). It flushes; the caller commits with `commit_import`,
which removes the files again if the row cannot be stored. A refused package leaves nothing
behind: no folder, no row.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO

from flask import current_app, url_for

from lms.catalogue.models import Activity
from lms.content.models import ContentPackage
from lms.content.safe_zip import Limits, PackageRefused, extracting, remove_folder
from lms.errors import Conflict, NotFound
from lms.extensions import db


def packages_folder() -> Path:
    """Where package folders live: `instance/content/packages/`."""
    return Path(current_app.instance_path) / "content" / "packages"


def package_kinds(activity: Activity) -> tuple[str, ...]:
    """The package kinds (`xapi`, later `scorm12`, `scorm2004`, `cmi5`) the activity's type
    takes, from the type's `package_kinds`; empty when it takes none."""
    kind = current_app.extensions["lms.activity_types"].get(activity.type)
    return tuple(kind.package_kinds)


def check_takes_packages(activity: Activity) -> tuple[str, ...]:
    """The package kinds the activity's type takes; Conflict (409) when it takes none."""
    kinds = package_kinds(activity)
    if not kinds:
        raise Conflict(f"Activity {activity.slug!r} is of type {activity.type!r}, which does "
                       "not take uploaded content packages.")
    return kinds


# The manifest each package kind is recognised by, and the module that reads it. A reader
# module has `has_manifest(folder) -> bool` and `read_package(folder, activity_iri)` returning
# an object with `kind`, `title`, `launch_path`, `root_activity_id`, `activity_ids` (every
# IRI statements about which count for the activity: the root, SCOs, AUs, blocks) and
# `manifest()` (the JSON kept in `ContentPackage.manifest`; it must hold `activity_ids`).
READERS: dict[str, tuple[str, str]] = {
    "xapi": ("tincan.xml", "lms.content.tincan"),
    "scorm12": ("imsmanifest.xml", "lms.content.scorm_manifest"),
    "scorm2004": ("imsmanifest.xml", "lms.content.scorm_manifest"),
    "cmi5": ("cmi5.xml", "lms.content.cmi5_course"),
}


def _reader(kinds: tuple[str, ...], folder: Path, activity: Activity):
    """The reader module of the first kind (of those the activity's type takes) whose
    manifest the extracted package holds, or PackageRefused naming what was looked for."""
    import importlib

    for kind in kinds:
        module = importlib.import_module(READERS[kind][1])
        if module.has_manifest(folder):
            return module
    raise PackageRefused(_missing_manifest(kinds))


def import_package(activity: Activity, source: str | os.PathLike | BinaryIO,
                   uploaded_by=None) -> ContentPackage:
    """Import the zip `source` as the activity's new current package and return it (flushed,
    not committed: see `commit_import`). Raises Conflict (409) when the activity's type takes
    no packages or another activity already uses one of the package's activity ids, and
    `PackageRefused` (422) for anything wrong with the zip or its manifest."""
    from lms.catalogue.iris import activity_iri

    kinds = check_takes_packages(activity)
    limits = Limits.from_config(current_app.config)
    if "cmi5" in kinds:
        source = _standalone_course_structure(source)
    with extracting(source, packages_folder(), limits) as extraction:
        reader = _reader(kinds, extraction.path, activity)
        manifest = reader.read_package(extraction.path, activity_iri(activity))
        if manifest.kind not in kinds:
            raise PackageRefused(f"the package is {KIND_NAMES[manifest.kind]}; activity "
                                 f"{activity.slug!r} takes "
                                 + " or ".join(KIND_NAMES[k] for k in kinds))
        _check_activity_ids_free(activity, manifest.activity_ids)
        folder = extraction.keep()
        package = ContentPackage(
            activity_id=activity.id, kind=manifest.kind, folder=folder, title=manifest.title,
            launch_path=manifest.launch_path, root_activity_id=manifest.root_activity_id,
            manifest=manifest.manifest(), file_count=extraction.file_count,
            size=extraction.size, current=True,
            uploaded_by_id=getattr(uploaded_by, "id", None))
        db.session.execute(db.update(ContentPackage)
                           .where(ContentPackage.activity_id == activity.id,
                                  ContentPackage.current.is_(True))
                           .values(current=False))
        db.session.add(package)
        db.session.flush()  # inside the block: a refused row takes the files with it
    return package


def _standalone_course_structure(source):
    """cmi5 lets a course structure come alone (every AU on the web): an XML document that is
    not a zip becomes a package holding just `cmi5.xml`. Anything else is left as it came."""
    import io
    import zipfile

    if hasattr(source, "read"):
        source.seek(0)
        data = source.read(MAX_STANDALONE_XML + 1)
        source.seek(0)
    else:
        with open(source, "rb") as handle:
            data = handle.read(MAX_STANDALONE_XML + 1)
    if not data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
        return source  # a zip, or something safe_zip refuses as not one
    if len(data) > MAX_STANDALONE_XML:
        raise PackageRefused(f"a cmi5.xml uploaded alone may be at most {MAX_STANDALONE_XML} "
                             "bytes")
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cmi5.xml", data)
    packed.seek(0)
    return packed


MAX_STANDALONE_XML = 4 * 1024 * 1024  # as lms.content.cmi5_course.MAX_MANIFEST_BYTES


KIND_NAMES = {"xapi": "an xAPI package", "scorm12": "a SCORM 1.2 package",
              "scorm2004": "a SCORM 2004 package", "cmi5": "a cmi5 course"}


def commit_import(package: ContentPackage) -> None:
    """Commit the session holding a new package; if that fails, remove its files too."""
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        remove_folder(packages_folder(), package.folder)
        raise


def _missing_manifest(kinds: tuple[str, ...]) -> str:
    names = " or ".join(dict.fromkeys(READERS[k][0] for k in kinds))
    return f"the package has no {names} at its root"


def package_activity_ids(package: ContentPackage) -> list[str]:
    """Every activity IRI statements about which count for the package's activity."""
    ids = list((package.manifest or {}).get("activity_ids") or [])
    if package.root_activity_id and package.root_activity_id not in ids:
        ids.insert(0, package.root_activity_id)
    return ids


def _check_activity_ids_free(activity: Activity, activity_ids: list[str]) -> None:
    """Statements about a package's activity ids count for the activity that holds it, so
    two activities cannot share one."""
    wanted = set(activity_ids)
    others = db.session.execute(
        db.select(ContentPackage, Activity.slug)
        .join(Activity, ContentPackage.activity_id == Activity.id)
        .where(Activity.id != activity.id)).all()
    for package, slug in others:
        taken = wanted.intersection(package_activity_ids(package))
        if taken:
            raise Conflict(f"The package's activity id {sorted(taken)[0]!r} is already used "
                           f"by activity {slug!r}; give each package its own ids in its "
                           "manifest.")


def current_package(activity: Activity) -> ContentPackage | None:
    """The activity's current package, or None."""
    return db.session.execute(
        db.select(ContentPackage).where(ContentPackage.activity_id == activity.id,
                                        ContentPackage.current.is_(True))
        .order_by(ContentPackage.id.desc()).limit(1)).scalar_one_or_none()


def package_of(activity: Activity) -> ContentPackage:
    """The activity's current package: 409 when its type takes none, 404 when none is
    uploaded yet."""
    check_takes_packages(activity)
    package = current_package(activity)
    if package is None:
        raise NotFound(f"Activity {activity.slug!r} has no content package uploaded yet.")
    return package


def package_by_folder(folder: str) -> ContentPackage | None:
    """The package whose files are in `folder`, or None."""
    return db.session.execute(
        db.select(ContentPackage).where(ContentPackage.folder == folder)).scalar_one_or_none()


def file_url(package: ContentPackage, path: str, **kwargs) -> str:
    """The URL of a file of the package (`path` relative to its folder, without a query)."""
    return url_for("content.package_file", folder=package.folder, path=path, **kwargs)


def launch_url(package: ContentPackage, **kwargs) -> str:
    """The URL of the package's launch file, with the query and fragment its manifest gives
    (if any)."""
    rest, _, fragment = package.launch_path.partition("#")
    path, _, query = rest.partition("?")
    url = file_url(package, path, **kwargs)
    url = f"{url}?{query}" if query else url
    return f"{url}#{fragment}" if fragment else url
