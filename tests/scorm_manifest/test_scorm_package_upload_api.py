"""Uploading SCORM packages through `PUT /api/v1/activities/<slug>/package` for an activity of
the `scorm` type: good SCORM 1.2 and 2004 packages are stored with their manifest (items,
SCO activity ids); unsafe zips and manifests are refused with 422 naming the rule, and leave
no folder and no row behind."""

import io
from pathlib import Path

import pytest
from scorm_manifest_support import (
    HTML,
    LAUGHS,
    XXE,
    make_zip,
    rise_12_entries,
    sco_resource,
    scorm2004,
    storyline_12_entries,
    two_scos_2004_entries,
)

from lms.content.models import ContentPackage

SLUG = "u1-scorm-recognising-restrictions"
XAPI_ONLY = "u1-interactive-xapi-only"
CATALOGUE = Path(__file__).with_name("scorm_upload_catalogue.yaml")


@pytest.fixture
def scorm_catalogue(app, db):
    """The small qualification holding a `scorm` activity."""
    from lms.catalogue.operations import load_file

    load_file(CATALOGUE)
    db.session.commit()


@pytest.fixture
def admin_headers(auth, make_user):
    return auth(make_user("admin"))


def upload(client, headers, data: bytes, slug=SLUG):
    return client.put(f"/api/v1/activities/{slug}/package", headers=headers,
                      data={"file": (io.BytesIO(data), "package.zip")},
                      content_type="multipart/form-data")


def package_folders(app) -> list[Path]:
    folder = Path(app.instance_path) / "content" / "packages"
    return sorted(folder.iterdir()) if folder.exists() else []


def assert_nothing_stored(app, db):
    assert package_folders(app) == []
    assert db.session.execute(db.select(ContentPackage)).scalars().all() == []


def activity_iri(app) -> str:
    return f"{app.config['BASE_URL'].rstrip('/')}/activities/{SLUG}"


def test_a_storyline_scorm_12_package_is_stored_with_its_manifest(client, app, db,
                                                                   scorm_catalogue,
                                                                   admin_headers):
    response = upload(client, admin_headers, make_zip(storyline_12_entries()))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    iri = activity_iri(app)
    assert (body["kind"], body["title"], body["launch_path"]) == (
        "scorm12", "Recognising restrictions", "index_lms.html")
    assert body["root_activity_id"] == iri
    manifest = body["manifest"]
    assert (manifest["format"], manifest["edition"], manifest["version"]) == (
        "scorm", "1.2", "1.2")
    assert manifest["activity_ids"] == [iri, f"{iri}/scos/RecognisingRestrictions_SCO"]
    assert manifest["items"][0]["data"] == {"mastery_score": 80}
    [folder] = package_folders(app)
    assert body["launch_url"] == f"/content/packages/{folder.name}/index_lms.html"
    assert (folder / "index_lms.html").read_text() == HTML
    [row] = db.session.execute(db.select(ContentPackage)).scalars().all()
    assert (row.kind, row.folder, row.manifest["activity_ids"]) == (
        "scorm12", folder.name, manifest["activity_ids"])


def test_a_2004_package_with_two_scos_lists_each_scos_activity_id(client, app,
                                                                  scorm_catalogue,
                                                                  admin_headers):
    response = upload(client, admin_headers, make_zip(two_scos_2004_entries()))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    iri = activity_iri(app)
    assert body["kind"] == "scorm2004"
    assert body["manifest"]["edition"] == "2004 3rd Edition"
    assert body["manifest"]["activity_ids"] == [iri, f"{iri}/scos/ITEM-intro",
                                                f"{iri}/scos/ITEM-quiz"]
    assert [i["launch_path"] for i in body["manifest"]["items"]] == [
        "intro/index.html", "quiz/index.html"]


def test_a_launch_path_keeps_its_fragment_in_the_launch_url(client, scorm_catalogue,
                                                            admin_headers):
    items = '<item identifier="I1" identifierref="R1" parameters="#slide-3"><title>1</title>' \
            "</item>"
    entries = {"imsmanifest.xml": scorm2004(items, sco_resource("R1", "index.html",
                                                                dependencies=())),
               "index.html": HTML}
    body = upload(client, admin_headers, make_zip(entries)).get_json()
    assert body["launch_path"] == "index.html#slide-3"
    assert body["launch_url"].endswith("/index.html#slide-3")


