"""Fixtures of the tests of the tutor's window and attendance page: tutor Tess with learner
Ada, tutor Otto with learner Olive, an administrator, and the Diploma's activities by type."""

from types import SimpleNamespace

import pytest

from lms.catalogue.models import Activity, Unit


@pytest.fixture
def people(make_user, enrol):
    """Tess (tutor) with Ada, Otto (tutor) with Olive, and Adele (administrator)."""
    tess = make_user("tutor", name="Tess Tutor")
    otto = make_user("tutor", name="Otto Othertutor")
    ada = make_user("learner", name="Ada Ashworth")
    olive = make_user("learner", name="Olive Other")
    return SimpleNamespace(tess=tess, otto=otto, ada=ada, olive=olive,
                           adele=make_user("admin", name="Adele Admin"),
                           enrolment=enrol(ada, tutor=tess), other=enrol(olive, tutor=otto))


@pytest.fixture
def by_type(db, catalogue):
    """`by_type("webinar")`: the Diploma's current activities of that type, in unit order."""
    def find(kind: str) -> list[Activity]:
        return list(db.session.execute(
            db.select(Activity).join(Unit, Activity.unit_id == Unit.id)
            .where(Unit.qualification_id == catalogue.id, Activity.type == kind,
                   Activity.retired.is_(False))
            .order_by(Unit.number, Activity.position, Activity.id)).scalars())

    return find
