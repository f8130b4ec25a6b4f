"""Tutors' pages: their availability for individual tutorials (weekly windows, slot length
and gap, days away), and their week of tutorials (creating group sessions, cancelling, and
marking attendance once a session has begun).

Every change goes through the same operations as the API (`lms.tutorials`), after the
tutorials lock; forms are read through the API's own schemas, and a refusal is shown on the
page next to its field, or as a message, never as an error page."""

from datetime import date, datetime, time, timedelta
from itertools import groupby

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from lms.access import allow
from lms.catalogue.models import Activity, Unit
from lms.errors import InvalidInput, NotFound, PathwayError
from lms.extensions import db
from lms.timeutil import LONDON, london, utcnow
from lms.tutorials import attendance, schemas, sessions, slots
from lms.tutorials.models import AvailabilityException, TutorialSession
from lms.tutorials.operations import settings_of, take_lock, when_text
from lms.tutorials.visibility import check_runs, session_for, with_details
from lms.web.tutor_forms import (
    EMPTY_WINDOW,
    MAX_WINDOWS,
    WEEKDAYS,
    days_away_words,
    monday_of,
    posted_marks,
    posted_windows,
    saved_windows,
    session_times,
    window_errors,
)
from lms.web.tutorial_changes import (
    activity_by_slug,
    by_day,
    change,
    field_messages,
    given,
    load,
)

bp = Blueprint("tutor_pages", __name__, template_folder="templates")

PREVIEW_DAYS = 14  # free slots shown under the availability editor
SESSION_FIELDS = ("activity", "date", "starts", "ends", "capacity", "meeting_url",
                  "description", "weeks")


def _me():
    return current_user._get_current_object()


# ---- availability ----------------------------------------------------------------------------

def _availability_page(rows=None, settings=None, errors=None, exception=None,
                       exception_errors=None, status=200):
    me = _me()
    saved = settings_of(me.id)
    today = london(utcnow()).date()
    exceptions = db.session.execute(
        db.select(AvailabilityException).where(AvailabilityException.tutor_id == me.id,
                                               AvailabilityException.last_day >= today)
        .order_by(AvailabilityException.first_day, AvailabilityException.id)).scalars().all()
    if rows is None:
        rows = saved_windows(me.id) or [dict(EMPTY_WINDOW)]
    return render_template(
        "tutor/availability.html", rows=rows, weekdays=WEEKDAYS, exceptions=exceptions,
        settings=settings or {"slot_minutes": saved.slot_minutes,
                              "buffer_minutes": saved.buffer_minutes},
        errors=errors or {}, exception=exception or {}, exception_errors=exception_errors or {},
        preview=by_day(slots.free_slots(me.id, today, today + timedelta(days=PREVIEW_DAYS - 1))),
        preview_days=PREVIEW_DAYS), status


@bp.get("/tutor/availability")
@allow("tutor")
def availability():
    """The tutor's weekly windows for individual tutorials, slot length and gap, and the
    days they are away; with the slots learners can book in the next two weeks."""
    return _availability_page()


@bp.post("/tutor/availability")
@allow("tutor")
def availability_save():
    """Save the weekly windows (rows with no times are left out), slot length and gap; or,
    with 'Add a window', show the editor again with one more empty row."""
    me = _me()
    rows = posted_windows(request.form)
    settings = {name: request.form.get(name, "") for name in ("slot_minutes", "buffer_minutes")}
    if request.form.get("action") == "add":
        if len(rows) < MAX_WINDOWS:
            rows.append(dict(EMPTY_WINDOW))
        return _availability_page(rows=rows, settings=settings)
    kept = [i for i, row in enumerate(rows) if row["starts"] or row["ends"]]
    try:
        data = load(schemas.AvailabilitySchema(), {
            "windows": [rows[i] for i in kept],
            **given(request.form, "slot_minutes", "buffer_minutes")})
        change(lambda: slots.set_availability(me.id, data["windows"], data["slot_minutes"],
                                              data["buffer_minutes"]))
    except PathwayError as error:
        return _availability_page(rows=rows, settings=settings,
                                  errors=window_errors(error, kept), status=422)
    saved = settings_of(me.id)
    flash(f"Your availability is saved: {len(kept)} weekly "
          f"{'window' if len(kept) == 1 else 'windows'}, {saved.slot_minutes}-minute "
          f"tutorials with {saved.buffer_minutes} minutes between them.", "success")
    return redirect(url_for("tutor_pages.availability"))


