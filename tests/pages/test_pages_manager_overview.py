"""The organisation manager's page: their organisation's cohorts, learners' progress (hours,
credits, forecast in words) and tutorials booked ahead; nothing of another organisation's."""

from datetime import UTC, datetime, time, timedelta

import pytest
from admin_pages_support import main_text, sign_in

from lms.catalogue.operations import activity_by_slug
from lms.enrolment.models import Cohort, Organisation
from lms.timeutil import LONDON

GROUP_ACTIVITY = "u1-group-tutorial-restrictions-in-our-services"


@pytest.fixture
def world(db, make_user, enrol):
    """Two organisations, each with a cohort of two learners, a manager for the first, and
    an individual learner of no organisation, all with one tutor."""
    tutor = make_user("tutor", name="Tara Tutor")
    made = {"tutor": tutor}
    for key, name in (("hill", "Hill House"), ("vale", "Vale Care")):
        organisation = Organisation(slug=f"{key}-org", name=name)
        cohort = Cohort(intake=enrol.intake, organisation=organisation, name=f"{name} cohort")
        db.session.add_all([organisation, cohort])
        db.session.commit()
        made[key] = organisation
        made[f"{key}_cohort"] = cohort
        made[f"{key}_learners"] = [
            make_user("learner", name=f"{name} Learner {n}", organisation=organisation)
            for n in (1, 2)]
        for learner in made[f"{key}_learners"]:
            learner.enrolment = enrol(learner, tutor=tutor, cohort=cohort)
    made["manager"] = make_user("org_manager", name="Mona Manager", organisation=made["hill"])
    made["solo"] = make_user("learner", name="Sol Solo")
    made["solo"].enrolment = enrol(made["solo"], tutor=tutor)
    return made


@pytest.fixture
def booked(db, world):
    """A group tutorial next week with a place for one learner of each organisation."""
    from lms.tutorials.bookings import book_group
    from lms.tutorials.sessions import create_group_sessions

    day = datetime.now(LONDON).date() + timedelta(days=7)
    starts = datetime.combine(day, time(10, 0), tzinfo=LONDON)
    tutor = world["tutor"]
    [session] = create_group_sessions(
        tutor, activity_by_slug(GROUP_ACTIVITY),
        {"starts_at": starts, "ends_at": starts + timedelta(minutes=90), "capacity": 1}, tutor)
    for learner in (world["hill_learners"][0], world["vale_learners"][0],
                    world["hill_learners"][1]):
        book_group(session, learner, learner)
    db.session.commit()
    return session


def test_the_manager_sees_their_organisations_learners_only(client, world):
    sign_in(client, world["manager"])
    response = client.get("/organisation")
    assert response.status_code == 200
    assert "<h1>Hill House</h1>" in response.get_data(as_text=True)
    page = main_text(response)
    assert "Hill House Learner 1" in page and "Hill House Learner 2" in page
    assert "Vale Care" not in page
    assert "Sol Solo" not in page
    assert "Learners 2" in page
    assert "Hill House cohort" in page


def test_each_learner_shows_hours_credits_and_forecast_in_words(client, db, world):
    from lms.progress.record import finished_statement, record_statements

    learner = world["hill_learners"][0]
    activity = activity_by_slug("u1-reading-human-rights-and-restriction")
    record_statements([finished_statement(learner.enrolment, activity, datetime.now(UTC),
                                          timedelta(hours=3))])
    db.session.commit()
    sign_in(client, world["manager"])
    page = main_text(client.get("/organisation"))
    assert ("Hill House Learner 1 Hill House cohort 3.5 hours of 360 hours "
            "(0 hours guided, 3.5 hours self-study) 0") in page
    assert "Hill House Learner 2 Hill House cohort 0 hours of 360 hours" in page
    html = client.get("/organisation").get_data(as_text=True)
    assert 'class="status status-at-risk">At risk</span>' in html
    assert "Needs " in page and " a week" in page
    assert "<caption>Progress of 2 learners</caption>" in html


def test_the_manager_sees_their_learners_tutorials_booked(client, world, booked):
    sign_in(client, world["manager"])
    page = main_text(client.get("/organisation"))
    section = page.split("Tutorials booked", 1)[1]
    assert "Hill House Learner 1" in section and "Booked" in section
    assert "Hill House Learner 2" in section and "Waiting list" in section
    assert "Tara Tutor" in section and booked.title in section
    assert "Vale Care" not in page


def test_filtering_by_cohort(client, db, world, make_user, enrol, booked):
    other = Cohort(intake=enrol.intake, organisation=world["hill"], name="Second cohort")
    db.session.add(other)
    db.session.commit()
    newcomer = make_user("learner", name="Nell Newcomer", organisation=world["hill"])
    enrol(newcomer, cohort=other)
    sign_in(client, world["manager"])

    everyone = main_text(client.get("/organisation"))
    assert "Nell Newcomer" in everyone and "Hill House Learner 1" in everyone
    second = main_text(client.get(f"/organisation?cohort={other.id}"))
    assert "Nell Newcomer" in second and "Hill House Learner 1" not in second
    assert "None of your learners in this cohort has a tutorial booked ahead." in second
    first = main_text(client.get(f"/organisation?cohort={world['hill_cohort'].id}"))
    assert "Nell Newcomer" not in first and "Hill House Learner 1" in first

    assert client.get(f"/organisation?cohort={world['vale_cohort'].id}").status_code == 404
    assert client.get("/organisation?cohort=999999").status_code == 404


def test_a_manager_who_also_tutors_sees_only_their_organisation_here(client, db, world,
                                                                     make_user, enrol):
    both = make_user("org_manager", "tutor", name="Tom Both", organisation=world["hill"])
    outsider = make_user("learner", name="Olive Outsider", organisation=world["vale"])
    enrol(outsider, tutor=both)
    sign_in(client, both)
    page = main_text(client.get("/organisation"))
    assert "Hill House Learner 1" in page
    assert "Olive Outsider" not in page and "Vale Care" not in page


def test_a_manager_without_an_organisation_is_told_so(client, make_user, world):
    sign_in(client, make_user("org_manager", name="Nobody's Manager"))
    response = client.get("/organisation")
    assert response.status_code == 200
    assert "Your account is not linked to an organisation yet" in main_text(response)
    assert "Learner" not in main_text(response).replace("learners", "")


@pytest.mark.parametrize("role", ["learner", "tutor", "admin", "verifier"])
def test_other_roles_are_refused(client, make_user, role):
    sign_in(client, make_user(role))
    assert client.get("/organisation").status_code == 403


def test_the_navigation_links_the_page_for_managers(client, world):
    sign_in(client, world["manager"])
    html = client.get("/account").get_data(as_text=True)
    assert '<a href="/organisation">Organisation</a>' in html
    page = client.get("/organisation").get_data(as_text=True)
    assert '<a href="/organisation" aria-current="page">Organisation</a>' in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/organisation")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
