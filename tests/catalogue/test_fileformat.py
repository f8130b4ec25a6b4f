"""Checking catalogue files: the shipped Diploma passes, and every kind of mistake is refused
with `FILE: PATH: what was expected`, both by `check_file` and by `lms catalogue check`."""

import copy
from decimal import Decimal

import pytest
import yaml

from lms.catalogue import DEFAULT_CATALOGUE
from lms.catalogue.fileformat import CatalogueError
from lms.catalogue.models import Qualification
from lms.catalogue.operations import check_file

DIPLOMA = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
KNOWN_TYPES = "assessment, cmi5, film, interactive, reading, scorm, tutorial, webinar"
U0 = "qualification.units[0]"


def unit(document, index=0):
    return document["qualification"]["units"][index]


def activity(document, u, a):
    return unit(document, u)["activities"][a]


@pytest.fixture
def write(tmp_path):
    """`write(document)` or `write(text=...)` -> the path of a catalogue file in tmp_path."""

    def make(document=None, text=None, name="catalogue.yaml"):
        path = tmp_path / name
        if text is None:
            text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
        path.write_text(text, encoding="utf-8")
        return path

    return make


def changed(change):
    """The Diploma with one `change(document)` made to it."""
    document = copy.deepcopy(DIPLOMA)
    change(document)
    return document


def _set(*keys_and_value):
    """A change that sets document[k1][k2]...[kn] = value (ints index lists)."""
    *keys, value = keys_and_value

    def change(document):
        target = document
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


def _q(*keys_and_value):
    return _set("qualification", *keys_and_value)


def _act(u, a, *keys_and_value):
    return _q("units", u, "activities", a, *keys_and_value)


def _unit_hours_do_not_add_up(document):
    activity(document, 0, 0)["hours"] = 3  # was 2: the unit's activities now make 81 hours


def _qualification_hours_do_not_add_up(document):
    unit(document, 0)["hours"] = 81  # the unit adds up again, but the units make 361
    activity(document, 0, 0)["hours"] = 3


def _duplicate_slug(document):
    activity(document, 2, 3)["slug"] = activity(document, 0, 1)["slug"]


def _unit_slug_is_the_qualifications(document):
    unit(document, 1)["slug"] = document["qualification"]["slug"]


def _missing_title(document):
    del activity(document, 0, 0)["title"]


def _missing_unit_credits(document):
    del unit(document, 3)["credits"]


def _film_without_minutes(document):
    del activity(document, 0, 1)["config"]["minutes"]


def _criteria_of_another_unit(document):
    activity(document, 0, 11)["config"]["criteria"] = ["1.1", "2.1"]


BAD_DOCUMENTS = {
    "unit hours": (_unit_hours_do_not_add_up, f"{U0}.hours",
                   ["is 80", "add up to 81 hours", "must be equal"]),
    "qualification hours": (_qualification_hours_do_not_add_up, "qualification.hours",
                            ["is 360", "the units' hours add up to 361", "must be equal"]),
    "credits": (_q("units", 0, "credits", 9), "qualification.credits",
                ["is 36", "the units' credits add up to 37 credits", "must be equal"]),
    "duplicate activity slug": (
        _duplicate_slug, "qualification.units[2].activities[3].slug",
        ["'u1-film-lived-experience-of-restriction' is already used at "
         "qualification.units[0].activities[1].slug", "must be unique"]),
    "duplicate unit slug": (
        _unit_slug_is_the_qualifications, "qualification.units[1].slug",
        ["is already used at qualification.slug", "must be unique"]),
    "unknown activity type": (_act(0, 0, "type", "podcast"), f"{U0}.activities[0].type",
                              ["unknown activity type 'podcast'", f"one of: {KNOWN_TYPES}"]),
    "missing activity title": (_missing_title, f"{U0}.activities[0].title",
                               ["Missing data for required field"]),
    "missing unit credits": (_missing_unit_credits, "qualification.units[3].credits",
                             ["Missing data for required field"]),
    "missing qualification": (lambda d: d.pop("qualification"), "qualification",
                              ["Missing data for required field"]),
    "hours in words": (_act(0, 0, "hours", "two"), f"{U0}.activities[0].hours",
                       ["Not a valid number"]),
    "credits as text": (_q("units", 0, "credits", "eight"), f"{U0}.credits",
                        ["Not a valid integer"]),
    "negative hours": (_act(0, 0, "hours", -2), f"{U0}.activities[0].hours",
                       ["greater than or equal to 0"]),
    "bad slug": (_act(0, 0, "slug", "Live_Webinar"), f"{U0}.activities[0].slug",
                 ["lower-case letters, digits and single hyphens"]),
    "unknown learning": (_act(0, 0, "learning", "taught"), f"{U0}.activities[0].learning",
                         ["Must be one of: guided, self-study"]),
    "film without minutes": (_film_without_minutes, f"{U0}.activities[1].config.minutes",
                             ["Missing data for required field"]),
    "hybrid webinar": (_act(0, 0, "config", "mode", "hybrid"),
                       f"{U0}.activities[0].config.mode", ["Must be one of: live, recorded"]),
    "criteria of another unit": (
        _criteria_of_another_unit, f"{U0}.activities[11].config.criteria",
        ["['2.1'] are not criteria of this unit",
         "(its criteria: ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6'])"]),
    "duplicate unit number": (_q("units", 1, "number", 1), "qualification.units",
                              ["unit number 1 is used 2 times"]),
    "wrong format": (_set("format", "pathway-catalogue/2"), "format",
                     ["must be 'pathway-catalogue/1'"]),
}


