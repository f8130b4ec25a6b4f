"""Helpers of the cmi5 core tests: course structures (`cmi5.xml`) built from small pieces,
course zips, and what an AU does after its launch (read the launch parameters, fetch its
token, read `LMS.LaunchData`, send statements built on its context template)."""

from __future__ import annotations

import base64
import io
import json
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
COURSE_ID = "http://example.org/cmi5/lived-experience"
BLOCK_ID = COURSE_ID + "/blocks/listening"
AU1_ID = COURSE_ID + "/aus/transcript"
AU2_ID = COURSE_ID + "/aus/check"
SLUG = "cmi5-core-lived-experience"
CATALOGUE = Path(__file__).with_name("cmi5_core_catalogue.yaml")
ADL = "http://adlnet.gov/expapi/verbs/"
CMI5 = "https://w3id.org/xapi/cmi5/"
SESSION_ID = CMI5 + "context/extensions/sessionid"
CATEGORY_CMI5 = CMI5 + "context/categories/cmi5"
CATEGORY_MOVEON = CMI5 + "context/categories/moveon"
SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"
WAIVED = "https://w3id.org/xapi/adl/verbs/waived"
ABANDONED = "https://w3id.org/xapi/adl/verbs/abandoned"
AU_HTML = "<!doctype html><title>AU</title><script src='../js/au.js'></script>"


def langstrings(name: str, text: str | dict) -> str:
    """`<name>` with one langstring per language (a str is en-GB)."""
    texts = {"en-GB": text} if isinstance(text, str) else text
    inner = "".join(f'<langstring lang="{lang}">{value}</langstring>'
                    for lang, value in texts.items())
    return f"<{name}>{inner}</{name}>"


def au(au_id: str, url: str, title: str | dict = "An AU", *, description="What it teaches",
       launch_parameters: str | None = None, entitlement_key: str | None = None,
       **attributes) -> str:
    """An `<au>` element; `attributes` such as moveOn="Passed", masteryScore="0.8"."""
    attrs = "".join(f' {name}="{value}"' for name, value in attributes.items())
    extra = ""
    if launch_parameters is not None:
        extra += f"<launchParameters>{launch_parameters}</launchParameters>"
    if entitlement_key is not None:
        extra += f"<entitlementKey>{entitlement_key}</entitlementKey>"
    return (f'<au id="{au_id}"{attrs}>{langstrings("title", title)}'
            f'{langstrings("description", description)}<url>{url}</url>{extra}</au>')


def block(block_id: str, *members: str, title: str | dict = "A block") -> str:
    return (f'<block id="{block_id}">{langstrings("title", title)}'
            f'{langstrings("description", "A group of AUs")}{"".join(members)}</block>')


def course_xml(*members: str, course_id: str = COURSE_ID,
               title: str | dict = "Lived experience", prolog: str = "") -> str:
    """A whole course structure holding `members` (AUs and blocks); `prolog` goes between
    the XML declaration and the root element (a DOCTYPE, say)."""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n{prolog}'
            f'<courseStructure xmlns="{NS}"><course id="{course_id}">'
            f'{langstrings("title", title)}{langstrings("description", "About the course")}'
            f'</course>{"".join(members)}</courseStructure>')


def two_au_course(**second) -> str:
    """The tests' usual course: a block holding a transcript (moveOn Completed) and a check
    (moveOn Passed, masteryScore 0.8, launch parameters and an entitlement key)."""
    options = {"moveOn": "Passed", "masteryScore": "0.8", "launch_parameters": "start=1",
               "entitlement_key": "ek-123", **second}
    return course_xml(block(
        BLOCK_ID,
        au(AU1_ID, "transcript/index.html", "The transcript", moveOn="Completed"),
        au(AU2_ID, "check/index.html?lang=en", "The check", **options),
        title="Listening"))


def course_files(xml: str, **files) -> dict:
    """The entries of a course zip: cmi5.xml and the AUs' files."""
    return {"cmi5.xml": xml, "transcript/index.html": AU_HTML, "check/index.html": AU_HTML,
            "js/au.js": "console.log('au');", **files}


