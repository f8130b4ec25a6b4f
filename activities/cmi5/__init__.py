"""cmi5: a course (`cmi5.xml`, alone or zipped with its AUs) launched as the cmi5
specification requires."""

from activities.base import ActivityType
from activities.cmi5 import models  # noqa: F401  (the tables must be known at start-up)


class Cmi5(ActivityType):
    """A cmi5 course: its course structure page launches each AU."""

    name = "cmi5"
    title = "cmi5 course"
    learning = "self-study"
    xapi_type = "https://w3id.org/xapi/cmi5/activitytype/course"
    trusted_completion_only = True
    player_template = "cmi5/course.html"
    package_kinds = ("cmi5",)
