"""The learner's own pages: their progress (hours, credits, units, deadline, the pace chart,
what to do next and their next tutorial) and each unit's activities, with a Start button that
posts to the launch route (`learn.launch`).

Everything shown comes from `lms.progress.reports.enrolment_progress`, the same report the
progress API answers with; only the week-by-week hours of the pace chart are read here."""

from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from flask import Blueprint, current_app, render_template, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import joinedload
from werkzeug.routing import BuildError

from lms.access import allow
from lms.catalogue.models import Activity, Unit
from lms.delivery.operations import LAUNCHABLE
from lms.enrolment.operations import enrolment_for, enrolments_of
from lms.errors import NotFound
from lms.extensions import db
from lms.progress.forecast import PACE_WEEKS
from lms.progress.models import ActivityProgress
from lms.progress.reports import enrolment_progress, london_today
from lms.timeutil import london
from lms.web.charts import pace_chart
from lms.web.format import day_words, hours_words

bp = Blueprint("learner_pages", __name__, template_folder="templates")

# Status values as a person reads them (the badge shows the words, never colour alone).
STATUS_WORDS = {
    "not-started": "Not started", "started": "Started", "in-progress": "In progress",
    "completed": "Completed", "passed": "Passed", "failed": "Not passed yet",
    "achieved": "Achieved", "on-track": "On track", "at-risk": "At risk",
}
FORECAST_WORDS = {"not-started": "Too early to tell", "on-track": "On track",
                  "at-risk": "At risk", "achieved": "Hours complete"}


@bp.app_template_filter("learner_status")
def learner_status(value: str) -> str:
    """'not-started' -> 'Not started' (an unknown status as it is)."""
    return STATUS_WORDS.get(value, value.replace("-", " ").capitalize())


def _own_enrolment(enrolment_id: int):
    """The signed-in learner's own enrolment `enrolment_id`, else 404: these pages are the
    learner's, so even a tutor who may see the enrolment elsewhere is not shown it here."""
    enrolment = enrolment_for(current_user, enrolment_id)
    if enrolment.learner_id != current_user.id:
        raise NotFound(f"enrolment: there is no enrolment {enrolment_id} of yours.")
    return enrolment


def weekly_hours(enrolment, today: date) -> list[tuple[date, float]]:
    """The learner's credited hours, cumulative, at the start of their window and at the end
    of each week since (Sundays), up to today: the line of the pace chart. Empty before the
    window starts. Read from the activities' completion times, so the last point is the
    hours the progress report shows."""
    start = enrolment.start_date
    if today < start:
        return []
    rows = db.session.execute(
        db.select(ActivityProgress.completed_at, ActivityProgress.credited_hours)
        .join(Activity, ActivityProgress.activity_id == Activity.id)
        .where(ActivityProgress.enrolment_id == enrolment.id,
               ActivityProgress.completed_at.is_not(None),
               ActivityProgress.credited_hours > 0, Activity.retired.is_(False))).all()
    done = sorted((london(completed_at).date(), hours) for completed_at, hours in rows)
    days = [day for day, _ in done]
    running, total = [], Decimal(0)
    for _, hours in done:
        total += hours
        running.append(total)

    def by(day: date) -> float:
        count = bisect_right(days, day)
        return float(running[count - 1]) if count else 0.0

    points = [start]
    sunday = start + timedelta(days=6 - start.weekday())
    while sunday < today:
        if sunday > start:
            points.append(sunday)
        sunday += timedelta(days=7)
    if points[-1] != today:
        points.append(today)
    return [(day, by(day)) for day in points]


def pace_words(forecast: dict, window_ends: date) -> str:
    """The pace forecast in a sentence: where the learner stands, their pace and the pace
    their deadline needs."""
    status = forecast["status"]
    pace = forecast["hours_per_week"]
    needed = forecast["needed_hours_per_week"]
    deadline = day_words(window_ends)
    if status == "achieved":
        return "You have all the learning hours the qualification needs."
    if needed is None:
        return (f"Your window to complete ended on {deadline} with "
                f"{hours_words(forecast['remaining_hours'])} still to do. Talk to your tutor "
                "about an extension.")
    need = f"To finish by your deadline, {deadline}, you need about " \
           f"{hours_words(needed)} a week."
    if status == "on-track":
        return (f"On track: at your recent pace of {hours_words(pace)} a week you would "
                f"have all the hours by {day_words(forecast['projected_completion'])}. {need}")
    if status == "at-risk":
        if not pace:
            return (f"At risk: no hours have been credited in the last {PACE_WEEKS} weeks. "
                    f"{need}")
        return (f"At risk: you are learning about {hours_words(pace)} a week, which would "
                f"finish on {day_words(forecast['projected_completion'])}, after your "
                f"deadline. {need}")
    return f"Too early to tell: your pace shows once you have learnt for a while. {need}"


