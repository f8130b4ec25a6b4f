"""Statements an AU sends in a cmi5 session, conformant unless a test changes them."""

import copy
import uuid

from activities.cmi5 import vocab

ALLOWED_VERB = "http://adlnet.gov/expapi/verbs/experienced"


class Session:
    """The launch facts statements are built from: session id, AU (activityId), publisher
    id, registration, actor and masteryScore."""

    def __init__(self, *, session_id=None, au_id="https://pathway.test/cmi5/au/0",
                 publisher_id="https://example.com/course/au-1", registration=None,
                 actor=None, mastery_score=None):
        self.session_id = session_id or str(uuid.uuid4())
        self.au_id = au_id
        self.publisher_id = publisher_id
        self.registration = registration or str(uuid.uuid4())
        self.actor = actor or {"objectType": "Agent", "name": "Ann Learner",
                               "account": {"homePage": "http://pathway.test", "name": "ann"}}
        self.mastery_score = mastery_score
        self.clock = 0

    def context_template(self) -> dict:
        """The `contextTemplate` of the launch's `LMS.LaunchData`."""
        return {"contextActivities": {"grouping": [{"objectType": "Activity",
                                                    "id": self.publisher_id}]},
                "extensions": {vocab.SESSION_ID: self.session_id}}

    def _timestamp(self) -> str:
        self.clock += 1
        return f"2025-03-01T10:{self.clock // 60:02d}:{self.clock % 60:02d}.000Z"

    def allowed(self, verb: str = ALLOWED_VERB, target: str | None = None) -> dict:
        """A cmi5 allowed statement (no cmi5 category) about a page of the AU."""
        context = copy.deepcopy(self.context_template())
        context["registration"] = self.registration
        return {"id": str(uuid.uuid4()), "actor": copy.deepcopy(self.actor),
                "verb": {"id": verb},
                "object": {"objectType": "Activity",
                           "id": target or f"{self.au_id}/pages/1"},
                "context": context, "timestamp": self._timestamp()}

    def defined(self, verb: str, score: float | None = None) -> dict:
        """A conformant cmi5 defined statement with `verb` about the AU."""
        statement = self.allowed(verb, self.au_id)
        categories = [{"objectType": "Activity", "id": vocab.CATEGORY_CMI5}]
        result = {}
        if verb == vocab.COMPLETED:
            result = {"completion": True, "duration": "PT5M"}
        elif verb in (vocab.PASSED, vocab.FAILED):
            result = {"success": verb == vocab.PASSED, "duration": "PT5M"}
            if score is not None:
                result["score"] = {"scaled": score}
                if self.mastery_score is not None:
                    statement["context"]["extensions"][vocab.MASTERY_SCORE] = \
                        self.mastery_score
        elif verb == vocab.TERMINATED:
            result = {"duration": "PT10M"}
        if "success" in result or "completion" in result:
            categories.append({"objectType": "Activity", "id": vocab.CATEGORY_MOVEON})
        statement["context"]["contextActivities"]["category"] = categories
        if result:
            statement["result"] = result
        return statement

    def initialized(self) -> dict:
        return self.defined(vocab.INITIALIZED)

    def completed(self) -> dict:
        return self.defined(vocab.COMPLETED)

    def passed(self, score: float | None = None) -> dict:
        return self.defined(vocab.PASSED, score)

    def failed(self, score: float | None = None) -> dict:
        return self.defined(vocab.FAILED, score)

    def terminated(self) -> dict:
        return self.defined(vocab.TERMINATED)


# ---- a small course and its launches, for the tests through HTTP ---------------------------

COURSE_ID = "https://example.com/cmi5/safe-practice"
BLOCK_ID = COURSE_ID + "/blocks/core"
QUIZ_ID = COURSE_ID + "/aus/quiz"
READING_ID = COURSE_ID + "/aus/reading"
SLUG = "cmi5-rules-course"
CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def _title(text: str) -> str:
    return (f'<title><langstring lang="en-GB">{text}</langstring></title>'
            f'<description><langstring lang="en-GB">{text}</langstring></description>')


def course_zip() -> bytes:
    """A course of two AUs in a block: a quiz (moveOn CompletedAndPassed, masteryScore 0.8)
    and a reading (moveOn Completed)."""
    import io
    import zipfile

    xml = (f'<?xml version="1.0" encoding="utf-8"?><courseStructure xmlns="{CMI5_NS}">'
           f'<course id="{COURSE_ID}">{_title("Safe practice")}</course>'
           f'<block id="{BLOCK_ID}">{_title("Core")}'
           f'<au id="{QUIZ_ID}" moveOn="CompletedAndPassed" masteryScore="0.8">'
           f'{_title("The quiz")}<url>quiz/index.html</url></au>'
           f'<au id="{READING_ID}" moveOn="Completed">{_title("The reading")}'
           f'<url>reading/index.html</url></au></block></courseStructure>')
    page = "<!doctype html><title>AU</title><p>An AU."
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("cmi5.xml", xml)
        archive.writestr("quiz/index.html", page)
        archive.writestr("reading/index.html", page)
    return buffer.getvalue()


class LaunchedAU(Session):
    """An AU launched through Pathway's API, with the credentials it fetched: builds its
    statements as `Session` does, from the launch URL's parameters, and sends them."""

    def __init__(self, client, launch: dict, publisher_id: str, mastery_score=None):
        import json
        from urllib.parse import parse_qs, urlsplit

        query = {k: v[0] for k, v in parse_qs(urlsplit(launch["url"]).query).items()}
        super().__init__(session_id=launch["session_id"], au_id=query["activityId"],
                         publisher_id=publisher_id, registration=query["registration"],
                         actor=json.loads(query["actor"]), mastery_score=mastery_score)
        self.client = client
        fetched = client.post(urlsplit(query["fetch"]).path).get_json()
        self.headers = {"Authorization": "Basic " + fetched["auth-token"],
                        "X-Experience-API-Version": "1.0.3"}

    def send(self, *statements):
        """POST the statements (one request); the response."""
        return self.client.post("/xapi/statements", json=list(statements),
                                headers=self.headers)

    def put(self, statement: dict):
        return self.client.put("/xapi/statements", query_string={"statementId": statement["id"]},
                               json=statement, headers=self.headers)