@bp.post("/tutor/availability/exceptions")
@allow("tutor")
def exception_add():
    """Add days away (leave, bank holidays), or a time on those days."""
    me = _me()
    values = given(request.form, "first_day", "last_day", "starts", "ends", "reason")

    def add(data):
        exception = AvailabilityException(
            tutor_id=me.id, first_day=data["first_day"],
            last_day=data["last_day"] or data["first_day"], starts=data["starts"],
            ends=data["ends"], reason=data["reason"])
        db.session.add(exception)
        db.session.flush()
        return exception

    try:
        data = load(schemas.ExceptionSchema(), values)
        exception = change(lambda: add(data))
    except PathwayError as error:
        return _availability_page(exception=values, exception_errors=field_messages(error),
                                  status=422)
    flash(f"Added: away {days_away_words(exception)}.", "success")
    return redirect(url_for("tutor_pages.availability") + "#days-away")


@bp.post("/tutor/availability/exceptions/<int:exception_id>/remove")
@allow("tutor")
def exception_remove(exception_id):
    """Remove days away: the weekly windows apply on those days again."""
    me = _me()

    def remove():
        found = db.session.get(AvailabilityException, exception_id)
        if found is None or found.tutor_id != me.id:
            raise NotFound(f"There is no time away {exception_id} of yours.")
        words = days_away_words(found)
        db.session.delete(found)
        return words

    try:
        words = change(remove)
    except PathwayError as error:
        flash(error.detail, "error")
    else:
        flash(f"Removed: away {words}.", "success")
    return redirect(url_for("tutor_pages.availability") + "#days-away")


# ---- the week of tutorials -------------------------------------------------------------------

def _week_url(monday: date, session_id: int | None = None) -> str:
    return (url_for("tutor_pages.week", start=monday.isoformat())
            + (f"#session-{session_id}" if session_id else ""))


def _group_activities() -> list[tuple[Unit, list[Activity]]]:
    """The activities group sessions can be held for (group tutorials, live webinars), by
    unit."""
    found = db.session.execute(
        db.select(Activity).join(Unit, Activity.unit_id == Unit.id)
        .where(Activity.retired.is_(False), Activity.learning == "guided")
        .options(joinedload(Activity.unit).joinedload(Unit.qualification))
        .order_by(Unit.qualification_id, Unit.number, Activity.position, Activity.id)
    ).scalars().all()
    chosen = []
    for activity in found:
        try:
            sessions.group_activity(activity)
        except InvalidInput:
            continue
        chosen.append(activity)
    return [(unit, list(unit_activities))
            for unit, unit_activities in groupby(chosen, key=lambda a: a.unit)]


def _week_page(monday: date, form=None, errors=None, status=200):
    me = _me()
    start = datetime.combine(monday, time(0), tzinfo=LONDON)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=LONDON)
    held = db.session.execute(with_details(
        db.select(TutorialSession).where(TutorialSession.tutor_id == me.id,
                                         TutorialSession.starts_at >= start,
                                         TutorialSession.starts_at < end)
        .order_by(TutorialSession.starts_at, TutorialSession.id))).unique().scalars().all()
    days = [(monday + timedelta(days=n),
             [s for s in held if london(s.starts_at).date() == monday + timedelta(days=n)])
            for n in range(7)]
    return render_template(
        "tutor/week.html", monday=monday, days=days, now=utcnow(), one_week=timedelta(days=7),
        this_monday=monday_of(None), activities=_group_activities(),
        form=form or {"capacity": "8", "weeks": "1"}, errors=errors or {}), status


@bp.get("/tutor/week")
@allow("tutor")
def week():
    """The tutor's tutorials of one week (Monday to Sunday, London), with who is booked."""
    return _week_page(monday_of(request.args.get("start")))


@bp.post("/tutor/sessions")
@allow("tutor")
def session_create():
    """Create a group session, or a weekly series of them, run by the tutor."""
    me = _me()
    form = {name: request.form.get(name, "").strip() for name in SESSION_FIELDS}
    times, errors = session_times(form)
    made = []
    if not errors:
        try:
            data = load(schemas.SessionCreateSchema(), {
                **given(form, "activity", "capacity", "meeting_url", "description", "weeks"),
                **times})
            made = change(lambda: sessions.create_group_sessions(
                me, activity_by_slug(data["activity"]), data, me))
        except PathwayError as error:
            errors = field_messages(error, {"starts_at": "starts", "ends_at": "ends"})
    if errors:
        monday = monday_of(form["date"]) if "date" not in errors else monday_of(None)
        return _week_page(monday, form=form, errors=errors, status=422)
    first = made[0]
    flash(f"Created: {first.title}, {when_text(first.starts_at)}"
          + (f", and weekly after it ({len(made)} sessions)" if len(made) > 1 else "") + ".",
          "success")
    return redirect(_week_url(monday_of(f"{london(first.starts_at):%Y-%m-%d}"), first.id))


