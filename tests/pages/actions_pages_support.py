"""Helpers of the tests of the personal API tokens page, the tutor's window and attendance
page and the content packages page: calling the API as a program would (a bearer token, no
browser session), reading a labelled read-only input, and building package zips."""

import io
import re
import zipfile
from html import unescape

from lms.extensions import db

TINCAN = """<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="{activity_id}" type="http://adlnet.gov/expapi/activities/course">
      <name lang="en-GB">{title}</name>
      <launch lang="en-GB">index.html</launch>
    </activity>
  </activities>
</tincan>
"""


def api(app, method: str, path: str, secret: str, **kwargs):
    """Call the API with `Authorization: Bearer <secret>` from a client without cookies, in
    its own app context (as a program would)."""
    with app.app_context():
        client = app.test_client()
        response = client.open(path, method=method,
                               headers={"Authorization": f"Bearer {secret}"}, **kwargs)
    db.session.rollback()
    return response


def readonly_value(html: str, input_id: str) -> str:
    """The value of the read-only input `input_id`, checking it has a visible label."""
    assert re.search(rf'<label for="{input_id}">[^<]+</label>', html), f"no label for {input_id}"
    match = re.search(rf'<input id="{input_id}" type="text" value="([^"]+)" readonly', html)
    assert match, f"no read-only {input_id}"
    return unescape(match.group(1))


def make_zip(entries: dict) -> bytes:
    """A zip holding `entries` ({name: text or bytes})."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def package_zip(activity_id: str = "http://example.org/packages/restrictions",
                title: str = "Recognising restrictions", **extra) -> bytes:
    """A good xAPI package: tincan.xml, its launch page and a script (plus `extra`)."""
    return make_zip({"tincan.xml": TINCAN.format(activity_id=activity_id, title=title),
                     "index.html": "<!doctype html><title>Package</title>",
                     "js/app.js": "console.log('hello');", **extra})
