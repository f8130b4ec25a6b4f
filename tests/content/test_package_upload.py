"""Uploading content packages: `PUT /api/v1/activities/<slug>/package` takes a good xAPI
package, and refuses every unsafe or broken one with a 4xx naming the entry and the rule,
leaving no folder and no row behind."""

import io
import random
import zipfile
from pathlib import Path

import pytest
from package_zips import (
    INDEX_HTML,
    ROOT_ID,
    good_entries,
    good_zip,
    make_zip,
    patch_entry,
    symlink_info,
    tincan_xml,
    with_extra,
)

from lms.content.models import ContentPackage

SLUG = "u1-interactive-recognising-restrictions"
OTHER = "u2-interactive-sensory-preferences"
READING = "u1-reading-human-rights-and-restriction"

XXE = """<?xml version="1.0"?>
<!DOCTYPE tincan [<!ENTITY secret SYSTEM "file:///etc/passwd">]>"""
LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tincan [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>"""


@pytest.fixture
def admin(make_user):
    return make_user("admin")


@pytest.fixture
def admin_headers(admin, auth):
    return auth(admin)


def upload(client, headers, data: bytes, slug=SLUG, filename="package.zip"):
    return client.put(f"/api/v1/activities/{slug}/package", headers=headers,
                      data={"file": (io.BytesIO(data), filename)},
                      content_type="multipart/form-data")


def package_folders(app) -> list[Path]:
    folder = Path(app.instance_path) / "content" / "packages"
    return sorted(folder.iterdir()) if folder.exists() else []


def package_rows(db) -> list[ContentPackage]:
    return list(db.session.execute(db.select(ContentPackage).order_by(ContentPackage.id))
                .scalars())


def assert_nothing_stored(app, db):
    assert package_folders(app) == []
    assert package_rows(db) == []


def entries_without(name, **manifest):
    return {k: v for k, v in good_entries(**manifest).items() if k != name}


def _bomb_entry():
    return with_extra("media/silence.bin", b"\0" * (2 * 1024 * 1024))


def _bomb_in_small_pieces():
    pieces = {f"media/part{i}.bin": b"\0" * (900 * 1024) for i in range(3)}
    return make_zip({**good_entries(), **pieces})


def _overlapping():
    return patch_entry(good_zip(), "index.html", "compress_size", 50_000_000, local=False)


def _lying_header():
    data = make_zip(good_entries(), compression=zipfile.ZIP_STORED)
    return patch_entry(data, "js/app.js", "file_size", 5, local=False)


def _encrypted():
    return patch_entry(with_extra("secret.txt", b"ciphertext"), "secret.txt", "flag_bits", 1)


REFUSALS = {
    "traversal": (lambda: with_extra("../evil.html"),
                  ["zip entry '../evil.html'", "'..' would leave the package folder"]),
    "nested traversal": (lambda: with_extra("js/../../../evil.html"),
                         ["zip entry 'js/../../../evil.html'", "would leave the package"]),
    "absolute path": (lambda: with_extra("/etc/cron.d/evil"),
                      ["zip entry '/etc/cron.d/evil'", "absolute paths are not allowed"]),
    "drive letter": (lambda: with_extra("C:/Windows/evil.dll"),
                     ["zip entry 'C:/Windows/evil.dll'", "drive letters are not allowed"]),
    "backslash": (lambda: with_extra("..\\..\\evil.html"),
                  ["evil.html'", "backslashes are not allowed"]),
    "control character": (lambda: with_extra("bell\x07.html"),
                          ["control characters are not allowed"]),
    "symbolic link": (lambda: with_extra(symlink_info("js/passwd.js"), b"/etc/passwd"),
                      ["zip entry 'js/passwd.js'", "symbolic links are not allowed"]),
    "encrypted entry": (_encrypted, ["zip entry 'secret.txt'", "encrypted entries"]),
    "zip bomb entry": (_bomb_entry, ["zip entry 'media/silence.bin'", "likely zip bomb"]),
    "zip bomb overall": (_bomb_in_small_pieces, ["the archive is compressed",
                                                 "likely zip bomb"]),
    "overlapping entries": (_overlapping, ["entries that overlap"]),
    "lying header": (_lying_header, ["zip entry 'js/app.js'", "is damaged"]),
    "duplicate name": (lambda: make_zip([*good_entries().items(), ("index.html", "again")]),
                       ["zip entry 'index.html'", "appears twice"]),
    "file in the way of a folder": (lambda: with_extra("index.html/x.js"),
                                    ["zip entry 'index.html/x.js'", "in the way"]),
    "not a zip": (lambda: b"%PDF-1.4 this is not a zip", ["is not a zip file"]),
    "empty upload": (lambda: b"", ["is not a zip file"]),
    "truncated zip": (lambda: good_zip()[:200], ["is not a zip file"]),
    "empty zip": (lambda: make_zip({}), ["holds no files"]),
    "missing tincan.xml": (lambda: make_zip(entries_without("tincan.xml")),
                           ["has no tincan.xml at its root"]),
    "malformed XML": (lambda: make_zip({**good_entries(), "tincan.xml": "<tincan><activities>"}),
                      ["tincan.xml is not well-formed XML"]),
    "XXE": (lambda: make_zip({**good_entries(name="&secret;"),
                              "tincan.xml": tincan_xml(name="&secret;", prolog=XXE)}),
            ["tincan.xml: a DTD", "is not allowed"]),
    "billion laughs": (lambda: make_zip({**good_entries(),
                                         "tincan.xml": tincan_xml(name="&lol3;",
                                                                  prolog=LAUGHS)}),
                       ["tincan.xml: a DTD", "is not allowed"]),
    "not a tincan manifest": (lambda: make_zip({**good_entries(),
                                                "tincan.xml": "<manifest/>"}),
                              ["root element must be <tincan>"]),
    "nothing to launch": (lambda: make_zip({**good_entries(), "tincan.xml": tincan_xml()
                                            .replace('<launch lang="en-GB">index.html</launch>',
                                                     "")}),
                          ["no <activity> has a <launch>"]),
    "activity id not an IRI": (lambda: good_zip(activity_id="recognising"),
                               ["is not an absolute IRI"]),
    "launch file missing": (lambda: good_zip(launch="start.html"),
                            ["launch 'start.html' names a file that is not in the package"]),
    "launch absolute URL": (lambda: good_zip(launch="https://elsewhere.example/course"),
                            ["launch 'https://elsewhere.example/course' is absolute"]),
    "launch rooted path": (lambda: good_zip(launch="/index.html"),
                           ["launch '/index.html' is absolute"]),
    "launch escapes": (lambda: good_zip(launch="../index.html"),
                       ["launch '../index.html' leaves the package"]),
    "launch names no file": (lambda: good_zip(launch="?page=1"),
                             ["launch '?page=1' names no file"]),
}


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_refused_package_is_422_naming_the_rule_and_leaves_nothing(
        client, app, db, catalogue, admin_headers, case):
    make, expected = REFUSALS[case]
    response = upload(client, admin_headers, make())
    assert response.status_code == 422, response.get_json()
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    for text in expected:
        assert text in body["detail"]
    assert body["errors"][0]["field"] == "file"
    assert_nothing_stored(app, db)


def test_the_billion_laughs_are_refused_by_defusedxml_not_expanded():
    """The refusal comes from defusedxml itself (the DTD is never processed)."""
    import defusedxml
    import defusedxml.ElementTree as SafeET

    with pytest.raises(defusedxml.DTDForbidden):
        SafeET.fromstring(tincan_xml(name="&lol3;", prolog=LAUGHS), forbid_dtd=True)


@pytest.mark.parametrize("app_config", [{"PACKAGE_MAX_FILES": 3}])
def test_too_many_files_is_422_naming_the_limit(client, app, db, catalogue, admin_headers):
    response = upload(client, admin_headers, good_zip())
    assert response.status_code == 422
    assert "holds 5 entries; at most 3 are allowed (PACKAGE_MAX_FILES)" in \
        response.get_json()["detail"]
    assert_nothing_stored(app, db)


@pytest.mark.parametrize("app_config", [{"PACKAGE_MAX_BYTES": 500}])
def test_too_many_bytes_is_422_naming_the_limit(client, app, db, catalogue, admin_headers):
    response = upload(client, admin_headers, good_zip())
    assert response.status_code == 422
    detail = response.get_json()["detail"]
    assert "would unpack to" in detail and "at most 500 are allowed (PACKAGE_MAX_BYTES)" in detail
    assert_nothing_stored(app, db)


@pytest.mark.parametrize("app_config", [{"MAX_CONTENT_LENGTH": 4096}])
def test_an_upload_over_max_content_length_is_413_problem_json(client, app, db, catalogue,
                                                               admin_headers):
    noise = random.Random(8).randbytes(8000)  # incompressible: the zip is over 4096 bytes
    response = upload(client, admin_headers, with_extra("media/noise.bin", noise))
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == 413
    assert_nothing_stored(app, db)


def test_a_good_package_is_stored_and_described(client, app, db, catalogue, admin,
                                                admin_headers):
    response = upload(client, admin_headers, good_zip())
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["activity"] == SLUG
    assert body["kind"] == "xapi"
    assert body["title"] == "Recognising restrictions"
    assert body["root_activity_id"] == ROOT_ID
    assert body["launch_path"] == "index.html"
    assert body["file_count"] == 5
    assert body["size"] == sum(len(v.encode()) for v in good_entries().values())
    assert body["current"] is True
    assert body["uploaded_by"] == admin.public_id
    assert [a["id"] for a in body["manifest"]["activities"]] == [f"{ROOT_ID}/q1", ROOT_ID]
    [folder] = package_folders(app)
    assert body["launch_url"] == f"/content/packages/{folder.name}/index.html"
    assert (folder / "index.html").read_text() == INDEX_HTML
    assert (folder / "js" / "app.js").is_file()
    [row] = package_rows(db)
    assert (row.folder, row.kind, row.current) == (folder.name, "xapi", True)

    again = client.get(f"/api/v1/activities/{SLUG}/package", headers=admin_headers)
    assert again.status_code == 200
    assert again.get_json() == body


def test_a_new_upload_becomes_current_and_the_old_one_is_kept(client, app, db, catalogue,
                                                              admin_headers):
    first = upload(client, admin_headers, good_zip(name="First")).get_json()
    second = upload(client, admin_headers, good_zip(name="Second")).get_json()
    assert len(package_folders(app)) == 2
    rows = package_rows(db)
    assert [(r.title, r.current) for r in rows] == [("First", False), ("Second", True)]
    current = client.get(f"/api/v1/activities/{SLUG}/package", headers=admin_headers)
    assert current.get_json()["id"] == second["id"] != first["id"]


def test_a_refused_replacement_leaves_the_current_package_alone(client, app, db, catalogue,
                                                                admin_headers):
    first = upload(client, admin_headers, good_zip()).get_json()
    assert upload(client, admin_headers, with_extra("../x")).status_code == 422
    assert len(package_folders(app)) == 1
    assert [(r.id, r.current) for r in package_rows(db)] == [(first["id"], True)]


def test_a_package_zipped_inside_its_folder_launches_from_that_folder(client, catalogue,
                                                                     admin_headers):
    entries = {f"course/{name}": data for name, data in good_entries().items()}
    response = upload(client, admin_headers, make_zip(entries))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["launch_path"] == "course/index.html"


def test_a_launch_query_in_the_manifest_is_kept(client, catalogue, admin_headers):
    response = upload(client, admin_headers, good_zip(launch="index.html?lang=en-GB"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["launch_path"] == "index.html?lang=en-GB"
    assert body["launch_url"].endswith("/index.html?lang=en-GB")


def test_two_activities_cannot_share_a_package_activity_id(client, app, db, catalogue,
                                                           admin_headers):
    assert upload(client, admin_headers, good_zip()).status_code == 201
    response = upload(client, admin_headers, good_zip(), slug=OTHER)
    assert response.status_code == 409
    assert f"already used by activity {SLUG!r}" in response.get_json()["detail"]
    assert len(package_folders(app)) == 1 and len(package_rows(db)) == 1


def test_a_type_without_packages_is_409_and_stores_nothing(client, app, db, catalogue,
                                                           admin_headers):
    response = upload(client, admin_headers, good_zip(), slug=READING)
    assert response.status_code == 409
    assert "does not take uploaded content packages" in response.get_json()["detail"]
    assert client.get(f"/api/v1/activities/{READING}/package",
                      headers=admin_headers).status_code == 409
    assert_nothing_stored(app, db)


def test_no_package_yet_is_404(client, catalogue, admin_headers):
    response = client.get(f"/api/v1/activities/{SLUG}/package", headers=admin_headers)
    assert response.status_code == 404
    assert "has no content package uploaded yet" in response.get_json()["detail"]


def test_an_unknown_activity_is_404(client, catalogue, admin_headers):
    assert upload(client, admin_headers, good_zip(), slug="no-such-activity").status_code == 404


def test_the_file_field_is_required(client, app, db, catalogue, admin_headers):
    response = client.put(f"/api/v1/activities/{SLUG}/package", headers=admin_headers,
                          data={"package": (io.BytesIO(good_zip()), "p.zip")},
                          content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "file"
    assert_nothing_stored(app, db)


def test_a_raw_zip_body_is_415_pointing_at_multipart(client, app, db, catalogue,
                                                     admin_headers):
    response = client.put(f"/api/v1/activities/{SLUG}/package", data=good_zip(),
                          headers={**admin_headers, "Content-Type": "application/zip"})
    assert response.status_code == 415
    assert_nothing_stored(app, db)


def test_only_administrators_upload(client, app, db, catalogue, make_user, auth):
    learner, tutor = make_user("learner"), make_user("tutor")
    assert upload(client, {}, good_zip()).status_code == 401
    assert upload(client, auth(learner), good_zip()).status_code == 403
    assert upload(client, auth(tutor), good_zip()).status_code == 403
    assert client.get(f"/api/v1/activities/{SLUG}/package",
                      headers=auth(learner)).status_code == 403
    assert_nothing_stored(app, db)


def test_tutors_may_read_the_package_details(client, catalogue, admin_headers, make_user, auth):
    upload(client, admin_headers, good_zip())
    response = client.get(f"/api/v1/activities/{SLUG}/package",
                          headers=auth(make_user("tutor")))
    assert response.status_code == 200
    assert response.get_json()["root_activity_id"] == ROOT_ID


def test_the_upload_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    put = spec["paths"]["/api/v1/activities/{slug}/package"]["put"]
    assert "multipart/form-data" in put["requestBody"]["content"]