@bp.post("/tutor/sessions/<int:session_id>/cancel")
@allow("tutor")
def session_cancel(session_id):
    """Cancel a session (or it and the later ones of its series); everyone booked or
    waiting is told, with the reason."""
    me = _me()
    back = _week_url(monday_of(request.form.get("week")), session_id)
    reason = request.form.get("reason", "").strip()
    if not reason:
        flash("Give a reason for cancelling: everyone booked is told it.", "error")
        return redirect(back)

    def cancel():
        session = session_for(me, session_id)
        check_runs(me, session)
        if not data["series"]:
            sessions.cancel_session(session, me, data["reason"])
            return [session]
        if session.series_id is None:
            raise InvalidInput.field("series", "this session is not part of a series")
        return sessions.cancel_series_from(session, me, data["reason"])

    try:
        data = load(schemas.SessionCancelSchema(),
                    {"reason": reason, "series": request.form.get("series") == "yes"})
        cancelled = change(cancel)
    except PathwayError as error:
        flash(error.detail, "error")
        return redirect(back)
    first = cancelled[0]
    flash(f"Cancelled: {first.title}, {when_text(first.starts_at)}"
          + (f", and the {len(cancelled) - 1} later sessions of its series"
             if len(cancelled) > 1 else "")
          + ". Everyone booked or waiting has been told.", "success")
    return redirect(back)


@bp.post("/tutor/sessions/<int:session_id>/attendance")
@allow("tutor")
def session_attendance(session_id):
    """Mark who attended a session (with the minutes) and who did not: each attended place
    is recorded in the LRS, so the learner's activity completes and its hours count."""
    me = _me()
    back = _week_url(monday_of(request.form.get("week")), session_id)
    try:
        marks = posted_marks(request.form)
        if not marks:
            raise InvalidInput("Choose Attended or Did not attend for at least one learner.")
        take_lock()
        session = session_for(me, session_id)
        check_runs(me, session)
        places = {b.id: b for b in session.bookings}
        marked, statements = [], []
        for booking_id, attended, minutes in marks:
            if booking_id not in places:
                raise InvalidInput.field("booking", f"booking {booking_id} is not in this "
                                         "session")
            statements += attendance.mark(places[booking_id], attended, minutes, me)
            marked.append(places[booking_id])
        attendance.commit_and_record(marked, statements)
    except PathwayError as error:
        db.session.rollback()
        flash(error.detail, "error")
        return redirect(back)
    came = sum(1 for _, attended, _ in marks if attended)
    flash(f"Attendance saved for {session.title}: {came} attended, {len(marks) - came} did "
          "not attend.", "success")
    return redirect(back)


# ---- changing or moving one session --------------------------------------------------------

EDIT_FIELDS = ("title", "description", "meeting_url", "capacity", "date", "starts", "ends",
               "reason")


def _edit_form(session: TutorialSession) -> dict:
    start = london(session.starts_at)
    return {"title": session.title, "description": session.description,
            "meeting_url": session.meeting_url, "capacity": str(session.capacity),
            "date": f"{start:%Y-%m-%d}", "starts": f"{start:%H:%M}",
            "ends": f"{london(session.ends_at):%H:%M}", "reason": ""}


def _session_page(session, form, errors=None, status=200):
    from lms.tutorials.models import TutorialChange

    history = db.session.execute(
        db.select(TutorialChange).where(TutorialChange.session_id == session.id)
        .options(joinedload(TutorialChange.actor)).order_by(TutorialChange.id)).scalars().all()
    return render_template("tutor/session.html", session=session, form=form,
                           errors=errors or {}, history=history, now=utcnow(),
                           week=_week_url(monday_of(f"{london(session.starts_at):%Y-%m-%d}"),
                                          session.id)), status


@bp.route("/tutor/sessions/<int:session_id>", methods=["GET", "POST"])
@allow("tutor", "admin")
def session_edit(session_id):
    """Change or move one session (title, description, link, capacity, day and times), as
    `PATCH /api/v1/tutorials/sessions/<id>`: everyone booked gets an updated invitation; a
    larger capacity promotes the waitlist. Shows the session's history."""
    me = _me()
    session = session_for(me, session_id)
    check_runs(me, session)
    if request.method == "GET":
        return _session_page(session, _edit_form(session))
    form = {name: request.form.get(name, "").strip() for name in EDIT_FIELDS}
    times, errors = session_times(form)
    if not errors:
        try:
            data = load(schemas.SessionUpdateSchema(), {
                **given(form, "title", "meeting_url", "capacity", "reason"),
                "description": form["description"], **times})

            def update():
                found = session_for(me, session_id)
                check_runs(me, found)
                return sessions.update_session(found, data, me)

            change(update)
        except PathwayError as error:
            errors = field_messages(error, {"starts_at": "starts", "ends_at": "ends"})
    if errors:
        if "form" in errors:
            flash(errors["form"], "error")
        db.session.expire_all()
        return _session_page(session_for(me, session_id), form, errors, status=422)
    flash("Saved. Everyone booked has been told of the change.", "success")
    return redirect(url_for("tutor_pages.session_edit", session_id=session_id))
