"""Course structures the cmi5 LMS test suite (CATAPULT `lts/pkg`) has an LMS refuse at import
and that authoring tools get wrong: an AU URL with a space, a URL whose query uses a launch
parameter's name, elements out of the schema's order. Hand-written, minimal courses."""

from __future__ import annotations

import pytest

from lms.content.cmi5_course import read_package
from lms.content.safe_zip import PackageRefused

IRI = "http://pathway.test/activities/compat-cmi5"
NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def text(name: str, value: str) -> str:
    return f'<{name}><langstring lang="en">{value}</langstring></{name}>'


def course(members: str, head: str | None = None) -> str:
    head = head if head is not None else (
        '<course id="https://example.test/course">' + text("title", "Course")
        + text("description", "About it") + "</course>")
    return f'<?xml version="1.0"?><courseStructure xmlns="{NS}">{head}{members}</courseStructure>'


def au(inner: str, au_id: str = "https://example.test/au/1") -> str:
    return f'<au id="{au_id}">{inner}</au>'


def read(tmp_path, xml: str):
    (tmp_path / "cmi5.xml").write_text(xml)
    (tmp_path / "index.html").write_text("<html></html>")
    return read_package(tmp_path, IRI)


TITLE_DESCRIPTION = text("title", "AU") + text("description", "An AU")


def test_a_course_in_the_schemas_order_with_every_optional_element_reads(tmp_path):
    inner = (TITLE_DESCRIPTION + '<objectives><objective idref="https://example.test/o"/>'
             "</objectives><url>index.html?page=2</url>"
             "<launchParameters>x=1</launchParameters><entitlementKey>k</entitlementKey>")
    members = ('<block id="https://example.test/block">' + text("title", "Block")
               + text("description", "A block") + au(inner) + "</block>")
    found = read(tmp_path, course(members))
    assert [a["url"] for a in found.aus] == ["index.html?page=2"]
    assert found.aus[0]["launch_parameters"] == "x=1"


@pytest.mark.parametrize("url", ["http://example.com index.html", "index .html",
                                 "index.html?a=b c"])
def test_an_au_url_with_a_space_is_refused(tmp_path, url):
    with pytest.raises(PackageRefused, match="not a valid URL"):
        read(tmp_path, course(au(TITLE_DESCRIPTION + f"<url>{url}</url>")))


@pytest.mark.parametrize("name", ["endpoint", "fetch", "actor", "registration",
                                  "activityId"])
def test_an_au_url_using_a_launch_parameters_name_is_refused(tmp_path, name):
    url = f"index.html?page=1&amp;{name}=http://example.org/lrs"
    with pytest.raises(PackageRefused, match=f"has {name} in its query"):
        read(tmp_path, course(au(TITLE_DESCRIPTION + f"<url>{url}</url>")))


def test_other_query_names_stay(tmp_path):
    found = read(tmp_path, course(au(TITLE_DESCRIPTION + "<url>index.html?lrs=1&amp;x</url>")))
    assert found.aus[0]["url"] == "index.html?lrs=1&x"


@pytest.mark.parametrize("inner, misplaced", [
    ("<url>index.html</url>" + TITLE_DESCRIPTION, "title"),
    (text("description", "d") + text("title", "t") + "<url>index.html</url>", "title"),
    (TITLE_DESCRIPTION + "<url>index.html</url><url>index.html</url>", "url"),
    (TITLE_DESCRIPTION + "<launchParameters>x</launchParameters><url>index.html</url>", "url"),
])
def test_au_elements_out_of_the_schemas_order_are_refused(tmp_path, inner, misplaced):
    with pytest.raises(PackageRefused, match=f"<{misplaced}> is out of place"):
        read(tmp_path, course(au(inner)))


def test_a_blocks_title_after_its_aus_is_refused(tmp_path):
    members = ('<block id="https://example.test/block">' + text("description", "A block")
               + au(TITLE_DESCRIPTION + "<url>index.html</url>") + text("title", "Block")
               + "</block>")
    with pytest.raises(PackageRefused, match="<title> is out of place"):
        read(tmp_path, course(members))


def test_objectives_after_the_aus_are_refused(tmp_path):
    members = (au(TITLE_DESCRIPTION + "<url>index.html</url>")
               + '<objectives><objective id="https://example.test/o">' + text("title", "O")
               + text("description", "D") + "</objective></objectives>")
    with pytest.raises(PackageRefused, match="<objectives> is out of place"):
        read(tmp_path, course(members))


def test_elements_of_other_namespaces_may_come_anywhere(tmp_path):
    extension = '<ext:note xmlns:ext="https://example.test/ext">hi</ext:note>'
    found = read(tmp_path, course(au(extension + TITLE_DESCRIPTION + extension
                                     + "<url>index.html</url>" + extension)))
    assert found.aus[0]["title"] == "AU"