def _launch_target(kind, enrolment, activity: dict) -> dict:
    """How the learner opens an activity from a page: a Start button (a form posting to the
    launch route), a link to the evidence submission page, or a sentence."""
    if kind is None:
        return {"how": "none", "note": "This activity cannot be opened on this server."}
    if kind.assessed:
        if "assessment_pages.submit" in current_app.view_functions:
            try:
                label = "Submit evidence" if activity["status"] == "not-started" \
                    else "See your evidence and feedback"
                return {"how": "link", "label": label, "url": url_for(
                    "assessment_pages.submit", enrolment_id=enrolment.id,
                    slug=activity["slug"])}
            except BuildError:
                pass
        return {"how": "none", "note": "Evidence is submitted through your tutor."}
    if enrolment.status not in LAUNCHABLE:
        return {"how": "none", "note": ""}
    label = "Start" if activity["status"] == "not-started" else \
        "Open again" if activity["complete"] else "Continue"
    return {"how": "launch", "label": label, "url": url_for(
        "learn.launch", enrolment_id=enrolment.id, slug=activity["slug"])}


def _types() -> dict:
    return current_app.extensions["lms.activity_types"]


def _next_up(progress: dict, enrolment) -> dict | None:
    """The next required activity, with its unit's number and how to open it."""
    found = progress["next_up"]
    if found is None:
        return None
    unit = next(u for u in progress["units"] if u["slug"] == found["unit"])
    activity = next(a for a in unit["activities"] if a["slug"] == found["slug"])
    kind = _types().get(activity["type"])
    return {**activity, "unit_number": unit["number"], "unit_title": unit["title"],
            "type_title": kind.title if kind else activity["type"],
            "open": _launch_target(kind, enrolment, activity)}


def _overview(enrolment, today: date) -> dict:
    """One enrolment's dashboard: the progress report, the pace chart and what is next."""
    progress = enrolment_progress(enrolment, today)
    chart = None
    if today >= enrolment.start_date:
        svg, text = pace_chart(enrolment.start_date, enrolment.window_ends,
                               progress["hours"]["target"], weekly_hours(enrolment, today),
                               progress["forecast"]["projected_completion"], today)
        # pygal builds the SVG as XML from dates, numbers and our own labels: no input of
        # anyone's is in it unescaped.
        chart = {"svg": Markup(svg), "text": text}  # noqa: S704
    return {"enrolment": enrolment, "progress": progress, "chart": chart,
            "pace": pace_words(progress["forecast"], enrolment.window_ends),
            "forecast_words": FORECAST_WORDS.get(progress["forecast"]["status"], ""),
            "next_up": _next_up(progress, enrolment)}


def next_tutorial(learner):
    """The learner's next booked tutorial that has not ended yet (the earliest), or None."""
    from lms.tutorials.models import Booking, TutorialSession

    return db.session.execute(
        db.select(Booking).join(TutorialSession, Booking.session_id == TutorialSession.id)
        .where(Booking.learner_id == learner.id, Booking.status == "booked",
               TutorialSession.status == "scheduled",
               TutorialSession.ends_at > datetime.now(UTC))
        .order_by(TutorialSession.starts_at).limit(1)
        .options(joinedload(Booking.session).joinedload(TutorialSession.tutor))
    ).scalars().first()


def _tutorials_url() -> str | None:
    if "tutorial_pages.index" in current_app.view_functions:
        return url_for("tutorial_pages.index")
    return None


@bp.get("/learn")
@allow("learner")
def dashboard():
    """The learner's progress on each of their enrolments, and their next tutorial."""
    today = london_today()
    overviews = [_overview(enrolment, today) for enrolment in enrolments_of(current_user)]
    return render_template("learner/dashboard.html", overviews=overviews, today=today,
                           next_tutorial=next_tutorial(current_user),
                           tutorials_url=_tutorials_url())


@bp.get("/learn/<int:enrolment_id>/units/<int:number>")
@allow("learner")
def unit(enrolment_id, number):
    """One unit of the learner's qualification: its activities in order with their status,
    hours and time spent, and a button to open each."""
    enrolment = _own_enrolment(enrolment_id)
    progress = enrolment_progress(enrolment)
    found = next((u for u in progress["units"] if u["number"] == number), None)
    if found is None:
        raise NotFound(f"unit: there is no unit {number} in your qualification.")
    record = db.session.execute(db.select(Unit).where(Unit.slug == found["slug"])).scalar_one()
    summaries = dict(db.session.execute(
        db.select(Activity.slug, Activity.summary).where(Activity.unit_id == record.id)).all())
    types = _types()
    activities = []
    for activity in found["activities"]:
        kind = types.get(activity["type"])
        activities.append({**activity, "summary": summaries.get(activity["slug"], ""),
                           "type_title": kind.title if kind else activity["type"],
                           "open": _launch_target(kind, enrolment, activity)})
    return render_template(
        "learner/unit.html", enrolment=enrolment, progress=progress, unit=found,
        summary=record.summary, activities=activities,
        launchable=enrolment.status in LAUNCHABLE,
        units=[(u["number"], u["title"]) for u in progress["units"]])
