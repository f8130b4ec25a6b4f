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
