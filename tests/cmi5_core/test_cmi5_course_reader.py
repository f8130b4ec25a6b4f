"""Reading cmi5.xml: courses that import (blocks, nesting, absolute URLs, languages, defaults)
and those refused with a message naming what is wrong (nothing kept); cmi5.xml uploaded
alone."""

from __future__ import annotations

import pytest
from cmi5_core_support import (
    AU1_ID,
    AU2_ID,
    BLOCK_ID,
    COURSE_ID,
    SLUG,
    au,
    block,
    course_files,
    course_xml,
    course_zip,
    two_au_course,
)

from lms.content.cmi5_course import has_manifest, lms_id, read_package
from lms.content.safe_zip import PackageRefused

pytest_plugins = ["cmi5_core_fixtures"]

IRI = "http://pathway.test/activities/" + SLUG


def folder_with(tmp_path, entries: dict):
    for name, data in entries.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data)
    return tmp_path


def read(tmp_path, xml: str, **files):
    return read_package(folder_with(tmp_path, course_files(xml, **files)), IRI)


# -- good courses ------------------------------------------------------------------------

def test_two_aus_in_a_block(tmp_path):
    course = read(tmp_path, two_au_course())
    assert course.kind == "cmi5"
    assert course.title == "Lived experience"
    assert course.course["id"] == COURSE_ID
    assert course.root_activity_id == lms_id(IRI, "course", COURSE_ID)
    assert course.root_activity_id.startswith(IRI + "/cmi5/course/")
    assert course.launch_path == "transcript/index.html"
    first, second = course.aus
    assert first == {
        "index": 0, "id": AU1_ID, "lms_id": lms_id(IRI, "au", AU1_ID),
        "title": "The transcript", "description": "What it teaches",
        "url": "transcript/index.html", "launch_method": "AnyWindow", "move_on": "Completed",
        "mastery_score": None, "launch_parameters": None, "entitlement_key": None,
        "activity_type": "", "blocks": [BLOCK_ID]}
    assert second["url"] == "check/index.html?lang=en"
    assert (second["move_on"], second["mastery_score"]) == ("Passed", 0.8)
    assert (second["launch_parameters"], second["entitlement_key"]) == ("start=1", "ek-123")
    assert course.blocks == [{"index": 0, "id": BLOCK_ID, "lms_id": lms_id(IRI, "block", BLOCK_ID),
                              "title": "Listening", "description": "A group of AUs",
                              "blocks": [], "aus": [0, 1]}]
    assert course.structure == [{"type": "block", "id": BLOCK_ID, "index": 0,
                                 "title": "Listening", "children": [
                                     {"type": "au", "id": AU1_ID, "index": 0,
                                      "title": "The transcript"},
                                     {"type": "au", "id": AU2_ID, "index": 1,
                                      "title": "The check"}]}]
    manifest = course.manifest()
    assert manifest["format"] == "cmi5"
    assert manifest["activity_ids"] == course.activity_ids
    # Pathway's own ids first (the course, blocks, AUs), then the publisher's.
    assert course.activity_ids == [
        lms_id(IRI, "course", COURSE_ID), lms_id(IRI, "block", BLOCK_ID),
        lms_id(IRI, "au", AU1_ID), lms_id(IRI, "au", AU2_ID), COURSE_ID, BLOCK_ID, AU1_ID,
        AU2_ID]


def test_the_lms_ids_never_equal_the_publishers_and_stay_the_same_for_the_same_id():
    assert lms_id(IRI, "au", AU1_ID) != AU1_ID
    assert lms_id(IRI, "au", AU1_ID) == lms_id(IRI, "au", AU1_ID)
    assert lms_id(IRI, "au", AU1_ID) != lms_id(IRI, "au", AU2_ID)
    assert lms_id(IRI, "au", AU1_ID) != lms_id(IRI + "-other", "au", AU1_ID)


