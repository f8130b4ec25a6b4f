"""Loading catalogue files into the database, and reading the catalogue back."""

from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from lms.catalogue.fileformat import CatalogueError, read_catalogue
from lms.catalogue.models import Activity, Criterion, Qualification, Unit
from lms.errors import NotFound
from lms.extensions import db
from lms.timeutil import utcnow


@dataclass
class LoadReport:
    """What a load changed."""

    qualification: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)

    def summary(self) -> str:
        if not self.changed:
            return f"{self.qualification}: unchanged"
        return (f"{self.qualification}: {len(self.created)} created, {len(self.updated)} "
                f"updated, {len(self.retired)} retired")


def check_file(path: str | Path) -> dict:
    """The checked contents of a catalogue file (raises CatalogueError)."""
    return read_catalogue(path, current_app.extensions["lms.activity_types"])


def load_file(path: str | Path) -> LoadReport:
    """Check a catalogue file, then create or update its qualification to match it.

    Nothing is written unless the whole file is valid. Loading the same file twice changes
    nothing. Activities missing from the file are retired, not deleted. The caller commits.
    """
    document = check_file(path)
    return _apply(document["qualification"], str(path))


def _assign(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _by_slug(model, slugs):
    if not slugs:
        return {}
    rows = db.session.execute(db.select(model).where(model.slug.in_(slugs))).scalars()
    return {row.slug: row for row in rows}


def _apply(entry: dict, source: str) -> LoadReport:
    report = LoadReport(entry["slug"])
    qualification = _by_slug(Qualification, [entry["slug"]]).get(entry["slug"])
    fields = {k: entry[k] for k in ("title", "awarding_body", "level", "credits", "hours",
                                     "months_to_complete", "summary", "notice")}
    if qualification is None:
        qualification = Qualification(slug=entry["slug"], **fields)
        db.session.add(qualification)
        report.created.append(f"qualification {entry['slug']}")
    elif _assign(qualification, fields):
        report.updated.append(f"qualification {entry['slug']}")

    existing_units = {unit.slug: unit for unit in qualification.units}
    gone = sorted(set(existing_units) - {u["slug"] for u in entry["units"]})
    if gone:
        raise CatalogueError(source, [("qualification.units", f"units {gone} are in the database "
                                       "but not in the file; units cannot be removed by a load")])

    units = _by_slug(Unit, [u["slug"] for u in entry["units"]])
    # Renumbered units (two swapped, say) first step aside, so no flush on the way clashes
    # with the unique (qualification, number).
    for unit_entry in entry["units"]:
        unit = units.get(unit_entry["slug"])
        if unit is not None and unit.number != unit_entry["number"]:
            unit.number = -unit.id
    activities = _by_slug(Activity, [a["slug"] for u in entry["units"] for a in u["activities"]])
    db.session.flush()  # a new qualification gets its id
    _refuse_other_qualifications(source, qualification, units, activities)
    kept_activity_ids = set()
    for unit_entry in entry["units"]:
        unit = _apply_unit(qualification, units.get(unit_entry["slug"]), unit_entry, report)
        for position, act_entry in enumerate(unit_entry["activities"]):
            activity = _apply_activity(unit, activities.get(act_entry["slug"]), act_entry,
                                       position, report)
            kept_activity_ids.add(activity.id)

    unit_ids = [unit.id for unit in qualification.units]
    stale = db.session.execute(
        db.select(Activity).where(Activity.unit_id.in_(unit_ids), Activity.retired.is_(False),
                                  Activity.id.not_in(kept_activity_ids))
    ).scalars()
    for activity in stale:
        activity.retired = True
        report.retired.append(f"activity {activity.slug}")

    if report.changed:
        qualification.updated_at = utcnow()
    db.session.flush()
    return report


def _refuse_other_qualifications(source, qualification, units, activities) -> None:
    """Slugs are global: a file may not take over another qualification's units or
    activities (loading it would move them out of their qualification)."""
    problems = []
    for slug, unit in units.items():
        if unit.qualification_id != qualification.id:
            problems.append((f"unit {slug}", "belongs to qualification "
                             f"{unit.qualification.slug!r}; choose another slug"))
    for slug, activity in activities.items():
        if activity.unit.qualification_id != qualification.id:
            problems.append((f"activity {slug}", "belongs to qualification "
                             f"{activity.unit.qualification.slug!r}; choose another slug"))
    if problems:
        raise CatalogueError(source, problems)


def _apply_unit(qualification, unit, entry, report) -> Unit:
    fields = {k: entry[k] for k in ("number", "title", "credits", "hours", "grading", "summary")}
    if unit is None:
        unit = Unit(slug=entry["slug"], qualification=qualification, **fields)
        db.session.add(unit)
        report.created.append(f"unit {entry['slug']}")
    elif _assign(unit, {"qualification": qualification, **fields}):
        report.updated.append(f"unit {entry['slug']}")

    by_code = {criterion.code: criterion for criterion in unit.criteria}
    wanted = []
    for position, item in enumerate(entry["criteria"]):
        criterion = by_code.get(item["code"])
        if criterion is None:
            criterion = Criterion(code=item["code"], text=item["text"], position=position)
            report.created.append(f"criterion {entry['slug']} {item['code']}")
        elif _assign(criterion, {"text": item["text"], "position": position}):
            report.updated.append(f"criterion {entry['slug']} {item['code']}")
        wanted.append(criterion)
    if [c.code for c in unit.criteria] != [c.code for c in wanted]:
        unit.criteria = wanted
    db.session.flush()
    return unit


def _apply_activity(unit, activity, entry, position, report) -> Activity:
    fields = {k: entry[k] for k in ("type", "title", "summary", "hours", "learning", "required",
                                     "config")}
    fields.update(unit_id=unit.id, position=position, retired=False)
    if activity is None:
        activity = Activity(slug=entry["slug"], **fields)
        db.session.add(activity)
        report.created.append(f"activity {entry['slug']}")
    elif _assign(activity, fields):
        report.updated.append(f"activity {entry['slug']}")
    db.session.flush()
    return activity


def qualification_by_slug(slug: str) -> Qualification:
    """The qualification with this slug, or NotFound."""
    found = _by_slug(Qualification, [slug]).get(slug)
    if found is None:
        raise NotFound(f"No qualification {slug!r}.")
    return found


def unit_by_slug(slug: str) -> Unit:
    """The unit with this slug, or NotFound."""
    found = _by_slug(Unit, [slug]).get(slug)
    if found is None:
        raise NotFound(f"No unit {slug!r}.")
    return found


def activity_by_slug(slug: str) -> Activity:
    """The (current) activity with this slug, or NotFound."""
    found = _by_slug(Activity, [slug]).get(slug)
    if found is None or found.retired:
        raise NotFound(f"No activity {slug!r}.")
    return found


def hours_split(activities) -> dict:
    """Guided, self-study and total hours of some activities."""
    guided = sum((a.hours for a in activities if a.learning == "guided"), start=0)
    self_study = sum((a.hours for a in activities if a.learning == "self-study"), start=0)
    return {"guided_hours": guided, "self_study_hours": self_study, "hours": guided + self_study}