def _refusal(path) -> str:
    with pytest.raises(CatalogueError) as caught:
        check_file(path)
    return str(caught.value)


def test_the_shipped_diploma_passes(app):
    qualification = check_file(DEFAULT_CATALOGUE)["qualification"]

    assert qualification["slug"] == "l5-diploma-reducing-restrictive-practices"
    assert len(qualification["units"]) == 5
    assert qualification["credits"] == 36 == sum(u["credits"] for u in qualification["units"])
    assert qualification["hours"] == 360 == sum(u["hours"] for u in qualification["units"])
    for entry in qualification["units"]:
        assert sum(a["hours"] for a in entry["activities"]) == entry["hours"], entry["slug"]


def test_the_shipped_diploma_passes_lms_catalogue_check(runner, db):
    result = runner.invoke(args=["catalogue", "check", str(DEFAULT_CATALOGUE)])

    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{DEFAULT_CATALOGUE}: ok: Level 5 BTEC Diploma in Practice Leadership in Reducing "
        "Restrictive Practices: 5 units, 36 credits, 360 hours\n")
    assert db.session.scalars(db.select(Qualification)).all() == []  # nothing was loaded


@pytest.mark.parametrize("change, field, expected", BAD_DOCUMENTS.values(),
                         ids=BAD_DOCUMENTS.keys())
def test_a_bad_file_is_refused_naming_file_field_and_expectation(app, write, change, field,
                                                                 expected):
    path = write(changed(change))

    message = _refusal(path)

    [line] = [line for line in message.splitlines() if line.startswith(f"{path}: {field}: ")]
    for words in expected:
        assert words in line


@pytest.mark.parametrize("change, field, expected",
                         [BAD_DOCUMENTS[k] for k in ("unit hours", "credits", "hybrid webinar")],
                         ids=["unit hours", "credits", "hybrid webinar"])
def test_lms_catalogue_check_refuses_a_bad_file(runner, write, change, field, expected):
    path = write(changed(change))

    result = runner.invoke(args=["catalogue", "check", str(path)])

    assert result.exit_code == 1
    assert f"{path}: {field}: " in result.output
    for words in expected:
        assert words in result.output
    assert "ok:" not in result.output


def test_every_problem_is_reported_at_once(app, write):
    def two_mistakes(document):
        _unit_hours_do_not_add_up(document)
        _act(3, 1, "type", "podcast")(document)

    path = write(changed(two_mistakes))

    problems = _refusal(path).splitlines()

    assert len(problems) == 2
    assert problems[0].startswith(f"{path}: {U0}.hours: is 80 but")
    assert problems[1].startswith(f"{path}: qualification.units[3].activities[1].type: unknown")


def test_hours_finer_than_the_database_keeps_are_refused(app, write):
    # 1.125 + 1.875 add up, but would be stored as 1.13 and 1.88 hours.
    def thousandths(document):
        activity(document, 0, 0)["hours"] = 1.125
        activity(document, 0, 1)["hours"] = 1.875

    path = write(changed(thousandths))

    message = _refusal(path)

    assert f"{path}: {U0}.activities[0].hours: must have at most 2 decimal places" in message
    assert f"{path}: {U0}.activities[1].hours: must have at most 2 decimal places" in message


def test_hours_with_two_decimal_places_are_fine(app, write):
    def hundredths(document):
        activity(document, 0, 0)["hours"] = 1.25
        activity(document, 0, 1)["hours"] = 1.75

    document = check_file(write(changed(hundredths)))

    assert activity(document, 0, 0)["hours"] == Decimal("1.25")


def test_invalid_yaml_is_refused_with_line_and_column(app, runner, write):
    text = DEFAULT_CATALOGUE.read_text(encoding="utf-8").replace(
        "\n  months_to_complete: 18\n", "\n  months_to_complete: 18: months\n")
    path = write(text=text)

    message = _refusal(path)
    result = runner.invoke(args=["catalogue", "check", str(path)])

    assert message.startswith(f"{path}: line 9, column 25: is not valid YAML: ")
    assert "mapping values are not allowed here" in message
    assert result.exit_code == 1
    assert f"{path}: line 9, column 25: is not valid YAML" in result.output


@pytest.mark.parametrize("text", ["- format\n- qualification\n", "just words\n", ""],
                         ids=["list", "string", "empty"])
def test_a_file_that_is_not_a_mapping_is_refused(app, write, text):
    path = write(text=text)

    assert _refusal(path) == (f"{path}: (file): must be a mapping with 'format' and "
                              "'qualification'")


def test_a_missing_file_is_refused(app, tmp_path):
    path = tmp_path / "nowhere.yaml"

    assert _refusal(path).startswith(f"{path}: (file): cannot be read: ")


def test_lms_catalogue_check_reports_each_file(runner, write):
    bad = write(changed(_q("units", 0, "credits", 9)), name="bad.yaml")

    result = runner.invoke(args=["catalogue", "check", str(DEFAULT_CATALOGUE), str(bad)])

    assert result.exit_code == 1
    assert f"{DEFAULT_CATALOGUE}: ok: " in result.output
    assert f"{bad}: qualification.credits: is 36 but" in result.output