def test_nested_blocks_and_an_au_outside_them(tmp_path):
    inner = COURSE_ID + "/blocks/inner"
    xml = course_xml(
        au(COURSE_ID + "/aus/intro", "transcript/index.html", "Intro"),
        block(BLOCK_ID,
              au(AU1_ID, "transcript/index.html", "One"),
              block(inner, au(AU2_ID, "check/index.html", "Two"),
                    au(COURSE_ID + "/aus/three", "check/index.html", "Three"), title="Inner"),
              title="Outer"))
    course = read(tmp_path, xml)
    assert [a["title"] for a in course.aus] == ["Intro", "One", "Two", "Three"]
    assert [a["blocks"] for a in course.aus] == [[], [BLOCK_ID], [BLOCK_ID, inner],
                                                 [BLOCK_ID, inner]]
    outer_block, inner_block = course.blocks
    assert (outer_block["aus"], outer_block["blocks"]) == ([1, 2, 3], [])
    assert (inner_block["aus"], inner_block["blocks"]) == ([2, 3], [BLOCK_ID])
    assert [n["type"] for n in course.structure] == ["au", "block"]
    assert [n["title"] for n in course.structure[1]["children"]] == ["One", "Inner"]


def test_blocks_nested_too_deep_are_refused_not_a_failure(tmp_path):
    member = au(AU1_ID, "transcript/index.html", "One")
    for depth in range(600):  # a recursive walk would overflow Python's stack
        member = block(f"{COURSE_ID}/blocks/{depth}", member, title=f"Level {depth}")
    with pytest.raises(PackageRefused, match="nested more than 32 levels deep"):
        read(tmp_path, course_xml(member))


def test_absolute_urls_and_defaults(tmp_path):
    xml = course_xml(au(AU1_ID, "https://aus.example.org/one/start.html?x=1", "Web AU",
                        launchMethod="OwnWindow", activityType="http://adlnet.gov/expapi/"
                        "activities/media"))
    course = read(tmp_path, xml)
    only = course.aus[0]
    assert only["url"] == "https://aus.example.org/one/start.html?x=1"
    assert (only["launch_method"], only["move_on"]) == ("OwnWindow", "NotApplicable")
    assert only["activity_type"] == "http://adlnet.gov/expapi/activities/media"
    assert course.launch_path == "cmi5.xml"  # the AU is not a file of the package


@pytest.mark.parametrize(("titles", "expected"), [
    ({"fr-FR": "Titre", "en-GB": "Title GB", "en-US": "Title US"}, "Title GB"),
    ({"fr-FR": "Titre", "en": "Title", "en-US": "Title US"}, "Title"),
    ({"fr-FR": "Titre", "en-US": "Title US"}, "Title US"),
    ({"fr-FR": "Titre", "de-DE": "Titel"}, "Titre"),
])
def test_titles_in_the_preferred_language(tmp_path, titles, expected):
    course = read(tmp_path, course_xml(au(AU1_ID, "transcript/index.html", titles),
                                       title=titles))
    assert course.title == expected
    assert course.aus[0]["title"] == expected


def test_whitespace_around_values_is_removed(tmp_path):
    xml = course_xml(au(f"  {AU1_ID}\n", "\n  transcript/index.html  ", "  Spaced  ",
                        moveOn=" Completed ", masteryScore=" 0.5 ",
                        launch_parameters="  a=1  "))
    only = read(tmp_path, xml).aus[0]
    assert (only["id"], only["url"], only["title"]) == (AU1_ID, "transcript/index.html",
                                                       "Spaced")
    assert (only["move_on"], only["mastery_score"], only["launch_parameters"]) == \
        ("Completed", 0.5, "a=1")


def test_vendor_extensions_in_other_namespaces_are_ignored(tmp_path):
    extension = ('<ext:note xmlns:ext="http://vendor.example/ext"><ext:au id="x"/>'
                 '</ext:note>')
    course = read(tmp_path, course_xml(au(AU1_ID, "transcript/index.html"), extension))
    assert len(course.aus) == 1


