"""What a learner's tutor (or an administrator) changes from the learner's record: extending
the window to complete (a new last day and the reason, with the past extensions listed), and
recording attendance at a guided activity held outside Pathway (a live webinar, a tutorial
elsewhere), which completes the activity and counts its guided hours.

The same operations as `POST /api/v1/enrolments/<id>/extensions` and `.../attendance`
(`lms.progress.operations`), the values read through the API's own schemas; a refusal is
shown next to its field, never an error page. Another tutor's learner is a 404, as in the
API."""

from datetime import datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from lms.access import allow
from lms.enrolment.operations import enrolment_for
from lms.errors import InvalidInput, PathwayError
from lms.extensions import db
from lms.progress import operations
from lms.progress.reports import london_today
from lms.progress.schemas import AttendanceSchema, ExtensionSchema
from lms.tutorials.availability import local_to_utc
from lms.web.action_forms import AttendanceForm, ExtensionForm, checked, place_refusal
from lms.web.format import day_words

bp = Blueprint("records_actions", __name__, template_folder="templates")


def _enrolment(enrolment_id: int):
    """The enrolment, if the caller may see it (else 404) and change it (else 403)."""
    enrolment = enrolment_for(current_user, enrolment_id)
    operations.check_tutor_of(enrolment, current_user)
    return enrolment


def _activity_choices(enrolment) -> list[tuple[str, list[tuple[str, str]]]]:
    """The guided activities attendance completes, grouped by unit (for <optgroup>s)."""
    groups: dict[int, tuple[str, list]] = {}
    for activity in operations.attendable_activities(enrolment):
        unit = activity.unit
        groups.setdefault(unit.id, (f"Unit {unit.number}: {unit.title}", []))[1].append(
            (activity.slug, activity.title))
    return list(groups.values())


def _page(enrolment, extension_form=None, attendance_form=None, status=200):
    return render_template(
        "records_actions/page.html", enrolment=enrolment, learner=enrolment.learner,
        extension_form=extension_form or ExtensionForm(prefix="extend", formdata=None),
        attendance_form=attendance_form or AttendanceForm(prefix="attend", formdata=None),
        activity_groups=_activity_choices(enrolment),
        first_new_end=(enrolment.window_ends + timedelta(days=1)).isoformat(),
        extensions=operations.extensions_of(enrolment),
        days_left=max((enrolment.window_ends - london_today()).days, 0)), status


def _refused(enrolment_id: int, form, error: PathwayError, **forms):
    """The page again, the refusal next to the field it names (or as a message)."""
    db.session.rollback()
    placed = place_refusal(form, error)
    if not placed:
        flash(error.detail, "error")
    return _page(enrolment_for(current_user, enrolment_id), **forms,
                 status=422 if placed else error.status)


@bp.get("/learners/<int:enrolment_id>/window-and-attendance")
@allow("tutor", "admin")
def page(enrolment_id):
    """The forms to extend the learner's window and to record their attendance, and the
    window's past extensions."""
    return _page(_enrolment(enrolment_id))


@bp.post("/learners/<int:enrolment_id>/extensions")
@allow("tutor", "admin")
def extend(enrolment_id):
    """Extend the learner's window (a new last day, with the reason)."""
    enrolment = _enrolment(enrolment_id)
    form = ExtensionForm(prefix="extend")
    if not form.validate_on_submit():
        return _page(enrolment, extension_form=form, status=422)
    try:
        data = checked(ExtensionSchema(), {"window_ends": form.window_ends.data.isoformat(),
                                           "reason": form.reason.data.strip()})
        operations.extend_window(enrolment, data["new_end"], data["reason"],
                                 current_user._get_current_object())
        db.session.commit()
    except PathwayError as error:
        return _refused(enrolment_id, form, error, extension_form=form)
    flash(f"{enrolment.learner.name}'s window is extended: their last day is now "
          f"{day_words(enrolment.window_ends)}.", "success")
    return redirect(url_for(".page", enrolment_id=enrolment_id) + "#window")


def _attended_at(form: AttendanceForm) -> datetime | None:
    """The form's London wall-clock time as an instant (None when left empty)."""
    local = form.attended_at.data
    if local is None:
        return None
    instant = local_to_utc(local.date(), local.time())
    if instant is None:
        raise InvalidInput.field("attended_at", "that time does not exist in London (the "
                                 "clocks went forward); choose another")
    return instant


@bp.post("/learners/<int:enrolment_id>/attendance")
@allow("tutor", "admin")
def attend(enrolment_id):
    """Record the learner's attendance at a guided activity (completing it)."""
    enrolment = _enrolment(enrolment_id)
    form = AttendanceForm(prefix="attend")
    if not form.validate_on_submit():
        return _page(enrolment, attendance_form=form, status=422)
    try:
        values = {"activity": form.activity.data, "minutes": form.minutes.data.strip()}
        if (instant := _attended_at(form)) is not None:
            values["attended_at"] = instant.isoformat()
        data = checked(AttendanceSchema(), values)
        operations.record_attendance(enrolment, data["activity"], data["minutes"],
                                     data["attended_at"], current_user._get_current_object())
    except PathwayError as error:
        return _refused(enrolment_id, form, error, attendance_form=form)
    title = next((label for _, options in _activity_choices(enrolment)
                  for slug, label in options if slug == data["activity"]), data["activity"])
    flash(f"Attendance recorded: {enrolment.learner.name} attended {title!r} for "
          f"{data['minutes']} minutes.", "success")
    return redirect(url_for("learner_records.learner", enrolment_id=enrolment_id))