def make_zip(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def course_zip(xml: str | None = None, **files) -> bytes:
    return make_zip(course_files(xml or two_au_course(), **files))


def query_of(url: str) -> dict:
    """A URL's query parameters (one value each)."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class AU:
    """What a conformant AU does with its launch URL, through a test client."""

    def __init__(self, client, url: str):
        self.client = client
        self.url = url
        self.params = query_of(url)
        self.actor = json.loads(self.params["actor"])
        self.registration = self.params["registration"]
        self.activity_id = self.params["activityId"]
        self.auth = None
        self.launch_data = None

    def fetch(self) -> dict:
        """POST to the fetch URL; keeps the token as the Authorization header."""
        response = self.client.post(urlsplit(self.params["fetch"]).path)
        assert response.status_code == 200
        body = response.get_json()
        if "auth-token" in body:
            self.auth = "Basic " + body["auth-token"]
        return body

    def headers(self, version="1.0.3") -> dict:
        return {"Authorization": self.auth, "X-Experience-API-Version": version}

    def state(self, state_id="LMS.LaunchData", *, agent=None, registration=None,
              activity_id=None):
        """GET a state document through the LRS's HTTP API with the fetched token."""
        query = urlencode({"activityId": activity_id or self.activity_id,
                           "agent": json.dumps(agent or self.actor),
                           "registration": registration or self.registration,
                           "stateId": state_id})
        return self.client.get(f"/xapi/activities/state?{query}", headers=self.headers())

    def read_launch_data(self) -> dict:
        response = self.state()
        assert response.status_code == 200, response.get_data(as_text=True)
        self.launch_data = json.loads(response.get_data())
        return self.launch_data

    def statement(self, verb: str, result: dict | None = None, *, cmi5=True, actor=None,
                  registration=None, object_id=None) -> dict:
        """A statement built on the context template (cmi5 defined unless `cmi5` False)."""
        template = (self.launch_data or self.read_launch_data())["contextTemplate"]
        context = json.loads(json.dumps(template))
        context["registration"] = registration or self.registration
        mastery = self.launch_data.get("masteryScore")
        if cmi5 and verb in ("passed", "failed") and mastery is not None:
            context["extensions"][CMI5 + "context/extensions/masteryscore"] = mastery
        if cmi5:
            categories = [{"id": CATEGORY_CMI5}]
            if result and ("success" in result or "completion" in result):
                categories.append({"id": CATEGORY_MOVEON})
            context["contextActivities"]["category"] = categories
        statement = {"id": str(uuid.uuid4()), "actor": actor or self.actor,
                     "verb": {"id": verb if verb.startswith("http") else ADL + verb,
                              "display": {"en-US": verb.rsplit("/", 1)[-1]}},
                     "object": {"objectType": "Activity", "id": object_id or self.activity_id},
                     "context": context, "timestamp": now_iso()}
        if result:
            statement["result"] = result
        return statement

    def send(self, *statements):
        return self.client.post("/xapi/statements", json=list(statements),
                                headers=self.headers())

    def run(self, *steps) -> None:
        """Send each step (a verb, or (verb, result)) as its own request; each must be
        stored."""
        for step in steps:
            verb, result = step if isinstance(step, tuple) else (step, None)
            response = self.send(self.statement(verb, result))
            assert response.status_code == 200, response.get_data(as_text=True)


def basic_key_of(auth: str) -> str:
    return base64.b64decode(auth.partition(" ")[2]).decode().partition(":")[0]


COMPLETED = ("completed", {"completion": True, "duration": "PT5M"})
PASSED = ("passed", {"success": True, "score": {"scaled": 0.9}, "duration": "PT6M"})
FAILED = ("failed", {"success": False, "score": {"scaled": 0.2}, "duration": "PT6M"})
TERMINATED = ("terminated", {"duration": "PT10M"})


PASSWORD = "correct horse battery"  # the password `make_user` gives everyone


def csrf_token(page: str) -> str:
    """The value of a page's hidden `csrf_token` input."""
    import re

    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no csrf_token on the page"
    return match.group(1)


def sign_in(client, user) -> None:
    """Sign `user` in through the login form."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302


def folder_of(package: dict) -> str:
    """The folder of an uploaded package (from the API's answer)."""
    return package["launch_url"].split("/content/packages/", 1)[1].split("/", 1)[0]
