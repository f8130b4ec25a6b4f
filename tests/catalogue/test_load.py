"""Loading catalogue files: create, reload unchanged, update, retire, and all-or-nothing."""

import copy

import pytest
import yaml
from sqlalchemy import MetaData, Table, select

from lms.catalogue import DEFAULT_CATALOGUE
from lms.catalogue.fileformat import CatalogueError
from lms.catalogue.models import Activity, Criterion, Qualification, Unit
from lms.catalogue.operations import load_file

DIPLOMA = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
SLUG = DIPLOMA["qualification"]["slug"]
CATALOGUE_TABLES = ["qualifications", "units", "criteria", "activities"]


def dump(db, tables=CATALOGUE_TABLES) -> dict:
    """Every committed row of `tables`, as plain tuples."""
    with db.engine.connect() as connection:
        found = {}
        for name in tables:
            table = Table(name, MetaData(), autoload_with=connection)
            found[name] = sorted(connection.execute(select(table)).all(), key=repr)
        return found


@pytest.fixture
def diploma():
    """A copy of the Diploma's document, to change."""
    return copy.deepcopy(DIPLOMA)


@pytest.fixture
def write(tmp_path):
    def make(document, name="catalogue.yaml"):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
        return path

    return make


def units_of(document):
    return document["qualification"]["units"]


def _changed_slugs(before_rows, after_rows) -> list[str]:
    """Slugs of the rows (by id) that differ; the rows of both must have the same ids."""
    before, after = ({row.id: row for row in rows} for rows in (before_rows, after_rows))
    assert set(before) == set(after)
    return [after[i].slug for i in sorted(after) if after[i] != before[i]]


def _count(db, model) -> int:
    return len(db.session.scalars(db.select(model)).all())


def test_loading_creates_everything_in_the_file(app, db, client):
    report = load_file(DEFAULT_CATALOGUE)
    db.session.commit()

    units = units_of(DIPLOMA)
    n_criteria = sum(len(u["criteria"]) for u in units)
    n_activities = sum(len(u["activities"]) for u in units)
    assert report.summary() == (f"{SLUG}: {1 + len(units) + n_criteria + n_activities} "
                                "created, 0 updated, 0 retired")
    assert (_count(db, Qualification), _count(db, Unit)) == (1, 5)
    assert (_count(db, Criterion), _count(db, Activity)) == (n_criteria, n_activities)

    shown = client.get(f"/api/v1/qualifications/{SLUG}").json
    assert shown["title"] == DIPLOMA["qualification"]["title"]
    assert (shown["credits"], shown["hours"], shown["months_to_complete"]) == (36, 360, 18)
    assert [u["slug"] for u in shown["units"]] == [u["slug"] for u in units]
    unit = client.get(f"/api/v1/units/{units[0]['slug']}").json
    assert [c["code"] for c in unit["criteria"]] == [c["code"] for c in units[0]["criteria"]]
    assert [a["slug"] for a in unit["activities"]] == [a["slug"] for a in units[0]["activities"]]
    assert unit["activities"][0]["config"] == {"mode": "live", "minutes": 120, "source": None}


def test_loading_the_same_file_again_changes_nothing(app, db):
    load_file(DEFAULT_CATALOGUE)
    db.session.commit()
    before = dump(db)

    report = load_file(DEFAULT_CATALOGUE)
    db.session.commit()

    assert report.summary() == f"{SLUG}: unchanged"
    assert not report.changed
    assert dump(db) == before


