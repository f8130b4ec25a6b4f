"""Reading the projection: one learner's progress (qualification, units, activities, hours,
credits, deadline, forecast) and a summary of many learners for tutors and managers."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import isodate
from sqlalchemy import func, select

from activities.base import DONE
from lms.catalogue.models import Activity, Qualification, Unit
from lms.enrolment.models import Enrolment, Intake
from lms.extensions import db
from lms.people.models import User
from lms.progress.forecast import PACE_WEEKS, forecast
from lms.progress.models import ActivityProgress, EnrolmentProgress, UnitProgress
from lms.timeutil import LONDON

ZERO = Decimal(0)


def london_today() -> date:
    return datetime.now(UTC).astimezone(LONDON).date()


def _pace_cutoff(today: date) -> datetime:
    return datetime.combine(today - timedelta(weeks=PACE_WEEKS), time(0), tzinfo=LONDON)


def duration(seconds: float) -> str:
    """Seconds as an ISO 8601 duration (whole seconds)."""
    return isodate.duration_isoformat(timedelta(seconds=round(seconds or 0)))


def achieved_in_window(all_units_achieved_at: datetime | None, window_ends: date) -> bool:
    """The qualification is achieved when its last unit was achieved by the end of the
    learner's window (the end of that day in London)."""
    return all_units_achieved_at is not None and \
        all_units_achieved_at.astimezone(LONDON).date() <= window_ends


def _forecast_dict(enrolment, qualification_hours, credited, recent, today) -> dict:
    result = forecast(today, enrolment.start_date, enrolment.window_ends,
                      qualification_hours, credited, recent)
    return {"status": result.status, "at_risk": result.at_risk,
            "hours_per_week": float(result.hours_per_week),
            "needed_hours_per_week": None if result.needed_hours_per_week is None
            else float(result.needed_hours_per_week),
            "projected_completion": result.projected_completion,
            "remaining_hours": float(result.remaining_hours)}


def enrolment_progress(enrolment: Enrolment, today: date | None = None) -> dict:
    """Everything a learner (or their tutor) sees about one enrolment's progress."""
    today = today or london_today()
    qualification = db.session.get(Qualification, enrolment.intake.qualification_id)
    units = db.session.execute(select(Unit).where(Unit.qualification_id == qualification.id)
                               .order_by(Unit.number)).scalars().all()
    activities = db.session.execute(
        select(Activity).where(Activity.unit_id.in_([u.id for u in units]),
                               Activity.retired.is_(False))
        .order_by(Activity.position, Activity.id)).scalars().all()
    rows = {r.activity_id: r for r in db.session.execute(
        select(ActivityProgress).where(ActivityProgress.enrolment_id == enrolment.id))
        .scalars()}
    unit_rows = {r.unit_id: r for r in db.session.execute(
        select(UnitProgress).where(UnitProgress.enrolment_id == enrolment.id)).scalars()}
    total = db.session.get(EnrolmentProgress, enrolment.id)
    by_unit: dict[int, list[dict]] = {u.id: [] for u in units}
    next_up = None
    for activity in activities:
        row = rows.get(activity.id)
        status = row.status if row else "not-started"
        entry = {
            "slug": activity.slug, "title": activity.title, "type": activity.type,
            "learning": activity.learning, "required": activity.required,
            "hours": float(activity.hours), "status": status,
            "complete": status in DONE,
            "credited_hours": float(row.credited_hours) if row else 0.0,
            "time_spent": duration(row.seconds_spent if row else 0),
            "time_spent_seconds": round(row.seconds_spent) if row else 0,
            "completed_at": row.completed_at if row else None,
            "last_at": row.last_at if row else None,
            "detail": row.detail if row else {},
        }
        by_unit[activity.unit_id].append(entry)
    unit_list = []
    for unit in units:
        row = unit_rows.get(unit.id)
        unit_list.append({
            "slug": unit.slug, "number": unit.number, "title": unit.title,
            "credits": unit.credits, "hours": float(unit.hours),
            "status": row.status if row else "not-started",
            "achieved_at": row.achieved_at if row else None,
            "credits_awarded": row.credits if row else 0,
            "guided_hours": float(row.guided_hours) if row else 0.0,
            "self_study_hours": float(row.self_study_hours) if row else 0.0,
            "activities_complete": row.activities_complete if row else 0,
            "activities": by_unit[unit.id],
        })
        if next_up is None:
            pending = [a for a in by_unit[unit.id] if a["required"] and not a["complete"]]
            if pending:
                next_up = {"unit": unit.slug, "slug": pending[0]["slug"],
                           "title": pending[0]["title"], "type": pending[0]["type"]}
    guided = total.guided_hours if total else ZERO
    self_study = total.self_study_hours if total else ZERO
    current = {a.id for a in activities}
    recent = sum((r.credited_hours for r in rows.values() if r.activity_id in current
                  and r.completed_at and r.completed_at >= _pace_cutoff(today)), ZERO)
    achieved_at = total.all_units_achieved_at if total else None
    return {
        "enrolment": _enrolment_dict(enrolment, today),
        "learner": {"id": enrolment.learner.public_id, "name": enrolment.learner.name},
        "qualification": {"slug": qualification.slug, "title": qualification.title,
                          "credits": qualification.credits,
                          "hours": float(qualification.hours)},
        "hours": {"guided": float(guided), "self_study": float(self_study),
                  "total": float(guided + self_study), "target": float(qualification.hours)},
        "credits": {"awarded": total.credits if total else 0,
                    "target": qualification.credits},
        "units_achieved": total.units_achieved if total else 0,
        "activities_complete": total.activities_complete if total else 0,
        "time_spent": duration(total.seconds_spent if total else 0),
        "time_spent_seconds": round(total.seconds_spent) if total else 0,
        "last_learning_at": total.last_learning_at if total else None,
        "achieved": achieved_in_window(achieved_at, enrolment.window_ends),
        "all_units_achieved_at": achieved_at,
        "forecast": _forecast_dict(enrolment, qualification.hours, guided + self_study,
                                   recent, today),
        "next_up": next_up,
        "units": unit_list,
    }


