"""Statements about the learning of one enrolment, for the progress tests."""

import uuid
from datetime import UTC, datetime, timedelta

from flask import current_app

from lms.catalogue.iris import activity_iri, qualification_iri, unit_iri
from lms.catalogue.models import Activity, Unit
from lms.extensions import db
from lms.progress.record import pathway_authority
from xapi.service import record

ADL = "http://adlnet.gov/expapi/verbs/"
CLIENT_AUTHORITY = {"objectType": "Agent", "name": "some content",
                    "account": {"homePage": "http://pathway.test", "name": "content-client"}}


def activities(qualification, type_=None, unit=1) -> list[Activity]:
    """The current activities of unit `unit` (of type `type_`), in catalogue order."""
    statement = (db.select(Activity).join(Unit, Activity.unit_id == Unit.id)
                 .where(Unit.qualification_id == qualification.id, Unit.number == unit,
                        Activity.retired.is_(False)).order_by(Activity.position))
    if type_:
        statement = statement.where(Activity.type == type_)
    return list(db.session.execute(statement).scalars())


def statement(enrolment, activity, verb, *, when=None, seconds=None, success=None,
              statement_id=None, actor=None, registration=None, object_id=None) -> dict:
    """A statement by the enrolment's learner about `activity` in its registration."""
    result = {}
    if seconds is not None:
        result["duration"] = f"PT{seconds}S"
    if success is not None:
        result["success"] = success
    base = current_app.config["BASE_URL"]
    body = {
        "id": statement_id or str(uuid.uuid4()),
        "actor": actor or {"objectType": "Agent", "account": {
            "homePage": base, "name": enrolment.learner.public_id}},
        "verb": {"id": verb if verb.startswith("http") else ADL + verb},
        "object": {"objectType": "Activity", "id": object_id or activity_iri(activity)},
        "context": {"registration": registration or enrolment.registration,
                    "contextActivities": {
                        "parent": [{"id": unit_iri(activity.unit)}],
                        "grouping": [{"id": qualification_iri(activity.unit.qualification)}]}},
        "timestamp": (when or datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
    }
    if result:
        body["result"] = result
    return body


def voiding(target_id: str, enrolment) -> dict:
    base = current_app.config["BASE_URL"]
    return {"id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent",
                      "account": {"homePage": base, "name": enrolment.learner.public_id}},
            "verb": {"id": ADL + "voided"},
            "object": {"objectType": "StatementRef", "id": target_id}}


def store(statements, trusted=True) -> list[str]:
    """Store statements in the LRS as Pathway (trusted) or as browser content (not)."""
    db.session.commit()
    return record(statements, pathway_authority() if trusted else CLIENT_AUTHORITY,
                  authority_key=None if not trusted else "pathway")


def snapshot() -> dict:
    """Every row of the projection's tables, for comparing two routes."""
    from lms.progress.models import (
        ActivityProgress,
        EnrolmentProgress,
        LearningEvent,
        UnitProgress,
    )

    db.session.rollback()
    tables = {}
    for model in (LearningEvent, ActivityProgress, UnitProgress, EnrolmentProgress):
        columns = [c for c in model.__table__.columns if c.name != "updated_at"]
        keys = [c for c in model.__table__.primary_key.columns]
        rows = db.session.execute(db.select(*columns).order_by(*keys)).all()
        tables[model.__tablename__] = [tuple(_plain(v) for v in row) for row in rows]
    return tables


def _plain(value):
    from decimal import Decimal

    if isinstance(value, Decimal):
        return round(float(value), 2)
    if isinstance(value, float):
        return round(value, 3)
    return value
