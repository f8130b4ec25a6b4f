"""Manifests the SCORM reader refuses, each with a message naming the manifest, the element
and the rule: unsafe XML (XXE, billion laughs, any DTD), launch paths that are absolute,
leave the package or name no file, missing resources, duplicate identifiers, nothing to
launch, and manifests that are not SCORM."""

import pytest
from scorm_manifest_support import (
    ACTIVITY_IRI,
    HTML,
    LAUGHS,
    XXE,
    sco_resource,
    scorm2004,
    storyline_12,
    storyline_12_entries,
    write_folder,
)

from lms.content import scorm_manifest
from lms.content.safe_zip import PackageRefused
from lms.content.scorm_manifest import read_package

ONE_ITEM = '<item identifier="I1" identifierref="R1"><title>One</title></item>'


def manifest_2004(items=ONE_ITEM, resources=None, **kwargs) -> dict:
    resources = sco_resource("R1", "index.html", dependencies=()) if resources is None \
        else resources
    return {"imsmanifest.xml": scorm2004(items, resources, **kwargs), "index.html": HTML}


def with_manifest(text: str) -> dict:
    return {**storyline_12_entries(), "imsmanifest.xml": text}


def nested_items(levels: int) -> str:
    opening = "".join(f'<item identifier="L{i}"><title>Level {i}</title>'
                      for i in range(levels))
    return opening + ONE_ITEM + "</item>" * levels


