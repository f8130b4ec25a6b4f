"""Helpers of the SCORM runtime tests: small SCORM packages (zipped in memory), the player
page's runtime configuration, commits sent as the JavaScript runtime sends them, and the
statements the LRS holds."""

from __future__ import annotations

import io
import json
import re
import zipfile
from html import unescape
from pathlib import Path

CATALOGUE = Path(__file__).parent / "scorm_runtime_catalogue.yaml"
QUIZ12 = "rt-scorm12-quiz"
PLAIN12 = "rt-scorm12-plain"
TWO2004 = "rt-scorm2004-two"
PLAIN2004 = "rt-scorm2004-plain"
ADL = "http://adlnet.gov/expapi/verbs/"
PROFILE = "https://w3id.org/xapi/scorm"

PASSWORD = "correct horse battery"  # the password `make_user` gives everyone
SCO_PAGE = b"<!doctype html><title>SCO</title><p>A SCO (the tests play its part).</p>"

MANIFEST_12 = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="org.pathway.tests.{slug}" version="1"
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>{title}</title>
      <item identifier="item_lesson" identifierref="res_lesson">
        <title>The lesson</title>
        {extra}
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_lesson" type="webcontent" adlcp:scormtype="sco"
              href="lesson/index.html">
      <file href="lesson/index.html"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004_TWO = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="org.pathway.tests.two" version="1"
          xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
          xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>A reading and a check</title>
      <item identifier="item_reading" identifierref="res_reading">
        <title>Reading</title>
        <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8"/>
        <adlcp:dataFromLMS>chapter=1</adlcp:dataFromLMS>
      </item>
      <item identifier="item_check" identifierref="res_check" parameters="?set=standard">
        <title>Check</title>
        <imsss:sequencing>
          <imsss:objectives>
            <imsss:primaryObjective objectiveID="check_passed" satisfiedByMeasure="true">
              <imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure>
            </imsss:primaryObjective>
          </imsss:objectives>
        </imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_reading" type="webcontent" adlcp:scormType="sco"
              href="reading/index.html">
      <file href="reading/index.html"/>
    </resource>
    <resource identifier="res_check" type="webcontent" adlcp:scormType="sco"
              href="check/index.html">
      <file href="check/index.html"/>
    </resource>
  </resources>
</manifest>
"""

MANIFEST_2004_PLAIN = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="org.pathway.tests.plain2004" version="1"
          xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>A lesson without thresholds</title>
      <item identifier="item_intro" identifierref="res_intro"><title>Introduction</title></item>
      <item identifier="item_lesson" identifierref="res_lesson"><title>The lesson</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res_intro" type="webcontent" adlcp:scormType="asset"
              href="intro.html">
      <file href="intro.html"/>
    </resource>
    <resource identifier="res_lesson" type="webcontent" adlcp:scormType="sco"
              href="lesson/index.html">
      <file href="lesson/index.html"/>
    </resource>
  </resources>
</manifest>
"""


def package_zip(slug: str) -> bytes:
    """The test package of activity `slug`: SCORM 1.2 with a mastery score of 80 (QUIZ12) or
    none (PLAIN12); SCORM 2004 with a reading (threshold 0.8) and a check (passing score
    0.7) (TWO2004), or one SCO and an asset, no thresholds (PLAIN2004)."""
    if slug == QUIZ12:
        manifest = MANIFEST_12.format(slug=slug, title="A quiz", extra=(
            "<adlcp:masteryscore>80</adlcp:masteryscore>"
            "<adlcp:datafromlms>level=1</adlcp:datafromlms>"))
        files = {"lesson/index.html": SCO_PAGE}
    elif slug == PLAIN12:
        manifest = MANIFEST_12.format(slug=slug, title="A lesson", extra="")
        files = {"lesson/index.html": SCO_PAGE}
    elif slug == TWO2004:
        manifest = MANIFEST_2004_TWO
        files = {"reading/index.html": SCO_PAGE, "check/index.html": SCO_PAGE}
    else:
        manifest = MANIFEST_2004_PLAIN
        files = {"intro.html": b"<!doctype html><title>Intro</title>",
                 "lesson/index.html": SCO_PAGE}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", manifest)
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def runtime_config(page: str) -> dict | None:
    """The runtime configuration the player page embeds (None when it has none)."""
    found = re.search(r'<script type="application/json" id="scorm-runtime-config">(.*?)'
                      r"</script>", page, re.DOTALL)
    return json.loads(unescape(found.group(1))) if found else None


def player_path(enrolment, slug: str) -> str:
    return f"/learn/{enrolment.id}/{slug}/player"


class Session:
    """One player page's runtime: sends commits as scorm-runtime.js does (the sequence
    counting up from 1)."""

    def __init__(self, client, config: dict):
        self.client, self.config, self.sequence = client, config, 0

    @property
    def initial(self) -> dict:
        return self.config["initial"]

    def send(self, event: str, values=(), *, sequence=None, token=None):
        """POST one commit; returns the response."""
        if sequence is None:
            self.sequence += 1
            sequence = self.sequence
        body = {"token": token or self.config["token"], "sequence": sequence, "event": event,
                "values": [list(pair) for pair in values]}
        return self.client.post(self.config["commitUrl"], data=json.dumps(body),
                                content_type="application/json")

    def ok(self, event: str, values=()) -> dict:
        """POST one commit that must succeed; returns its JSON."""
        response = self.send(event, values)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()


def verbs(statements: list[dict]) -> list[str]:
    """The verbs' last path segments, in order."""
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


def start_again(client, enrolment, slug: str, page: str, sco: str):
    """Post the player's "Start again" form for `sco`, with the CSRF token of a player
    `page` (every page has one, for signing out)."""
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return client.post(f"/learn/{enrolment.id}/{slug}/scorm/start-again",
                       data={"csrf_token": token, "sco": sco})


def sign_in(client, email: str) -> None:
    """Sign `client` in through the login form (with its CSRF token)."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)