def test_editing_titles_updates_those_rows_only(app, db, client, diploma, write):
    load_file(DEFAULT_CATALOGUE)
    db.session.commit()
    before = dump(db)
    unit, activity = units_of(diploma)[1], units_of(diploma)[1]["activities"][2]
    unit["title"] = "Capable environments"
    activity["title"] = "Film: A capable environment, room by room"

    report = load_file(write(diploma))
    db.session.commit()

    assert report.summary() == f"{SLUG}: 0 created, 2 updated, 0 retired"
    assert report.updated == [f"unit {unit['slug']}", f"activity {activity['slug']}"]
    shown = client.get(f"/api/v1/units/{unit['slug']}").json
    assert shown["title"] == "Capable environments"
    assert shown["activities"][2]["title"] == "Film: A capable environment, room by room"
    after = dump(db)
    assert after["criteria"] == before["criteria"]
    # The same rows (ids) were updated in place; no other unit or activity changed.
    assert _changed_slugs(before["units"], after["units"]) == [unit["slug"]]
    assert _changed_slugs(before["activities"], after["activities"]) == [activity["slug"]]

    assert load_file(write(diploma)).summary() == f"{SLUG}: unchanged"


def test_an_activity_removed_from_the_file_is_retired_not_deleted(app, db, client, diploma,
                                                                  write):
    load_file(DEFAULT_CATALOGUE)
    db.session.commit()
    unit = units_of(diploma)[0]
    gone = unit["activities"].pop(2)  # 3 hours of interactive...
    unit["activities"][2]["hours"] += gone["hours"]  # ...now spent on the reading after it
    slug = gone["slug"]
    row_id = db.session.scalars(db.select(Activity.id).where(Activity.slug == slug)).one()

    report = load_file(write(diploma))
    db.session.commit()

    assert report.retired == [f"activity {slug}"]
    # The activities after it moved up one place, and the reading got its hours.
    moved = [a["slug"] for a in unit["activities"][2:]]
    assert report.updated == [f"activity {s}" for s in moved]
    kept = db.session.get(Activity, row_id)
    assert kept is not None and kept.retired and kept.slug == slug
    listed = client.get("/api/v1/activities?limit=500").json
    assert slug not in [a["slug"] for a in listed["items"]]
    assert len(listed["items"]) == sum(len(u["activities"]) for u in units_of(diploma))
    shown = client.get(f"/api/v1/units/{unit['slug']}").json
    assert [a["slug"] for a in shown["activities"]] == [a["slug"] for a in unit["activities"]]
    assert shown["activity_count"] == len(unit["activities"])
    assert shown["guided_hours"] + shown["self_study_hours"] == shown["hours"] == 80
    assert client.get(f"/api/v1/activities/{slug}").status_code == 404

    # Putting it back into the file brings the same activity back.
    back = load_file(DEFAULT_CATALOGUE)
    db.session.commit()
    assert back.retired == []
    assert not db.session.get(Activity, row_id).retired
    assert client.get(f"/api/v1/activities/{slug}").json["title"] == gone["title"]


def test_units_can_be_renumbered(app, db, client, diploma, write):
    load_file(DEFAULT_CATALOGUE)
    db.session.commit()
    first, second = units_of(diploma)[0], units_of(diploma)[1]
    first["number"], second["number"] = 2, 1

    report = load_file(write(diploma))
    db.session.commit()

    assert report.updated == [f"unit {first['slug']}", f"unit {second['slug']}"]
    shown = client.get(f"/api/v1/qualifications/{SLUG}").json
    assert [u["slug"] for u in shown["units"][:2]] == [second["slug"], first["slug"]]
    assert [u["number"] for u in shown["units"]] == [1, 2, 3, 4, 5]


def _bad_hours(document):
    document["qualification"]["title"] = "A new title that must not be stored"
    units_of(document)[0]["activities"][0]["hours"] = 3


def _unit_removed(document):
    # A valid file, refused only when loaded: units cannot be removed by a load.
    document["qualification"]["title"] = "A new title that must not be stored"
    units_of(document)[1]["title"] = "Neither must this"
    gone = units_of(document).pop()
    document["qualification"]["credits"] -= gone["credits"]
    document["qualification"]["hours"] -= gone["hours"]


BAD = {"bad hours": (_bad_hours, "qualification.units[0].hours: is 80 but"),
       "unit removed": (_unit_removed, "qualification.units: units ['organisational-systems-"
                                       "change-to-support-reduction'] are in the database")}


