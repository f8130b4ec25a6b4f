"""What the tutorial pages (learners' and tutors') share: making a change the way the API does
(the tutorials lock first, then the operation, then one commit), and reading a form through
the API's own schemas, so that a page accepts exactly what the API accepts."""

from collections.abc import Callable
from itertools import groupby
from typing import TypeVar

import marshmallow as ma
from sqlalchemy.exc import IntegrityError

from lms.catalogue.models import Activity
from lms.errors import Conflict, InvalidInput, field_errors
from lms.extensions import db
from lms.timeutil import london
from lms.tutorials.operations import CLASH, take_lock

T = TypeVar("T")


def change(operation: Callable[[], T]) -> T:
    """Take the tutorials lock, run `operation()` (which reads what it depends on after the
    lock), and commit; return what it returned. A refusal rolls everything back and is raised
    (a `PathwayError`; a database constraint met at the same moment becomes a Conflict)."""
    try:
        take_lock()
        result = operation()
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(CLASH) from error
    except Exception:
        db.session.rollback()
        raise
    return result


def load(schema: ma.Schema, data: dict) -> dict:
    """A form's values through one of the API's schemas; a refusal is an InvalidInput whose
    `errors` name the fields as the API does ("windows[1].ends")."""
    try:
        return schema.load(data)
    except ma.ValidationError as error:
        errors = field_errors(error.messages)
        raise InvalidInput("; ".join(f"{e['field']}: {e['detail']}" for e in errors),
                           errors=errors) from error


def given(form, *names: str) -> dict:
    """The named form values that are filled in (blank ones left out, so that the schema's
    defaults apply), stripped of surrounding spaces."""
    values = {}
    for name in names:
        value = (form.get(name) or "").strip()
        if value:
            values[name] = value
    return values


def activity_by_slug(slug: str | None) -> Activity:
    """The (not retired) activity with this slug, or a refusal naming the field."""
    found = None
    if slug:
        found = db.session.execute(db.select(Activity).where(
            Activity.slug == slug, Activity.retired.is_(False))).scalar_one_or_none()
    if found is None:
        raise InvalidInput.field("activity", "choose one of the tutorials listed")
    return found


def by_day(slots) -> list[tuple]:
    """(start, end) slots grouped by their London day: [(day, [(start, end), ...]), ...]."""
    return [(day, list(day_slots))
            for day, day_slots in groupby(slots, key=lambda s: london(s[0]).date())]


def field_messages(error, rename: dict | None = None) -> dict[str, str]:
    """A refusal's messages by form field (the API's field names, or `rename`d); what names
    no field is under "form"."""
    messages: dict[str, str] = {}
    for item in error.errors or [{"field": "form", "detail": error.detail}]:
        name = (rename or {}).get(item["field"], item["field"])
        messages[name] = f"{messages[name]} {item['detail']}" if name in messages \
            else item["detail"]
    return messages
