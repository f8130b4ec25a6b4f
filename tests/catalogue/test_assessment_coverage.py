"""Catalogue checks of assessment: an assessed activity must be required, every criterion of a
unit must be judged by one of its required assessed activities, and an assessment may name
only its own unit's criteria; each refusal `FILE: PATH: expectation`, by `check_file` and by
`lms catalogue check`."""

import copy

import marshmallow as ma
import pytest
import yaml

from activities.base import ActivityType
from lms.catalogue import DEFAULT_CATALOGUE
from lms.catalogue.fileformat import CatalogueError, check_catalogue
from lms.catalogue.operations import check_file

DIPLOMA = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
U0 = "qualification.units[0]"
CASE_STUDY = 11  # unit 1's first assessment: criteria 1.1, 1.3, 1.5, 1.6
REFLECTIVE = 12  # unit 1's second assessment: criteria 1.2, 1.4
READING = 3


def _diploma():
    document = copy.deepcopy(DIPLOMA)
    units = document["qualification"]["units"]
    assert units[0]["activities"][CASE_STUDY]["config"]["criteria"] == ["1.1", "1.3", "1.5",
                                                                        "1.6"]
    assert units[0]["activities"][REFLECTIVE]["config"]["criteria"] == ["1.2", "1.4"]
    assert units[0]["activities"][READING]["type"] == "reading"
    return document


def _activities(document, unit=0):
    return document["qualification"]["units"][unit]["activities"]


@pytest.fixture
def write(tmp_path):
    def make(document):
        path = tmp_path / "catalogue.yaml"
        path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
                        encoding="utf-8")
        return path

    return make


def _problems(path) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        check_file(path)
    return caught.value.problems


def test_an_assessment_that_is_not_required_is_refused(app, write):
    document = _diploma()
    _activities(document)[REFLECTIVE]["required"] = False
    path = write(document)

    problems = _problems(path)

    assert f"{path}: {U0}.activities[{REFLECTIVE}].required: must be true: " \
           "'u1-assessment-reflective-account-impact-and-strategies' is assessed " \
           "('assessment'), and a unit is achieved only when its assessment is met" in problems
    # Its criteria are then judged by no required assessment.
    assert f"{path}: {U0}.criteria: ['1.2', '1.4'] are not assessed: list each criterion in " \
           "the config.criteria of at least one required assessed activity of this unit" \
           in problems
    assert len(problems) == 2


def test_a_criterion_no_assessment_covers_is_refused(app, write):
    document = _diploma()
    _activities(document)[REFLECTIVE]["config"]["criteria"] = ["1.2"]
    path = write(document)

    assert _problems(path) == [
        f"{path}: {U0}.criteria: ['1.4'] are not assessed: list each criterion in the "
        "config.criteria of at least one required assessed activity of this unit"]


def test_a_unit_criterion_added_without_an_assessment_is_refused(app, write):
    document = _diploma()
    document["qualification"]["units"][2]["criteria"].append(
        {"code": "3.9", "text": "Evaluate the restraint reduction plan"})
    path = write(document)

    assert _problems(path) == [
        f"{path}: qualification.units[2].criteria: ['3.9'] are not assessed: list each "
        "criterion in the config.criteria of at least one required assessed activity of this "
        "unit"]


def test_an_assessment_naming_a_criterion_the_unit_lacks_is_refused(app, write):
    document = _diploma()
    _activities(document)[REFLECTIVE]["config"]["criteria"] = ["1.2", "1.4", "1.9"]
    path = write(document)

    assert _problems(path) == [
        f"{path}: {U0}.activities[{REFLECTIVE}].config.criteria: ['1.9'] are not criteria of "
        "this unit (its criteria: ['1.1', '1.2', '1.3', '1.4', '1.5', '1.6'])"]


def test_criteria_covered_twice_and_optional_content_are_fine(app, write):
    document = _diploma()
    _activities(document)[REFLECTIVE]["config"]["criteria"] = ["1.1", "1.2", "1.4"]
    _activities(document)[READING]["required"] = False
    assert check_file(write(document))["qualification"]["units"][0]["activities"][READING][
        "required"] is False


def test_lms_catalogue_check_refuses_an_optional_assessment(runner, write):
    document = _diploma()
    _activities(document)[CASE_STUDY]["required"] = False
    path = write(document)

    result = runner.invoke(args=["catalogue", "check", str(path)])

    assert result.exit_code == 1
    assert f"{path}: {U0}.activities[{CASE_STUDY}].required: must be true" in result.output
    assert f"{path}: {U0}.criteria: ['1.1', '1.3', '1.5', '1.6'] are not assessed" \
        in result.output
    assert "ok:" not in result.output


class _Criteria(ma.Schema):
    criteria = ma.fields.List(ma.fields.String(), load_default=list)


class _Observation(ActivityType):
    """A third-party assessed type: an observation of practice by the tutor."""

    name = "observation"
    title = "Observation"
    config_schema = _Criteria
    assessed = True


class _Note(ActivityType):
    """A type that is not assessed, whose config happens to name criteria."""

    name = "note"
    title = "Note"
    config_schema = _Criteria


def _one_unit(*activities):
    return {"format": "pathway-catalogue/1", "qualification": {
        "slug": "q", "title": "Q", "credits": 1, "hours": len(activities),
        "months_to_complete": 12, "units": [{
            "slug": "u", "number": 1, "title": "U", "credits": 1, "hours": len(activities),
            "criteria": [{"code": "A", "text": "a"}, {"code": "B", "text": "b"}],
            "activities": [{"slug": f"a{n}", "title": f"A{n}", "hours": 1, **entry}
                           for n, entry in enumerate(activities)]}]}}


def test_any_assessed_type_counts_and_only_assessed_types_cover_criteria(app):
    types = {"observation": _Observation(), "note": _Note()}
    check_catalogue(_one_unit({"type": "observation", "config": {"criteria": ["A", "B"]}}),
                    types)

    with pytest.raises(CatalogueError) as caught:
        check_catalogue(_one_unit({"type": "note", "config": {"criteria": ["A", "B"]}},
                                  {"type": "observation", "required": False,
                                   "config": {"criteria": ["A"]}}), types, "plugin.yaml")
    assert caught.value.problems == [
        "plugin.yaml: qualification.units[0].activities[1].required: must be true: 'a1' is "
        "assessed ('observation'), and a unit is achieved only when its assessment is met",
        "plugin.yaml: qualification.units[0].criteria: ['A', 'B'] are not assessed: list each "
        "criterion in the config.criteria of at least one required assessed activity of this "
        "unit"]


def test_criteria_of_the_wrong_shape_are_one_problem_not_a_crash(app, write):
    document = _diploma()
    _activities(document)[REFLECTIVE]["config"]["criteria"] = 12
    path = write(document)

    assert _problems(path) == [
        f"{path}: {U0}.activities[{REFLECTIVE}].config.criteria: Not a valid list."]
