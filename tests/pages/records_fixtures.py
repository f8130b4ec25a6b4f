"""Fixtures of the learner records pages' tests: a tutor with three learners on two intakes
of the Diploma (one on track, two at risk), another tutor with a learner of their own, and an
administrator."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from records_support import finish

from lms.catalogue.models import Activity, Unit
from lms.enrolment.models import Cohort, Intake, Organisation
from lms.enrolment.operations import enrol
from lms.progress.reports import london_today


def unit_one(db, catalogue, types=None) -> list[Activity]:
    """Unit 1's current activities (of these types), in catalogue order."""
    statement = (db.select(Activity).join(Unit, Activity.unit_id == Unit.id)
                 .where(Unit.qualification_id == catalogue.id, Unit.number == 1,
                        Activity.retired.is_(False)).order_by(Activity.position, Activity.id))
    activities = db.session.execute(statement).scalars().all()
    return [a for a in activities if types is None or a.type in types]


@pytest.fixture
def people(db, catalogue, make_user):
    """Tutor Tess with Ada (recent intake, learning two days ago: on track), Bea (earlier
    intake, last learnt two months ago: at risk) and Cal (earlier intake, nothing yet: at
    risk); tutor Otto with Olive; administrator Adele."""
    today = london_today()
    earlier = Intake(qualification=catalogue, name="Earlier intake",
                     start_date=today - timedelta(weeks=20))
    recent = Intake(qualification=catalogue, name="Recent intake",
                    start_date=today - timedelta(weeks=3))
    riverside = Organisation(slug="riverside", name="Riverside Care")
    hillside = Organisation(slug="hillside", name="Hillside Homes")
    db.session.add_all([earlier, recent, riverside, hillside])
    db.session.flush()
    riverside_cohort = Cohort(intake=earlier, organisation=riverside, name="Riverside cohort")
    hillside_cohort = Cohort(intake=recent, organisation=hillside, name="Hillside cohort")
    db.session.add_all([riverside_cohort, hillside_cohort])
    db.session.commit()

    tess = make_user("tutor", name="Tess Tutor")
    otto = make_user("tutor", name="Otto Othertutor")
    adele = make_user("admin", name="Adele Admin")
    ada = make_user("learner", name="Ada Ashworth", organisation=hillside)
    bea = make_user("learner", name="Bea Brown")
    cal = make_user("learner", name="Cal Carter", organisation=riverside)
    olive = make_user("learner", name="Olive Other")
    for learner, intake, tutor, cohort in [
            (ada, recent, tess, hillside_cohort), (bea, earlier, tess, None),
            (cal, earlier, tess, riverside_cohort), (olive, recent, otto, None)]:
        learner.enrolment = enrol(learner, intake, tutor=tutor, cohort=cohort)
    db.session.commit()

    self_study = unit_one(db, catalogue, {"film", "reading", "interactive", "webinar"})
    finish(ada.enrolment, self_study, days_ago=2)
    finish(bea.enrolment, self_study[:2], days_ago=60)
    return SimpleNamespace(tess=tess, otto=otto, adele=adele, ada=ada, bea=bea, cal=cal,
                           olive=olive, earlier=earlier, recent=recent,
                           riverside=riverside_cohort, hillside=hillside_cohort)