def _enrolment_dict(enrolment, today: date) -> dict:
    return {"id": enrolment.id, "registration": enrolment.registration,
            "status": enrolment.status, "start_date": enrolment.start_date,
            "window_ends": enrolment.window_ends,
            "days_left": max((enrolment.window_ends - today).days, 0),
            "cohort": enrolment.cohort_id, "intake": enrolment.intake_id}


def progress_summary(enrolments_select, today: date | None = None) -> dict:
    """A summary of every enrolment in `enrolments_select` (a select of Enrolment): each
    learner's hours, credits, units, last learning and forecast, with counts by forecast
    status. Two queries, whatever the number of learners."""
    today = today or london_today()
    ids = enrolments_select.with_only_columns(Enrolment.id).scalar_subquery()
    rows = db.session.execute(
        select(Enrolment, User.public_id, User.name, Qualification.hours,
               EnrolmentProgress)
        .join(User, Enrolment.learner_id == User.id)
        .join(Intake, Enrolment.intake_id == Intake.id)
        .join(Qualification, Intake.qualification_id == Qualification.id)
        .outerjoin(EnrolmentProgress, EnrolmentProgress.enrolment_id == Enrolment.id)
        .where(Enrolment.id.in_(ids)).order_by(User.name, Enrolment.id)).all()
    recent = dict(db.session.execute(
        select(ActivityProgress.enrolment_id, func.sum(ActivityProgress.credited_hours))
        .join(Activity, ActivityProgress.activity_id == Activity.id)
        .where(ActivityProgress.enrolment_id.in_(ids), Activity.retired.is_(False),
               ActivityProgress.completed_at >= _pace_cutoff(today))
        .group_by(ActivityProgress.enrolment_id)).all())
    learners, counts = [], {}
    for enrolment, public_id, name, target, total in rows:
        guided = total.guided_hours if total else ZERO
        self_study = total.self_study_hours if total else ZERO
        outlook = _forecast_dict(enrolment, target, guided + self_study,
                                 Decimal(recent.get(enrolment.id) or 0), today)
        counts[outlook["status"]] = counts.get(outlook["status"], 0) + 1
        learners.append({
            "enrolment": _enrolment_dict(enrolment, today),
            "learner": {"id": public_id, "name": name},
            "hours": {"guided": float(guided), "self_study": float(self_study),
                      "total": float(guided + self_study), "target": float(target)},
            "credits": total.credits if total else 0,
            "units_achieved": total.units_achieved if total else 0,
            "last_learning_at": total.last_learning_at if total else None,
            "achieved": achieved_in_window(total.all_units_achieved_at if total else None,
                                           enrolment.window_ends),
            "forecast": outlook,
            "at_risk": outlook["at_risk"],
        })
    hours = [entry["hours"]["total"] for entry in learners]
    return {"count": len(learners), "at_risk": counts.get("at-risk", 0),
            "by_forecast": counts,
            "average_hours": round(sum(hours) / len(hours), 2) if hours else 0.0,
            "learners": learners}
