"""Content packages, for administrators: every activity whose type takes uploaded content
(an interactive activity's xAPI package, a SCORM activity's SCORM 1.2 or 2004 package, a cmi5
activity's course) with its current package (title, version, when and
by whom it was uploaded), and a form per activity to upload a new one.

An upload goes through the same safe import as `PUT /api/v1/activities/<slug>/package`
(`lms.content.operations.import_package`): a refused package (not a zip, an entry leaving the
folder, too large, no or a bad manifest, ...) is shown next to that activity's file field
and stores nothing; a body over MAX_CONTENT_LENGTH is a message on the page (after a
redirect), not an error page."""

import shutil
import tempfile

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import RequestEntityTooLarge

from lms.access import allow
from lms.catalogue.models import Activity, Unit
from lms.catalogue.operations import activity_by_slug
from lms.content import operations
from lms.content.models import ContentPackage
from lms.content.safe_zip import Limits
from lms.errors import InvalidInput, PathwayError
from lms.extensions import db
from lms.people.models import User
from lms.web.forms import ActionForm

bp = Blueprint("package_pages", __name__, template_folder="templates")


def size_words(size: int | None) -> str:
    """Bytes as people read them, in the binary units limits are set in: '840 bytes',
    '12 kB', '64 MB' (64 MiB)."""
    size = size or 0
    value, unit = float(size), "bytes"
    for bigger in ("kB", "MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    if unit == "bytes":
        return f"{size} bytes"
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value < 10 else f"{value:.0f}"
    return f"{text} {unit}"


def _activities() -> list[Activity]:
    """The current activities whose type takes uploaded packages, in catalogue order."""
    types = current_app.extensions["lms.activity_types"]
    found = db.session.execute(
        db.select(Activity).join(Unit, Activity.unit_id == Unit.id)
        .where(Activity.retired.is_(False))
        .options(joinedload(Activity.unit).joinedload(Unit.qualification))
        .order_by(Unit.qualification_id, Unit.number, Activity.position, Activity.id)
    ).scalars().all()
    return [a for a in found if a.type in types and operations.package_kinds(a)]


def _packages(activity_ids: list[int]) -> dict[int, dict]:
    """Each activity's current package, its version (how many uploads it has had) and its
    uploader's name. Two queries."""
    if not activity_ids:
        return {}
    versions = dict(db.session.execute(
        db.select(ContentPackage.activity_id, func.count(ContentPackage.id))
        .where(ContentPackage.activity_id.in_(activity_ids))
        .group_by(ContentPackage.activity_id)).all())
    current = {}
    for package, uploader in db.session.execute(
            db.select(ContentPackage, User.name)
            .outerjoin(User, ContentPackage.uploaded_by_id == User.id)
            .where(ContentPackage.activity_id.in_(activity_ids),
                   ContentPackage.current.is_(True))
            .order_by(ContentPackage.id)).all():
        current[package.activity_id] = {
            "package": package, "uploader": uploader, "size": size_words(package.size),
            "version": versions.get(package.activity_id, 1),
            "launch_url": operations.launch_url(package)}
    return current


def _groups(activities: list[Activity]) -> list[dict]:
    """The activities by unit (and qualification, when there are several)."""
    several = len({a.unit.qualification_id for a in activities}) > 1
    groups: list[dict] = []
    for activity in activities:
        unit = activity.unit
        if not groups or groups[-1]["unit"] is not unit:
            heading = f"Unit {unit.number}: {unit.title}"
            if several:
                heading = f"{unit.qualification.title}, {heading[0].lower()}{heading[1:]}"
            groups.append({"unit": unit, "heading": heading, "activities": []})
        groups[-1]["activities"].append(activity)
    return groups


def _page(errors: dict[str, str] | None = None, status: int = 200):
    activities = _activities()
    limits = Limits.from_config(current_app.config)
    return render_template(
        "packages/packages.html", groups=_groups(activities),
        packages=_packages([a.id for a in activities]), errors=errors or {},
        form=ActionForm(), max_files=limits.max_files,
        max_unpacked=size_words(limits.max_bytes),
        max_upload=size_words(current_app.config.get("MAX_CONTENT_LENGTH"))), status


def _refusal(error: PathwayError) -> str:
    """What was wrong, as a sentence."""
    detail = error.errors[0]["detail"] if error.errors else error.detail
    detail = detail[:1].upper() + detail[1:]
    return detail if detail.endswith((".", ")", "?")) else detail + "."


@bp.route("/admin/packages", methods=["GET", "POST"])
@allow("admin")
def packages():
    """The activities that take content packages with their current package; uploading a
    new package for one of them."""
    if request.method == "GET":
        return _page()
    slug = request.form.get("activity", "")
    if not ActionForm().validate_on_submit():
        return _page(status=400)
    upload = request.files.get("file")
    try:
        activity = activity_by_slug(slug)
        operations.check_takes_packages(activity)
        if upload is None or not upload.filename:
            raise InvalidInput.field("file", "choose the package's zip file")
        with tempfile.TemporaryFile() as spooled:
            shutil.copyfileobj(upload.stream, spooled)
            package = operations.import_package(activity, spooled,
                                                uploaded_by=current_user._get_current_object())
        operations.commit_import(package)
    except PathwayError as error:
        db.session.rollback()
        flash(f"The package was not stored. {_refusal(error)}", "error")
        return _page(errors={slug: _refusal(error)}, status=error.status)
    flash(f"The package {package.title!r} is now the content of {activity.title!r}.",
          "success")
    return redirect(url_for(".packages") + f"#package-{activity.slug}")


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error):
    """An upload over MAX_CONTENT_LENGTH: said on the page, where nothing changed. (Back to the
    page by a redirect: the form of this request cannot be read, and every page reads its
    forms.)"""
    limit = size_words(current_app.config.get("MAX_CONTENT_LENGTH"))
    flash(f"That file is too large to upload: an upload may be at most {limit}. Nothing was "
          "stored.", "error")
    return redirect(url_for(".packages"), 303)
