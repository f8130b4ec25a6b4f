"""The catalogue file format (`pathway-catalogue/1`), and its checks.

A catalogue file is YAML holding one qualification with its units, each unit with its
assessment criteria and activities:

    format: pathway-catalogue/1
    qualification:
      slug, title, awarding_body, level, credits, hours, months_to_complete, summary, notice
      units:
        - slug, number, title, credits, hours, grading (pass | pass-merit-distinction), summary
          criteria:   [{code, text}, ...]
          activities:
            - slug, type, title, summary, hours, learning (guided | self-study; default:
              the type's), required (default true), config (checked by the activity type)

Rules beyond the field types: slugs are unique across the file; a unit's activity hours add up
to its hours, and the units' credits and hours to the qualification's; each `type` is an
installed activity type and its `config` passes that type's schema; an assessment's criteria
are codes of its own unit; an assessed activity (a type with `assessed = True`) is required,
and every criterion of a unit is covered by the `config.criteria` of at least one of the unit's
required assessed activities (a unit is achieved only when every criterion is met, so each
must be judged somewhere). Every problem is reported as `FILE: PATH: what was expected`.
"""

from collections import Counter
from decimal import Decimal
from pathlib import Path

import marshmallow as ma
import yaml

from lms.errors import field_errors

FORMAT = "pathway-catalogue/1"
SLUG = ma.validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
                          error="must be lower-case letters, digits and single hyphens")


def _storable_hours(value: Decimal) -> None:
    # The database keeps hours as NUMERIC(7, 2): anything finer or larger would be rounded
    # (or refused) there, so the stored hours would no longer add up or match the file.
    if value >= 100000:
        raise ma.ValidationError("must be less than 100000")
    if value != round(value, 2):
        raise ma.ValidationError("must have at most 2 decimal places")


def _hours(**kw):
    return ma.fields.Decimal(required=True,
                             validate=[ma.validate.Range(min=0), _storable_hours], **kw)


class CriterionEntry(ma.Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=20))
    text = ma.fields.String(required=True, validate=ma.validate.Length(min=1))


class ActivityEntry(ma.Schema):
    slug = ma.fields.String(required=True, validate=SLUG)
    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    summary = ma.fields.String(load_default="")
    hours = _hours()
    learning = ma.fields.String(load_default=None,
                                validate=ma.validate.OneOf(["guided", "self-study"]),
                                metadata={"description": "Default: the activity type's."})
    required = ma.fields.Boolean(load_default=True)
    config = ma.fields.Dict(keys=ma.fields.String(), load_default=dict)


class UnitEntry(ma.Schema):
    slug = ma.fields.String(required=True, validate=SLUG)
    number = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    credits = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=0))
    hours = _hours()
    grading = ma.fields.String(load_default="pass",
                               validate=ma.validate.OneOf(["pass", "pass-merit-distinction"]))
    summary = ma.fields.String(load_default="")
    criteria = ma.fields.List(ma.fields.Nested(CriterionEntry), load_default=list)
    activities = ma.fields.List(ma.fields.Nested(ActivityEntry), required=True,
                                validate=ma.validate.Length(min=1))


class QualificationEntry(ma.Schema):
    slug = ma.fields.String(required=True, validate=SLUG)
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=300))
    awarding_body = ma.fields.String(load_default="")
    level = ma.fields.Integer(load_default=None, strict=True)
    credits = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=0))
    hours = _hours()
    months_to_complete = ma.fields.Integer(required=True, strict=True,
                                           validate=ma.validate.Range(min=1, max=120))
    summary = ma.fields.String(load_default="")
    notice = ma.fields.String(load_default="")
    units = ma.fields.List(ma.fields.Nested(UnitEntry), required=True,
                           validate=ma.validate.Length(min=1))


class CatalogueFile(ma.Schema):
    format = ma.fields.String(required=True, validate=ma.validate.Equal(
        FORMAT, error=f"must be {FORMAT!r}"))
    qualification = ma.fields.Nested(QualificationEntry, required=True)