def test_a_course_in_one_top_folder(tmp_path):
    entries = {f"course/{name}": data for name, data in course_files(two_au_course()).items()}
    folder = folder_with(tmp_path, entries)
    assert has_manifest(folder)
    course = read_package(folder, IRI)
    assert course.aus[0]["url"] == "course/transcript/index.html"
    assert course.launch_path == "course/transcript/index.html"


# -- refusals ------------------------------------------------------------------------------

@pytest.mark.parametrize(("xml", "message"), [
    (course_xml(au(AU1_ID, "transcript/index.html"), au(AU1_ID, "check/index.html")),
     f"the id '{AU1_ID}' is used twice"),
    (course_xml(block(AU1_ID, au(AU1_ID, "check/index.html"))), "is used twice"),
    (course_xml(au(COURSE_ID, "check/index.html")), "is used twice"),
    (course_xml(au(AU1_ID, "")), "has no <url>"),
    (course_xml(au(AU1_ID, "missing.html")), "names a file that is not in the package"),
    (course_xml(au(AU1_ID, "../outside.html")), "leaves the package"),
    (course_xml(au(AU1_ID, "/etc/passwd")), "is absolute without http(s)"),
    (course_xml(au(AU1_ID, "ftp://example.org/au.html")), "is not a web address"),
    (course_xml(au(AU1_ID, "transcript\\index.html")), "uses backslashes"),
    (course_xml(au(AU1_ID, "transcript/index.html", masteryScore="1.5")),
     "masteryScore '1.5' is not a decimal from 0 to 1"),
    (course_xml(au(AU1_ID, "transcript/index.html", masteryScore="-0.1")),
     "is not a decimal from 0 to 1"),
    (course_xml(au(AU1_ID, "transcript/index.html", masteryScore="high")),
     "is not a decimal from 0 to 1"),
    (course_xml(au(AU1_ID, "transcript/index.html", masteryScore="NaN")),
     "is not a decimal from 0 to 1"),
    (course_xml(au(AU1_ID, "transcript/index.html", moveOn="Attempted")),
     "moveOn 'Attempted' is not one of NotApplicable, Passed"),
    (course_xml(au(AU1_ID, "transcript/index.html", launchMethod="Popup")),
     "launchMethod 'Popup' is not AnyWindow or OwnWindow"),
    (course_xml(au("not an iri", "transcript/index.html")), "is not an absolute IRI"),
    (course_xml(au("", "transcript/index.html")), "a <au> has no id"),
    (course_xml(), "the course has no <au>"),
    (course_xml(block(BLOCK_ID)), "holds no <au> or <block>"),
    (course_xml(au(AU1_ID, "transcript/index.html"), title={}), "<course> has no <title>"),
    (course_xml(au(AU1_ID, "transcript/index.html", {})), "has no <title>"),
    ('<?xml version="1.0"?><courseStructure><course id="http://x.org/c"/></courseStructure>',
     "without a namespace"),
    (f'<?xml version="1.0"?><tincan xmlns="{"http://projecttincan.com/tincan.xsd"}"/>',
     "the root element must be <courseStructure>"),
    ("<courseStructure", "is not well-formed XML"),
])
def test_refused_courses_name_the_problem(tmp_path, xml, message):
    with pytest.raises(PackageRefused) as refused:
        read(tmp_path, xml)
    assert message in str(refused.value)
    assert str(refused.value).startswith("file: cmi5.xml")


XXE = '<!DOCTYPE courseStructure [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
DTD_ONLY = '<!DOCTYPE courseStructure SYSTEM "http://attacker.example/cs.dtd">'


@pytest.mark.parametrize(("prolog", "title"), [
    (XXE, "&xxe;"), (LAUGHS, "&lol3;"), (DTD_ONLY, "Plain"),
])
def test_dtds_and_entities_are_refused_not_resolved(tmp_path, prolog, title):
    xml = course_xml(au(AU1_ID, "transcript/index.html", title), prolog=prolog)
    with pytest.raises(PackageRefused, match="DTD|entity declarations"):
        read(tmp_path, xml)


# -- through the upload API ------------------------------------------------------------------

