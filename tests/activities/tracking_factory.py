"""Statements as the players send them, and events as the progress projection makes them,
for the tests of the reading, film and webinar rules."""

import uuid
from datetime import UTC, datetime, timedelta

from activities.base import Event

ADL = "http://adlnet.gov/expapi/verbs/"
VIDEO = "https://w3id.org/xapi/video"
EXT = VIDEO + "/extensions/"
PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"
START = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)


def verb_iri(verb: str) -> str:
    if verb.startswith("http"):
        return verb
    if verb in ("played", "paused", "seeked"):
        return f"{VIDEO}/verbs/{verb}"
    return ADL + verb


def video_statement(verb, segments=None, length=None, seconds=None, **result_extensions):
    """A Video Profile statement: `segments` as [(start, end)...] or the profile's text."""
    result, extensions = {}, {EXT + k.replace("_", "-"): v for k, v in result_extensions.items()}
    if segments is not None:
        extensions[EXT + "played-segments"] = segments if isinstance(segments, str) else \
            "[,]".join(f"{a}[.]{b}" for a, b in segments)
    if extensions:
        result["extensions"] = extensions
    if seconds is not None:
        result["duration"] = f"PT{seconds}S"
    context = {"registration": str(uuid.uuid4())}
    if length is not None:
        context["extensions"] = {EXT + "length": length, EXT + "session-id": "s1"}
    statement = {"id": str(uuid.uuid4()), "verb": {"id": verb_iri(verb)}, "context": context,
                 "object": {"id": "http://pathway.test/activities/a-film"}}
    if result:
        statement["result"] = result
    return statement


def reading_statement(verb, progress=None, seconds=None):
    """A statement of the reading player: visible `seconds`, `progress` (0-100)."""
    result = {}
    if progress is not None:
        result["extensions"] = {PROGRESS: progress}
    if seconds is not None:
        result["duration"] = f"PT{seconds}S"
    statement = {"id": str(uuid.uuid4()), "verb": {"id": verb_iri(verb)},
                 "object": {"id": "http://pathway.test/activities/a-reading"}}
    if result:
        statement["result"] = result
    return statement


def events(activity_type, statements, trusted=False, start=START):
    """The events the projection would make of `statements` (a minute apart, in order):
    `trusted` is a bool for all, or a list of bools."""
    found = []
    flags = trusted if isinstance(trusted, list) else [trusted] * len(statements)
    for step, (statement, flag) in enumerate(zip(statements, flags, strict=True)):
        meaning = activity_type.interpret(statement)
        if meaning is None:
            continue
        found.append(Event(statement["id"], meaning.kind, start + timedelta(minutes=step), flag,
                           meaning.seconds, meaning.data))
    return found


# -- pages, as a browser uses them ----------------------------------------------------------

PASSWORD = "correct horse battery"  # what `make_user` gives everyone


def csrf_token(page: str) -> str:
    """The value of the page's hidden `csrf_token` input."""
    import re

    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client, user) -> None:
    """Sign in through the login page, with its CSRF token, as a browser does."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)


def launch_from_page(client, enrolment, slug):
    """Press an activity's "Start" button: a POST with the CSRF token of a signed-in page."""
    token = csrf_token(client.get("/account").get_data(as_text=True))
    return client.post(f"/learn/{enrolment.id}/{slug}/launch", data={"csrf_token": token})


def set_config(db, slug, **changes):
    """Change an activity's configuration in the catalogue (None removes a key)."""
    from lms.catalogue.models import Activity

    activity = db.session.execute(db.select(Activity).where(Activity.slug == slug)).scalar_one()
    config = {**activity.config, **changes}
    activity.config = {k: v for k, v in config.items() if v is not None}
    db.session.commit()
    return activity


def launch_by_api(client, enrolment, slug):
    """`POST .../launch` of the JSON API from a signed-in browser (session and X-CSRFToken)."""
    token = csrf_token(client.get("/account").get_data(as_text=True))
    return client.post(f"/api/v1/enrolments/{enrolment.id}/activities/{slug}/launch",
                       headers={"X-CSRFToken": token})


def fetch(client, path, **kwargs):
    """A GET whose (file) response is read and closed: (status, headers, body)."""
    response = client.get(path, **kwargs)
    try:
        return response.status_code, response.headers, response.get_data()
    finally:
        response.close()