class CatalogueError(Exception):
    """A catalogue file that cannot be loaded; `problems` lists every `FILE: PATH: why`."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = [f"{source}: {path}: {why}" for path, why in problems]
        super().__init__("\n".join(self.problems))


def read_catalogue(path: str | Path, activity_types: dict) -> dict:
    """Parse and check the catalogue file at `path`; raises CatalogueError with every problem."""
    path = Path(path)
    source = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(source, [("(file)", f"cannot be read: {exc.strerror}")]) from exc
    except UnicodeDecodeError as exc:
        raise CatalogueError(source, [("(file)", "must be UTF-8 text")]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise CatalogueError(source, [(where, f"is not valid YAML: {exc.problem or exc}")]) \
            from exc
    return check_catalogue(raw, activity_types, source)


def check_catalogue(raw, activity_types: dict, source: str = "(catalogue)") -> dict:
    """Check a parsed catalogue document; return it loaded, or raise CatalogueError."""
    if not isinstance(raw, dict):
        raise CatalogueError(source, [("(file)", "must be a mapping with 'format' and "
                                                 "'qualification'")])
    try:
        document = CatalogueFile().load(raw)
    except ma.ValidationError as exc:
        problems = [(e["field"], e["detail"]) for e in field_errors(exc.messages)]
        raise CatalogueError(source, problems) from exc
    problems = _cross_checks(document["qualification"], activity_types)
    if problems:
        raise CatalogueError(source, problems)
    return document


def _cross_checks(qualification: dict, activity_types: dict) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    base = "qualification"
    units = qualification["units"]

    seen: dict[str, str] = {qualification["slug"]: f"{base}.slug"}
    for u, unit in enumerate(units):
        places = [(f"{base}.units[{u}].slug", unit["slug"])] + [
            (f"{base}.units[{u}].activities[{a}].slug", act["slug"])
            for a, act in enumerate(unit["activities"])
        ]
        for place, slug in places:
            if slug in seen:
                problems.append((place, f"slug {slug!r} is already used at {seen[slug]}; "
                                        "slugs must be unique"))
            else:
                seen[slug] = place

    for number, count in Counter(unit["number"] for unit in units).items():
        if count > 1:
            problems.append((f"{base}.units", f"unit number {number} is used {count} times"))

    _sum_check(problems, f"{base}.credits", qualification["credits"],
               sum(unit["credits"] for unit in units), "the units' credits", "credits")
    _sum_check(problems, f"{base}.hours", qualification["hours"],
               sum((unit["hours"] for unit in units), Decimal(0)), "the units' hours", "hours")

    for u, unit in enumerate(units):
        where = f"{base}.units[{u}]"
        _sum_check(problems, f"{where}.hours", unit["hours"],
                   sum((act["hours"] for act in unit["activities"]), Decimal(0)),
                   "its activities' hours", "hours")
        codes = [c["code"] for c in unit["criteria"]]
        for code, count in Counter(codes).items():
            if count > 1:
                problems.append((f"{where}.criteria", f"criterion code {code!r} is used "
                                                      f"{count} times"))
        found = []
        for a, act in enumerate(unit["activities"]):
            found.extend(_activity_problems(f"{where}.activities[{a}]", act, set(codes),
                                            activity_types))
        problems.extend(found)
        problems.extend(_assessment_problems(where, unit, codes, activity_types,
                                             check_coverage=not found))
    return problems


def _assessment_problems(where, unit, codes, activity_types, check_coverage):
    """An assessed activity must be required, and the unit's required assessed activities
    together must cover every criterion of the unit (checked only when every activity's
    config passed its type's schema: otherwise the criteria listed cannot be trusted)."""
    problems = []
    covered = set()
    for a, act in enumerate(unit["activities"]):
        kind = activity_types.get(act["type"])
        if kind is None or not getattr(kind, "assessed", False):
            continue
        if not act["required"]:
            problems.append((f"{where}.activities[{a}].required",
                             f"must be true: {act['slug']!r} is assessed ({act['type']!r}), "
                             "and a unit is achieved only when its assessment is met"))
        elif check_coverage:
            covered.update(act["config"].get("criteria", []))
    uncovered = [code for code in codes if code not in covered]
    if check_coverage and uncovered:
        problems.append((f"{where}.criteria",
                         f"{uncovered} are not assessed: list each criterion in the "
                         "config.criteria of at least one required assessed activity of "
                         "this unit"))
    return problems


def _sum_check(problems, path, expected, total, what, noun):
    if total != expected:
        problems.append((path, f"is {_num(expected)} but {what} add up to {_num(total)} {noun}; "
                               "they must be equal"))


def _num(value) -> str:
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _activity_problems(where, activity, codes, activity_types):
    kind = activity["type"]
    if kind not in activity_types:
        known = ", ".join(sorted(activity_types)) or "none installed"
        return [(f"{where}.type", f"unknown activity type {kind!r}; expected one of: {known}")]
    if activity["learning"] is None:
        activity["learning"] = activity_types[kind].learning
    try:
        activity["config"] = activity_types[kind].validate_config(activity["config"])
    except ma.ValidationError as exc:
        return [(f"{where}.config{'.' if not e['field'].startswith('[') else ''}{e['field']}",
                 e["detail"]) for e in field_errors(exc.messages)]
    missing = [c for c in activity["config"].get("criteria", []) if c not in codes]
    if missing:  # any type whose config names criteria refers to its own unit's
        return [(f"{where}.config.criteria", f"{missing} are not criteria of this unit "
                                             f"(its criteria: {sorted(codes)})")]
    return []