@pytest.mark.parametrize("spoil, problem", BAD.values(), ids=BAD.keys())
def test_a_bad_file_leaves_the_database_as_it_was(app, db, diploma, write, spoil, problem):
    load_file(DEFAULT_CATALOGUE)
    db.session.commit()
    before = dump(db)
    spoil(diploma)
    path = write(diploma)

    with pytest.raises(CatalogueError) as caught:
        load_file(path)
    db.session.rollback()

    assert f"{path}: {problem}" in str(caught.value)
    assert dump(db) == before
    assert load_file(DEFAULT_CATALOGUE).summary() == f"{SLUG}: unchanged"


def _second_qualification(document):
    """`document` made into another qualification, with slugs of its own."""
    qualification = document["qualification"]
    qualification["slug"] = "l5-certificate"
    qualification["title"] = "Level 5 Certificate"
    for unit in qualification["units"]:
        unit["slug"] = f"cert-{unit['slug']}"
        for activity in unit["activities"]:
            activity["slug"] = f"cert-{activity['slug']}"
    return document


def test_lms_catalogue_load_loads_every_file(runner, db, diploma, write):
    second = write(_second_qualification(diploma), name="certificate.yaml")

    result = runner.invoke(args=["catalogue", "load", str(DEFAULT_CATALOGUE), str(second)])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{SLUG}: ") and "created" in lines[0]
    assert lines[1].startswith("l5-certificate: ") and "created" in lines[1]
    assert _count(db, Qualification) == 2
    assert _count(db, Unit) == 10

    again = runner.invoke(args=["catalogue", "load", str(DEFAULT_CATALOGUE), str(second)])
    assert again.output == f"{SLUG}: unchanged\nl5-certificate: unchanged\n"


@pytest.mark.parametrize("spoil, problem", BAD.values(), ids=BAD.keys())
def test_lms_catalogue_load_loads_nothing_when_one_file_is_bad(runner, db, diploma, write,
                                                              spoil, problem):
    everything = ["qualifications", "units", "criteria", "activities"]
    if spoil is _unit_removed:  # only refused when the qualification is already there
        load_file(DEFAULT_CATALOGUE)
        db.session.commit()
        first = write(_second_qualification(copy.deepcopy(diploma)), name="first.yaml")
    else:
        first = DEFAULT_CATALOGUE
    before = dump(db, everything)
    spoil(diploma)
    bad = write(diploma, name="bad.yaml")

    result = runner.invoke(args=["catalogue", "load", str(first), str(bad)])

    assert result.exit_code == 1
    assert "nothing loaded" in result.output
    assert f"{bad}: {problem}" in result.output
    assert dump(db, everything) == before


def test_a_file_cannot_take_over_another_qualifications_units(app, db, catalogue, tmp_path):
    """Slugs are global: reusing the Diploma's unit slug in another qualification is refused,
    and the Diploma keeps its five units and every activity."""
    from lms.catalogue.fileformat import CatalogueError
    from lms.catalogue.operations import load_file, qualification_by_slug

    diploma_unit = catalogue.units[0]
    other = tmp_path / "other.yaml"
    other.write_text(f"""
format: pathway-catalogue/1
qualification:
  slug: another-certificate
  title: Another certificate
  credits: 1
  hours: 10
  months_to_complete: 6
  units:
    - slug: {diploma_unit.slug}
      number: 1
      title: Borrowed
      credits: 1
      hours: 10
      activities:
        - {{slug: borrowed-reading, type: reading, title: R, hours: 10, learning: self-study}}
""")
    with pytest.raises(CatalogueError) as refused:
        load_file(other)
    db.session.rollback()
    assert f"unit {diploma_unit.slug}: belongs to qualification" in str(refused.value)
    diploma = qualification_by_slug(catalogue.slug)
    assert len(diploma.units) == 5
    assert sum(len(unit.activities) for unit in diploma.units) == 70
