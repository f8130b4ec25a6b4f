"""The catalogue as the progress projection reads it: every activity (retired ones too: old
records keep pointing at them) with its type and validated configuration, found by id or by
IRI (its own, or an activity id of one of its content packages: the root, SCOs, AUs), and
each qualification's units with their current activities. Kept per process, read again when
the catalogue changes.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.catalogue.models import Activity, Unit

log = logging.getLogger(__name__)


@dataclass
class ActivityInfo:
    """What the projection needs to know of one catalogue activity."""

    id: int
    slug: str
    unit_id: int
    qualification_id: int
    kind: object  # the ActivityType, or None when its plugin is not installed
    config: dict
    hours: Decimal
    learning: str
    required: bool
    retired: bool


@dataclass
class CatalogueIndex:
    """The catalogue as the projection reads it: activities by id and by IRI, and each
    qualification's units with their current activities."""

    activities: dict[int, ActivityInfo] = field(default_factory=dict)
    by_iri: dict[str, int] = field(default_factory=dict)
    unit_credits: dict[int, int] = field(default_factory=dict)
    units_of: dict[int, list[int]] = field(default_factory=dict)
    activities_of_unit: dict[int, list[int]] = field(default_factory=dict)


def load_index(session: Session) -> CatalogueIndex:
    """Read the catalogue (retired activities too: old records keep pointing at them)."""
    from lms.catalogue.iris import activity_iri
    from lms.content.models import ContentPackage

    types = current_app.extensions["lms.activity_types"]
    index = CatalogueIndex()
    for unit in session.execute(select(Unit).order_by(Unit.number)).scalars():
        index.unit_credits[unit.id] = unit.credits
        index.units_of.setdefault(unit.qualification_id, []).append(unit.id)
        index.activities_of_unit.setdefault(unit.id, [])
    rows = session.execute(select(Activity, Unit.qualification_id)
                           .join(Unit, Activity.unit_id == Unit.id)
                           .order_by(Activity.position, Activity.id)).all()
    for activity, qualification_id in rows:
        kind = types.get(activity.type)
        try:
            config = kind.validate_config(activity.config) if kind else {}
        except Exception:  # a catalogue that no longer fits its type: counts nothing
            log.warning("activity %s: config no longer valid for type %s", activity.slug,
                        activity.type)
            kind, config = None, {}
        index.activities[activity.id] = ActivityInfo(
            activity.id, activity.slug, activity.unit_id, qualification_id, kind, config,
            activity.hours, activity.learning, activity.required, activity.retired)
        index.by_iri[activity_iri(activity)] = activity.id
        if not activity.retired:
            index.activities_of_unit[activity.unit_id].append(activity.id)
    from lms.content.operations import package_activity_ids

    for package in session.execute(select(ContentPackage)
                                   .order_by(ContentPackage.id)).scalars():
        for iri in package_activity_ids(package):  # its root, SCOs, AUs, blocks
            index.by_iri.setdefault(iri, package.activity_id)
    return index


def current_index(session: Session) -> CatalogueIndex:
    """The catalogue index, kept per process and read again when the catalogue or its
    content packages change (a catalogue load stamps the qualification's `updated_at`)."""
    from lms.catalogue.models import Qualification
    from lms.content.models import ContentPackage

    fingerprint = tuple(session.execute(select(
        select(func.max(Qualification.updated_at)).scalar_subquery(),
        select(func.count(Qualification.id)).scalar_subquery(),
        select(func.count(Activity.id)).scalar_subquery(),
        select(func.max(ContentPackage.id)).scalar_subquery())).one())
    cached = current_app.extensions.get("lms.progress_index")
    if cached is None or cached[0] != fingerprint:
        cached = (fingerprint, load_index(session))
        current_app.extensions["lms.progress_index"] = cached
    return cached[1]
