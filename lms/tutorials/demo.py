"""The demo's tutorials (`lms demo`): the demo tutor's weekly availability with a Christmas
break, group sessions ahead (a weekly evening series, and a small one that is full with a
waitlist), bookings by demo learners, and an individual tutorial booked from a free slot.
Made once, through the same operations as the API, so every rule holds."""

from datetime import date, datetime, time, timedelta

from lms.catalogue.models import Activity
from lms.extensions import db
from lms.people.operations import user_by_email
from lms.timeutil import LONDON, utcnow
from lms.tutorials import bookings, sessions, slots
from lms.tutorials.models import AvailabilityException, TutorialSession
from lms.tutorials.operations import take_lock

WINDOWS = [{"weekday": 1, "starts": time(10), "ends": time(13)},   # Tuesdays
           {"weekday": 3, "starts": time(14), "ends": time(17)}]   # Thursdays


def _activity(slug: str) -> Activity:
    return db.session.execute(db.select(Activity).filter_by(slug=slug)).scalar_one()


def _next(weekday: int, at: time, weeks_ahead: int = 1) -> datetime:
    today = datetime.now(LONDON).date()
    days = (weekday - today.weekday()) % 7 or 7
    day = today + timedelta(days=days + 7 * (weeks_ahead - 1))
    return datetime.combine(day, at, tzinfo=LONDON)


def create_demo_tutorials(tutor_email: str, learner_emails: list[str],
                          individual_email: str) -> bool:
    """Create the demo tutorials once; False when the demo tutor already has sessions."""
    tutor = user_by_email(tutor_email)
    if tutor is None or db.session.execute(
            db.select(TutorialSession.id).where(TutorialSession.tutor_id == tutor.id).limit(1)
    ).first() is not None:
        return False
    take_lock()
    slots.set_availability(tutor.id, WINDOWS, 60, 15)
    christmas = date(datetime.now(LONDON).year, 12, 24)
    if christmas < datetime.now(LONDON).date():
        christmas = date(christmas.year + 1, 12, 24)
    db.session.add(AvailabilityException(tutor_id=tutor.id, first_day=christmas,
                                         last_day=christmas + timedelta(days=8),
                                         reason="Christmas and New Year"))
    learners = [user_by_email(e) for e in learner_emails]
    evening = _next(2, time(18, 30))  # Wednesdays, after a day shift
    series = sessions.create_group_sessions(tutor, _activity(
        "u1-group-tutorial-restrictions-in-our-services"), {
        "starts_at": evening, "ends_at": evening + timedelta(minutes=90), "capacity": 8,
        "meeting_url": "https://meet.pathway.example/u1-restrictions", "weeks": 4,
        "description": "Bring one example of a restriction from your own service."}, tutor)
    small = _next(0, time(10), 2)
    [dilemmas] = sessions.create_group_sessions(tutor, _activity(
        "u1-group-tutorial-human-rights-dilemmas"), {
        "starts_at": small, "ends_at": small + timedelta(minutes=120), "capacity": 2,
        "meeting_url": "https://meet.pathway.example/u1-dilemmas"}, tutor)
    for learner in learners[:4]:
        bookings.book_group(series[0], learner, learner)
    for learner in learners[:3]:  # two places: the third learner waits
        bookings.book_group(dilemmas, learner, learner)
    individual = user_by_email(individual_email)
    first_day = datetime.now(LONDON).date() + timedelta(days=2)
    free = slots.free_slots(tutor.id, first_day, first_day + timedelta(days=21))
    if free and free[0][0] > utcnow():
        bookings.book_individual(individual, _activity(
            "u1-individual-tutorial-planning-case-study"), free[0][0], individual)
    db.session.flush()
    return True
