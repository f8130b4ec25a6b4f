"""Recording learning in the LRS, through its service layer (not over HTTP).

Statements are built with `tincan`'s objects: the learner as an account on the site, the
enrolment's registration, the activity's IRI, its unit as parent and the qualification as
grouping.
"""

from datetime import UTC, datetime, timedelta

from flask import current_app
from tincan import (
    Activity,
    ActivityDefinition,
    Agent,
    AgentAccount,
    Context,
    ContextActivities,
    LanguageMap,
    Result,
    Statement,
    Verb,
)

from lms.catalogue.iris import activity_iri, qualification_iri, unit_iri
from xapi.service import record

ADL = "http://adlnet.gov/expapi/verbs/"
COMPLETED = Verb(id=ADL + "completed", display=LanguageMap({"en-GB": "completed"}))
ATTENDED = Verb(id=ADL + "attended", display=LanguageMap({"en-GB": "attended"}))
LAUNCHED = Verb(id=ADL + "launched", display=LanguageMap({"en-GB": "launched"}))
PASSED = Verb(id=ADL + "passed", display=LanguageMap({"en-GB": "passed"}))
FAILED = Verb(id=ADL + "failed", display=LanguageMap({"en-GB": "failed"}))


def _activity_type(activity):
    """The activity's type plugin (its name is data; the plugin says what it means)."""
    return current_app.extensions["lms.activity_types"][activity.type]


def pathway_authority() -> dict:
    """The authority of statements Pathway records itself."""
    return {"objectType": "Agent", "name": "Pathway",
            "account": {"homePage": current_app.config["BASE_URL"], "name": "pathway"}}


def learner_agent(user) -> Agent:
    home = current_app.config["BASE_URL"]
    return Agent(name=user.name, account=AgentAccount(home_page=home, name=user.public_id))


def activity_object(activity) -> Activity:
    """The catalogue activity as an xAPI Activity (IRI, name, type)."""
    return Activity(id=activity_iri(activity), definition=ActivityDefinition(
        name=LanguageMap({"en-GB": activity.title}), type=_activity_type(activity).xapi_type))


def activity_context(enrolment, activity, instructor=None, extensions=None) -> Context:
    """The context of learning on `activity` under `enrolment`: its registration, the unit as
    parent and the qualification as grouping (and the tutor as instructor, when given)."""
    unit = activity.unit
    return Context(
        registration=enrolment.registration,
        instructor=learner_agent(instructor) if instructor is not None else None,
        context_activities=ContextActivities(
            parent=[Activity(id=unit_iri(unit))],
            grouping=[Activity(id=qualification_iri(unit.qualification))]),
        extensions=extensions)


def activity_statement(enrolment, activity, verb: Verb, when: datetime | None = None,
                       result: Result | None = None, instructor=None,
                       extensions=None, actor=None) -> dict:
    """A statement about `activity` in `enrolment`'s registration (the learner as actor,
    unless another `actor` user is given), as a 1.0.3 dict."""
    statement = Statement(
        actor=learner_agent(actor or enrolment.learner), verb=verb,
        object=activity_object(activity),
        context=activity_context(enrolment, activity, instructor, extensions),
        result=result, timestamp=when or datetime.now(UTC))
    return statement.as_version("1.0.3")


def finished_statement(enrolment, activity, when: datetime, spent: timedelta) -> dict:
    """`completed` (self-study) or `attended` (guided) for one activity, as a statement."""
    return activity_statement(enrolment, activity,
                              ATTENDED if activity.learning == "guided" else COMPLETED,
                              when, Result(completion=True, duration=spent))


def record_statements(statements: list[dict]) -> list[str]:
    """Store statements in the LRS with Pathway as authority; returns their ids."""
    return record(statements, pathway_authority())