def test_a_rise_package_zipped_in_its_folder_is_stored(client, scorm_catalogue,
                                                       admin_headers):
    entries = {f"rise-export/{k}": v for k, v in rise_12_entries().items()}
    response = upload(client, admin_headers, make_zip(entries))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["launch_path"] == "rise-export/scormdriver/indexAPI.html"


def _with(name, data):
    return make_zip({**storyline_12_entries(), name: data})


def _bomb():
    return _with("story_content/silence.bin", b"\0" * (2 * 1024 * 1024))


def _manifest(**kwargs):
    return make_zip(storyline_12_entries(**kwargs))


def _duplicate_items():
    items = '<item identifier="I1" identifierref="R1"><title>One</title></item>' * 2
    return make_zip({"imsmanifest.xml": scorm2004(items, sco_resource("R1", "index.html")),
                     "index.html": HTML})


def _missing_resource():
    items = '<item identifier="I1" identifierref="R2"><title>One</title></item>'
    return make_zip({"imsmanifest.xml": scorm2004(items, sco_resource("R1", "index.html")),
                     "index.html": HTML})


REFUSALS = {
    "zip entry traversal": (lambda: _with("../../evil.html", HTML),
                            ["zip entry '../../evil.html'", "'..' would leave the package"]),
    "zip entry absolute": (lambda: _with("/etc/cron.d/evil", "x"),
                           ["absolute paths are not allowed"]),
    "zip bomb": (_bomb, ["zip entry 'story_content/silence.bin'", "likely zip bomb"]),
    "XXE": (lambda: _manifest(title="&secret;", prolog=XXE),
            ["imsmanifest.xml: a DTD (<!DOCTYPE ...>) is not allowed"]),
    "billion laughs": (lambda: _manifest(title="&lol3;", prolog=LAUGHS),
                       ["imsmanifest.xml: a DTD (<!DOCTYPE ...>) is not allowed"]),
    "traversal href": (lambda: _manifest(href="../../etc/passwd"),
                       ["href '../../etc/passwd' leaves the package"]),
    "absolute href": (lambda: _manifest(href="/etc/passwd"), ["href '/etc/passwd' is absolute"]),
    "missing launch file": (lambda: _manifest(href="index_scorm.html"),
                            ["href 'index_scorm.html' names a file that is not in the "
                             "package"]),
    "missing resource": (_missing_resource, ["identifierref 'R2' names no <resource>"]),
    "duplicate identifiers": (_duplicate_items,
                              ["two <item> elements have the identifier 'I1'"]),
    "an xAPI package": (lambda: make_zip({"tincan.xml": "<tincan/>", "index.html": HTML}),
                        ["the package has no imsmanifest.xml at its root"]),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_refused_scorm_package_is_422_naming_the_rule_and_leaves_nothing(
        client, app, db, scorm_catalogue, admin_headers, case):
    make, expected = REFUSALS[case]
    response = upload(client, admin_headers, make())
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    for text in expected:
        assert text in body["detail"]
    assert body["errors"][0]["field"] == "file"
    assert_nothing_stored(app, db)


@pytest.mark.parametrize("app_config", [{"PACKAGE_MAX_FILES": 3}])
def test_too_many_files_is_422_naming_the_limit(client, app, db, scorm_catalogue,
                                                admin_headers):
    response = upload(client, admin_headers, make_zip(storyline_12_entries()))
    assert response.status_code == 422
    assert "holds 7 entries; at most 3 are allowed (PACKAGE_MAX_FILES)" in \
        response.get_json()["detail"]
    assert_nothing_stored(app, db)


def test_a_scorm_package_for_an_xapi_only_activity_is_refused(client, app, db,
                                                              scorm_catalogue, admin_headers):
    response = upload(client, admin_headers, make_zip(storyline_12_entries()), slug=XAPI_ONLY)
    assert response.status_code == 422
    assert "the package has no tincan.xml at its root" in response.get_json()["detail"]
    assert_nothing_stored(app, db)
