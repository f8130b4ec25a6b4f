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
from lms.content import tincan
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


def import_package(activity: Activity, source: str | os.PathLike | BinaryIO,
                   uploaded_by=None) -> ContentPackage:
    """Import the zip `source` as the activity's new current package and return it (flushed,
    not committed: see `commit_import`). Raises Conflict (409) when the activity's type takes
    no packages or another activity already uses the package's activity id, and
    `PackageRefused` (422) for anything wrong with the zip or its manifest."""
    kinds = check_takes_packages(activity)
    limits = Limits.from_config(current_app.config)
    with extracting(source, packages_folder(), limits) as extraction:
        if not tincan.has_manifest(extraction.path):
            raise PackageRefused(_missing_manifest(kinds))
        manifest = tincan.read_package(extraction.path)
        _check_root_activity_free(activity, manifest.root_activity_id)
        folder = extraction.keep()
        package = ContentPackage(
            activity_id=activity.id, kind="xapi", folder=folder, title=manifest.title,
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


def commit_import(package: ContentPackage) -> None:
    """Commit the session holding a new package; if that fails, remove its files too."""
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        remove_folder(packages_folder(), package.folder)
        raise


def _missing_manifest(kinds: tuple[str, ...]) -> str:
    wanted = {"xapi": "tincan.xml"}
    names = " or ".join(wanted.get(k, k) for k in kinds)
    return f"the package has no {names} at its root"


def _check_root_activity_free(activity: Activity, root_activity_id: str) -> None:
    """Statements about a package's activity id count for the activity that holds it, so
    two activities cannot share one."""
    other = db.session.execute(
        db.select(Activity).join(ContentPackage, ContentPackage.activity_id == Activity.id)
        .where(ContentPackage.root_activity_id == root_activity_id,
               Activity.id != activity.id).limit(1)).scalar_one_or_none()
    if other is not None:
        raise Conflict(f"The package's activity id {root_activity_id!r} is already used by "
                       f"activity {other.slug!r}; give each package its own id in tincan.xml.")


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
    """The URL of the package's launch file, with the query its manifest gives (if any)."""
    path, _, query = package.launch_path.partition("?")
    url = file_url(package, path, **kwargs)
    return f"{url}?{query}" if query else url
