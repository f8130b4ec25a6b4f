"""The catalogue page: qualifications, units and activities as tables, and importing a
catalogue file as `lms catalogue load` does (all or nothing, then progress recomputed)."""

import io
import tempfile
from datetime import UTC, datetime, timedelta

import pytest
from admin_pages_support import main_text, post_form, sign_in, text_of

from lms.catalogue.models import Activity, Qualification

SMALL = """\
format: pathway-catalogue/1
qualification:
  slug: award-in-calm-support
  title: Award in Calm Support
  credits: 2
  hours: 10
  months_to_complete: 6
  units:
    - slug: calm-support-unit-1
      number: 1
      title: Noticing distress early
      credits: 2
      hours: 10
      activities:
        - {slug: calm-reading, type: reading, title: Reading on early signs, hours: 6,
           learning: self-study}
        - {slug: calm-film, type: film, title: Film of a calm morning, hours: 4,
           learning: self-study, config: {minutes: 20}}
"""


@pytest.fixture
def admin(client, make_user):
    sign_in(client, make_user("admin"))


def upload(client, text, filename="calm.yaml"):
    return post_form(client, "/admin/catalogue", "/admin/catalogue",
                     {"file": (io.BytesIO(text.encode()), filename)},
                     content_type="multipart/form-data")


def test_the_catalogue_is_shown_as_tables(client, admin, catalogue):
    page = main_text(client.get("/admin/catalogue"))
    assert catalogue.title in page
    assert "Units of " + catalogue.title in page
    unit = catalogue.units[0]
    assert f"Unit {unit.number}: {unit.title}" in page
    activity = unit.activities[0]
    assert f"{activity.title} {activity.slug} {activity.type}" in page
    assert "Guided" in page and "Self-study" in page and "Current" in page
    html = client.get("/admin/catalogue").get_data(as_text=True)
    assert '<th scope="col">Hours</th>' in html and "<caption>" in html
    assert 'type="file"' in html and 'enctype="multipart/form-data"' in html
    assert '<label for="file">Catalogue file (YAML)</label>' in html


def test_importing_a_valid_file_changes_the_catalogue(client, db, admin):
    response = upload(client, SMALL)
    assert response.status_code == 302
    shown = client.get(response.headers["Location"])
    flashes = text_of(shown)
    assert "Catalogue loaded: award-in-calm-support: 4 created, 0 updated, 0 retired." in flashes
    assert "Progress: recomputed from 0 statements (the catalogue changed)." in flashes
    assert "Award in Calm Support" in main_text(shown)
    assert "Reading on early signs" in main_text(shown)
    award = db.session.execute(db.select(Qualification).where(
        Qualification.slug == "award-in-calm-support")).scalar_one()
    assert [a.slug for a in award.units[0].activities] == ["calm-reading", "calm-film"]

    # The same file again changes nothing, and says so.
    again = upload(client, SMALL)
    assert "award-in-calm-support: unchanged" in text_of(client.get(again.headers["Location"]))

    # Leaving out an activity retires it: still listed, marked retired.
    without_film = SMALL.split("        - {slug: calm-film")[0].replace("hours: 6,", "hours: 10,")
    assert upload(client, without_film).status_code == 302
    film = db.session.execute(db.select(Activity).where(Activity.slug == "calm-film")
                              ).scalar_one()
    assert film.retired is True
    page = main_text(client.get("/admin/catalogue"))
    assert "Film of a calm morning calm-film film 4 hours Self-study Yes Retired" in page


def test_a_catalogue_change_recomputes_progress(client, db, admin, make_user, enrol,
                                                 catalogue):
    from lms.progress.models import EnrolmentProgress
    from lms.progress.record import finished_statement, record_statements

    learner = make_user("learner")
    enrolment = enrol(learner)
    activity = next(a for a in catalogue.units[0].activities if a.learning == "self-study")
    record_statements([finished_statement(enrolment, activity, datetime.now(UTC),
                                          timedelta(minutes=30))])
    db.session.commit()
    before = db.session.get(EnrolmentProgress, enrolment.id).self_study_hours
    assert before == activity.hours

    import yaml

    from lms.catalogue import DEFAULT_CATALOGUE

    document = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    unit = document["qualification"]["units"][0]
    entry = next(a for a in unit["activities"] if a["slug"] == activity.slug)
    donor = next(a for a in unit["activities"]
                 if a["slug"] != activity.slug and a["hours"] >= 1 and not a.get("config", {})
                 .get("criteria"))
    entry["hours"] += 1
    donor["hours"] -= 1
    response = upload(client, yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
                      "diploma.yaml")
    assert response.status_code == 302
    assert "Progress: recomputed from 1 statements" in text_of(
        client.get(response.headers["Location"]))
    db.session.expire_all()
    assert db.session.get(EnrolmentProgress, enrolment.id).self_study_hours == before + 1


@pytest.mark.parametrize("text, problem", [
    (SMALL.replace("hours: 6,", "hours: 7,"),
     "calm.yaml: qualification.units[0].hours: is 10 but its activities' hours add up to 11"),
    (SMALL.replace("type: reading", "type: hologram"),
     "calm.yaml: qualification.units[0].activities[0].type: "),
    ("format: [unclosed", "calm.yaml: line 1, column "),
])
def test_a_broken_file_shows_its_problems_and_changes_nothing(client, db, admin, catalogue,
                                                              text, problem):
    before = db.session.execute(db.select(Qualification.slug, Qualification.updated_at)
                                ).all()
    response = upload(client, text)
    assert response.status_code == 422
    page = text_of(response)
    assert "Nothing was loaded: calm.yaml has" in page
    assert problem in page
    assert tempfile.gettempdir() not in page  # named as the administrator knows the file
    assert "pathway-catalogue-" not in page
    assert 'role="alert" id="import-problems"' in response.get_data(as_text=True)
    assert db.session.execute(db.select(Qualification.slug, Qualification.updated_at)
                              ).all() == before
    assert db.session.execute(db.select(Activity).where(
        Activity.slug == "calm-reading")).first() is None


def test_a_file_of_another_kind_or_none_is_refused_next_to_the_field(client, db, admin):
    response = upload(client, SMALL, "calm.txt")
    assert response.status_code == 422
    assert "Choose a .yaml or .yml file." in text_of(response)
    none = post_form(client, "/admin/catalogue", "/admin/catalogue", {},
                     content_type="multipart/form-data")
    assert none.status_code == 422
    assert "Choose a catalogue file." in text_of(none)
    assert db.session.execute(db.select(Qualification)).first() is None
