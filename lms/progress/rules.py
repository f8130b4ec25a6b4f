"""The rules of adding up, shared by the incremental route and the rebuild (so both give the
same answer): one learner's activity record from their events, and an enrolment's units,
hours and credits from its activity records."""

import logging
from decimal import Decimal

from activities.base import DONE, STATUSES, Event
from lms.progress.catalogue_index import ActivityInfo, CatalogueIndex

log = logging.getLogger(__name__)

ZERO = Decimal(0)


def activity_progress_row(info: ActivityInfo, enrolment_id: int, events: list[Event]) -> dict:
    """One learner's `activity_progress` row from their events on one activity (oldest
    first): the type's completion rule, the nominal hours once complete (never more), and the
    time actually spent."""
    try:
        completion = info.kind.completion(info.config, events) if info.kind else None
    except Exception:  # one faulty plugin must not stop everyone's progress
        log.exception("activity type %s could not judge activity %s", info.kind.name, info.slug)
        completion = None
    status = completion.status if completion else "started"
    if status not in STATUSES:
        log.error("activity type %s gave an unknown status %r", info.kind.name, status)
        status, completion = "started", None
    done = status in DONE
    return {"enrolment_id": enrolment_id, "activity_id": info.id, "status": status,
            "completed_at": completion.completed_at if done else None,
            "credited_hours": info.hours if done else ZERO,
            "seconds_spent": sum(e.seconds for e in events),
            "first_at": events[0].happened_at, "last_at": max(e.happened_at for e in events),
            "detail": dict(completion.detail) if completion else {}}


def rollup(index: CatalogueIndex, enrolment_id: int, qualification_id: int,
           rows: list[dict]) -> tuple[list[dict], dict | None]:
    """An enrolment's `unit_progress` rows and `enrolment_progress` row from its activity rows.

    A unit is achieved when every required current activity is complete (its practice
    assessment met); only then are its credits awarded. Hours are credited per activity and
    kept apart as guided and self-study. No activity rows: no rollup rows."""
    if not rows:
        return [], None
    by_activity = {row["activity_id"]: row for row in rows}
    units, totals = [], {"guided_hours": ZERO, "self_study_hours": ZERO}
    achieved_times, complete_count = [], 0
    for unit_id in index.units_of.get(qualification_id, []):
        current = index.activities_of_unit.get(unit_id, [])
        hours = {"guided": ZERO, "self-study": ZERO}
        required_done, required_total, started, done_count, last_done = 0, 0, False, 0, None
        for activity_id in current:
            info, row = index.activities[activity_id], by_activity.get(activity_id)
            complete = row is not None and row["status"] in DONE
            started = started or row is not None
            if complete:
                hours[info.learning] += row["credited_hours"]
                done_count += 1
            if info.required:
                required_total += 1
                if complete:
                    required_done += 1
                    last_done = max(filter(None, [last_done, row["completed_at"]]),
                                    default=None)
        achieved = required_total > 0 and required_done == required_total
        units.append({"enrolment_id": enrolment_id, "unit_id": unit_id,
                      "status": "achieved" if achieved else
                      ("in-progress" if started else "not-started"),
                      "achieved_at": last_done if achieved else None,
                      "guided_hours": hours["guided"], "self_study_hours": hours["self-study"],
                      "credits": index.unit_credits[unit_id] if achieved else 0,
                      "activities_complete": done_count})
        totals["guided_hours"] += hours["guided"]
        totals["self_study_hours"] += hours["self-study"]
        complete_count += done_count
        if achieved:
            achieved_times.append(last_done)
    every_unit = bool(units) and len(achieved_times) == len(units)
    enrolment = {"enrolment_id": enrolment_id, **totals,
                 "seconds_spent": sum(row["seconds_spent"] for row in rows),
                 "credits": sum(u["credits"] for u in units),
                 "units_achieved": len(achieved_times),
                 "activities_complete": complete_count,
                 "last_learning_at": max(row["last_at"] for row in rows),
                 "all_units_achieved_at": max(achieved_times) if every_unit else None}
    return units, enrolment
