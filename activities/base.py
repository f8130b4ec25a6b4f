"""`ActivityType`: the class every activity type (built-in or plugin) derives from.

A type is a class with fixed hooks. The catalogue stores each activity's `type` name and a
`config` dict that the type's `config_schema` validates; the rest of Pathway asks the type
what the activity means. Types are discovered from the `lms.activities` entry-point group
(see `activities.discover_activity_types`), so a package can add one by installing itself.
"""

from typing import ClassVar

import marshmallow as ma


class NoConfig(ma.Schema):
    """The configuration of a type that takes none: an empty mapping."""


class ActivityType:
    """Base of every activity type. Subclasses set the class attributes and override the
    hooks they support.

    Class attributes:
        name: the `type` written in catalogue files; unique; lower-case.
        title: what people call this kind of activity ("Film").
        learning: the default kind of hours, "guided" (with a tutor in real time) or
            "self-study".
        config_schema: a marshmallow schema for the activity's `config` mapping.
        xapi_type: the xAPI activity type IRI of activities of this kind (their
            `definition.type` in statements), or None.
        assessed: True when completing the activity needs a tutor's judgement (a practice
            assessment), not only the learner's own work.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    learning: ClassVar[str] = "self-study"
    config_schema: ClassVar[type[ma.Schema]] = NoConfig
    xapi_type: ClassVar[str | None] = None
    assessed: ClassVar[bool] = False

    def validate_config(self, config: dict) -> dict:
        """The activity's configuration, checked and normalised; raises ValidationError."""
        return self.config_schema().load(config or {})

    def launch(self, enrolment, activity):
        """What the learner's browser opens for `activity` (a page, a player, a launch URL)."""
        raise NotImplementedError(f"{type(self).__name__} cannot be launched yet")

    def interpret(self, statement: dict):
        """What a stored xAPI statement about this activity means for progress."""
        raise NotImplementedError(f"{type(self).__name__} does not interpret statements yet")

    def __repr__(self) -> str:
        return f"<ActivityType {self.name}>"
