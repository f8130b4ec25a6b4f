"""Activity types, as plugins.

Pathway finds activity types through the `lms.activities` entry-point group. Each entry point
names an `ActivityType` subclass; its entry-point name must equal the class's `name`. A plugin
that fails to import, is not an `ActivityType`, or takes a name already used is logged by name
and skipped: it never stops the service from starting.
"""

import logging
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points

from activities.base import ActivityType

log = logging.getLogger(__name__)

GROUP = "lms.activities"

__all__ = ["GROUP", "ActivityType", "discover_activity_types"]


def discover_activity_types(
    found: Iterable[EntryPoint] | None = None,
) -> dict[str, ActivityType]:
    """Load every activity type from the `lms.activities` entry points (or `found`).

    Returns {name: instance}. Problems are logged as `activity type plugin NAME skipped: WHY`.
    """
    found = entry_points(group=GROUP) if found is None else found
    types: dict[str, ActivityType] = {}
    for point in sorted(found, key=lambda p: (p.name, p.value)):
        try:
            cls = point.load()
        except Exception as exc:  # a broken plugin must not stop the service
            log.error("activity type plugin %s skipped: %s cannot be loaded (%s: %s)",
                      point.name, point.value, type(exc).__name__, exc)
            continue
        why = _problem(point, cls, types)
        if why:
            log.error("activity type plugin %s skipped: %s", point.name, why)
            continue
        types[cls.name] = cls()
    return types


def _problem(point: EntryPoint, cls, types: dict) -> str | None:
    if not (isinstance(cls, type) and issubclass(cls, ActivityType)):
        return f"{point.value} is not a subclass of activities.base.ActivityType"
    if not cls.name or cls.name != point.name:
        return f"its class name attribute {cls.name!r} differs from the entry point name"
    if cls.name in types:
        return f"the name {cls.name!r} is already taken by {type(types[cls.name]).__module__}"
    if cls.learning not in ("guided", "self-study"):
        return f"learning must be 'guided' or 'self-study', not {cls.learning!r}"
    return None