def test_a_course_zip_uploads_as_a_cmi5_package(uploaded):
    assert uploaded["kind"] == "cmi5"
    assert uploaded["title"] == "Lived experience"
    assert uploaded["launch_path"] == "transcript/index.html"
    assert uploaded["root_activity_id"].startswith(IRI + "/cmi5/course/")


def test_a_refused_course_keeps_nothing(app, upload):
    from pathlib import Path

    response = upload(course_zip(course_xml(au(AU1_ID, "transcript/index.html"),
                                            au(AU1_ID, "check/index.html"))))
    assert response.status_code == 422
    body = response.get_json()
    assert body["errors"][0]["field"] == "file"
    assert "is used twice" in body["errors"][0]["detail"]
    packages = Path(app.instance_path) / "content" / "packages"
    assert not packages.exists() or list(packages.iterdir()) == []


def test_cmi5_xml_alone_with_absolute_urls_is_a_course(upload):
    xml = course_xml(block(BLOCK_ID,
                           au(AU1_ID, "https://aus.example.org/transcript.html"),
                           au(AU2_ID, "https://aus.example.org/check.html", moveOn="Passed")))
    response = upload(xml.encode(), name="cmi5.xml")
    assert response.status_code == 201, response.get_data(as_text=True)
    package = response.get_json()
    assert package["kind"] == "cmi5"
    assert package["launch_path"] == "cmi5.xml"
    assert package["file_count"] == 1


def test_cmi5_xml_alone_with_a_byte_order_mark(upload):
    xml = course_xml(au(AU1_ID, "https://aus.example.org/transcript.html"))
    response = upload(b"\xef\xbb\xbf" + xml.encode(), name="cmi5.xml")
    assert response.status_code == 201, response.get_data(as_text=True)


def test_cmi5_xml_alone_with_a_relative_url_is_refused(upload):
    response = upload(course_xml(au(AU1_ID, "transcript/index.html")).encode(),
                      name="cmi5.xml")
    assert response.status_code == 422
    assert "cmi5.xml came alone" in response.get_json()["errors"][0]["detail"]


def test_cmi5_xml_alone_still_refuses_a_dtd(upload):
    xml = course_xml(au(AU1_ID, "https://aus.example.org/a.html", "&xxe;"), prolog=XXE)
    response = upload(xml.encode(), name="cmi5.xml")
    assert response.status_code == 422
    assert "DTD" in response.get_json()["errors"][0]["detail"]


def test_neither_a_zip_nor_xml_is_still_not_a_zip(upload):
    response = upload(b"just some text", name="course.txt")
    assert response.status_code == 422
    assert "is not a zip file" in response.get_json()["errors"][0]["detail"]


def test_xml_for_a_type_that_takes_no_cmi5_is_not_a_zip(client, catalogue, admin_headers):
    import io

    response = client.put("/api/v1/activities/u1-interactive-recognising-restrictions/package",
                          headers=admin_headers,
                          data={"file": (io.BytesIO(two_au_course().encode()), "cmi5.xml")},
                          content_type="multipart/form-data")
    assert response.status_code == 422
    assert "is not a zip file" in response.get_json()["errors"][0]["detail"]


def test_the_same_course_cannot_serve_two_activities(upload, uploaded):
    response = upload(slug="cmi5-core-second-course")
    assert response.status_code == 409
    assert COURSE_ID in response.get_json()["detail"]


def test_lms_content_import_takes_cmi5_xml_alone(runner, intake, tmp_path):
    path = tmp_path / "cmi5.xml"
    path.write_text(course_xml(au(AU1_ID, "https://aus.example.org/transcript.html")))
    result = runner.invoke(args=["content", "import", SLUG, str(path)])
    assert result.exit_code == 0, result.output
    assert "imported 'Lived experience'" in result.output
    assert "launches cmi5.xml" in result.output
    refused = tmp_path / "relative.xml"
    refused.write_text(course_xml(au(AU1_ID, "transcript/index.html")))
    result = runner.invoke(args=["content", "import", SLUG, str(refused)])
    assert result.exit_code == 1
    assert "came alone" in result.output