REFUSALS = {
    "not well-formed": (with_manifest("<manifest><organizations>"),
                        "imsmanifest.xml is not well-formed XML"),
    "XXE": (storyline_12_entries(title="&secret;", prolog=XXE),
            "imsmanifest.xml: a DTD (<!DOCTYPE ...>) is not allowed in a manifest"),
    "billion laughs": (storyline_12_entries(title="&lol3;", prolog=LAUGHS),
                       "imsmanifest.xml: a DTD (<!DOCTYPE ...>) is not allowed"),
    "harmless-looking DTD": (
        storyline_12_entries(prolog='<?xml version="1.0"?>\n<!DOCTYPE manifest SYSTEM '
                                    '"imscp_rootv1p1p2.dtd">'),
        "imsmanifest.xml: a DTD (<!DOCTYPE ...>) is not allowed"),
    "traversal href": (storyline_12_entries(href="../../etc/passwd"),
                       "<item identifier='RecognisingRestrictions_SCO'>: resource "
                       "'RecognisingRestrictions_RES' href '../../etc/passwd' leaves the "
                       "package"),
    "traversal hidden in the middle": (storyline_12_entries(href="lms/../../../etc/passwd"),
                                       "href 'lms/../../../etc/passwd' leaves the package"),
    "encoded traversal": (storyline_12_entries(href="%2e%2e/%2e%2e/etc/passwd"),
                          "leaves the package"),
    "absolute URL": (storyline_12_entries(href="https://elsewhere.example/course.html"),
                     "href 'https://elsewhere.example/course.html' is absolute"),
    "rooted path": (storyline_12_entries(href="/etc/passwd"), "href '/etc/passwd' is absolute"),
    "protocol-relative": (storyline_12_entries(href="//evil.example/x.html"), "is absolute"),
    "drive letter": (storyline_12_entries(href="C:/course/index.html"), "is absolute"),
    "file URL": (storyline_12_entries(href="file:///etc/passwd"), "is absolute"),
    "backslashes": (storyline_12_entries(href="lms\\scormdriver.js"), "uses backslashes"),
    "missing launch file": (storyline_12_entries(href="index_scorm.html"),
                            "href 'index_scorm.html' names a file that is not in the "
                            "package (index_scorm.html)"),
    "a folder, not a file": (storyline_12_entries(href="lms/"), "names a file that is not"),
    "query only": (storyline_12_entries(href="?page=1"), "href '?page=1' names no file"),
    "absolute xml:base": (
        manifest_2004(resources=sco_resource("R1", "index.html", base="http://cdn.example/",
                                             dependencies=())),
        "href 'index.html' with xml:base 'http://cdn.example/' is absolute"),
    "xml:base leaving the package": (
        manifest_2004(resources=sco_resource("R1", "index.html", base="../../",
                                             dependencies=())),
        "href 'index.html' with xml:base '../../' leaves the package"),
    "missing resource": (manifest_2004(items=ONE_ITEM.replace('"R1"', '"R9"')),
                         "<item identifier='I1'>: identifierref 'R9' names no <resource> of "
                         "the manifest"),
    "resource without href": (
        manifest_2004(resources='<resource identifier="R1" type="webcontent" '
                                'adlcp:scormType="sco"/>'),
        "its resource 'R1' has no href, so there is nothing to launch"),
    "duplicate item identifiers": (manifest_2004(items=ONE_ITEM * 2),
                                   "two <item> elements have the identifier 'I1'"),
    "duplicate item identifiers across levels": (
        manifest_2004(items='<item identifier="I1"><title>Top</title>' + ONE_ITEM + "</item>"),
        "two <item> elements have the identifier 'I1'"),
    "duplicate resource identifiers": (
        manifest_2004(resources=sco_resource("R1", "index.html", dependencies=()) * 2),
        "two <resource> elements have the identifier 'R1'"),
    "item without identifier": (manifest_2004(items='<item identifierref="R1"/>'),
                                "an <item> (under the organization) has no identifier"),
    "no organizations and no resources": (
        {"imsmanifest.xml": f'<manifest identifier="M" xmlns="{scorm_manifest.CP_12}">'
                            "<metadata><schemaversion>1.2</schemaversion></metadata>"
                            "<organizations/><resources/></manifest>"},
        "it has no <organization> and no <resource>"),
    "nothing launchable": (manifest_2004(items='<item identifier="I1"><title>Heading</title>'
                                               "</item>"),
                           "no <item> refers to a resource with an href"),
    "foreign namespace": (
        {"imsmanifest.xml": '<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p2" '
                            'identifier="M"/>', "index.html": HTML},
        "the root element must be a SCORM <manifest> (namespace "
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2 for SCORM 1.2, "
        "http://www.imsglobal.org/xsd/imscp_v1p1 for SCORM 2004), not <manifest> in "
        "namespace http://www.imsglobal.org/xsd/imscp_v1p2"),
    "not a manifest": (with_manifest(storyline_12().replace("<manifest", "<course").replace(
                           "</manifest>", "</course>")),
                       "the root element must be a SCORM <manifest>"),
    "no edition to tell": (
        {"imsmanifest.xml": "<manifest identifier='M'><organizations/><resources/>"
                            "</manifest>"},
        "cannot tell which SCORM edition this is"),
    "sub-manifest": (manifest_2004(items=ONE_ITEM.replace('"R1"', '"SUB"'),
                                   manifest_extra='<manifest identifier="SUB"/>'),
                     "identifierref 'SUB' names a sub-manifest"),
    "mastery score not a number": (storyline_12_entries(masteryscore="eighty"),
                                   "<item identifier='RecognisingRestrictions_SCO'>: "
                                   "adlcp:masteryscore 'eighty' is not a number from 0 to 100"),
    "mastery score out of range": (storyline_12_entries(masteryscore="180"),
                                   "adlcp:masteryscore '180' is not a number from 0 to 100"),
    "threshold out of range": (
        manifest_2004(items='<item identifier="I1" identifierref="R1"><title>One</title>'
                            "<adlcp:completionThreshold>1.5</adlcp:completionThreshold>"
                            "</item>"),
        "adlcp:completionThreshold '1.5' is not a number from 0 to 1"),
    "duration not ISO 8601": (
        manifest_2004(items='<item identifier="I1" identifierref="R1"><title>One</title>'
                            '<imsss:sequencing><imsss:limitConditions '
                            'attemptAbsoluteDurationLimit="90 minutes"/></imsss:sequencing>'
                            "</item>"),
        "attemptAbsoluteDurationLimit '90 minutes' is not an ISO 8601 duration"),
    "items nested too deep": (manifest_2004(items=nested_items(40)),
                              "items are nested more than 32 levels deep"),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_broken_or_unsafe_manifest_is_refused_naming_the_rule(tmp_path, case):
    entries, expected = REFUSALS[case]
    with pytest.raises(PackageRefused) as refused:
        read_package(write_folder(tmp_path, entries), ACTIVITY_IRI)
    assert expected in refused.value.reason
    assert refused.value.reason.startswith("imsmanifest.xml")


def test_the_xxe_entity_is_never_resolved(tmp_path):
    """Nothing of /etc/passwd reaches the refusal (the DTD is refused before any entity)."""
    entries = storyline_12_entries(title="&secret;", prolog=XXE)
    with pytest.raises(PackageRefused) as refused:
        read_package(write_folder(tmp_path, entries), ACTIVITY_IRI)
    assert "root:" not in refused.value.reason


def test_no_manifest_is_refused_naming_the_file(tmp_path):
    with pytest.raises(PackageRefused, match="the package has no imsmanifest.xml at its root"):
        read_package(write_folder(tmp_path, {"index.html": HTML}), ACTIVITY_IRI)


def test_a_manifest_over_the_size_cap_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(scorm_manifest, "MAX_MANIFEST_BYTES", 1000)
    with pytest.raises(PackageRefused, match="imsmanifest.xml is larger than 1000 bytes"):
        read_package(write_folder(tmp_path, storyline_12_entries()), ACTIVITY_IRI)


def test_the_refusal_names_the_manifest_inside_its_top_folder(tmp_path):
    entries = {f"course/{k}": v for k, v in storyline_12_entries(href="gone.html").items()}
    with pytest.raises(PackageRefused) as refused:
        read_package(write_folder(tmp_path, entries), ACTIVITY_IRI)
    assert refused.value.reason.startswith("course/imsmanifest.xml: ")
    assert "names a file that is not in the package (course/gone.html)" in refused.value.reason


def test_a_top_folder_href_may_not_climb_into_the_package_root(tmp_path):
    """With the manifest in `course/`, `../secret.html` stays inside the zip but leaves the
    package the manifest describes."""
    entries = {f"course/{k}": v for k, v in storyline_12_entries(href="../x.html").items()}
    with pytest.raises(PackageRefused, match="leaves the package"):
        read_package(write_folder(tmp_path, entries), ACTIVITY_IRI)
