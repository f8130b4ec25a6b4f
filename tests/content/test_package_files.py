"""Serving package files: `GET /content/packages/<folder>/<path>` for signed-in users, with
the right content types and `nosniff`; nothing outside a known package's folder."""

import io
import re
from pathlib import Path

import pytest
from package_zips import INDEX_HTML, good_entries, make_zip

SLUG = "u1-interactive-recognising-restrictions"


@pytest.fixture
def package(client, catalogue, make_user, auth):
    """A package uploaded to SLUG, as its API description."""
    entries = {**good_entries(), "media/clip.mp4": b"\0\0\0\x18ftypmp42",
               "fonts/body.woff2": b"wOF2", "data/questions.json": "{}",
               "README": "no extension"}
    response = client.put(f"/api/v1/activities/{SLUG}/package",
                          headers=auth(make_user("admin")),
                          data={"file": (io.BytesIO(make_zip(entries)), "p.zip")},
                          content_type="multipart/form-data")
    assert response.status_code == 201
    return response.get_json()


@pytest.fixture
def reader(make_user, auth):
    return auth(make_user("learner"))


def fetch(client, url, headers=None):
    """GET `url` and read the whole answer (closing the file it streams)."""
    response = client.get(url, headers=headers or {})
    response.get_data()
    response.close()
    return response


def file_url(package, path):
    return package["launch_url"].rsplit("/", 1)[0] + "/" + path


@pytest.mark.parametrize(("path", "content_type"), [
    ("index.html", "text/html; charset=utf-8"),
    ("js/app.js", "text/javascript; charset=utf-8"),
    ("css/site.css", "text/css; charset=utf-8"),
    ("media/logo.svg", "image/svg+xml; charset=utf-8"),
    ("media/clip.mp4", "video/mp4"),
    ("fonts/body.woff2", "font/woff2"),
    ("data/questions.json", "application/json"),
    ("README", "application/octet-stream"),
])
def test_files_are_served_with_their_content_type_and_nosniff(client, package, reader, path,
                                                              content_type):
    response = fetch(client, file_url(package, path), reader)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_the_launch_file_is_the_uploaded_one(client, package, reader):
    response = fetch(client, package["launch_url"], reader)
    assert response.get_data(as_text=True) == INDEX_HTML


def test_anonymous_visitors_are_sent_to_sign_in(client, package):
    response = client.get(package["launch_url"])
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("path", [
    "missing.html",
    "js",                               # a folder
    "..%2F..%2Fsecret.txt",             # out of the package folder, encoded
    "%2e%2e/%2e%2e/secret.txt",
    "js/..%2F..%2F..%2Fsecret.txt",
])
def test_anything_but_a_file_of_the_package_is_404(client, app, package, reader, path):
    (Path(app.instance_path) / "content" / "secret.txt").write_text("s3cret")
    response = fetch(client, file_url(package, path), reader)
    assert response.status_code == 404
    assert b"s3cret" not in response.get_data()


def test_folders_that_are_not_packages_are_404(client, app, package, reader):
    folder = re.search(r"/content/packages/([0-9a-f]{32})/", package["launch_url"]).group(1)
    packages = Path(app.instance_path) / "content" / "packages"
    for name in (".incoming-half-done", "0" * 32):  # an unfinished import, an orphan folder
        (packages / name).mkdir()
        (packages / name / "index.html").write_text("not a package")
    for name in (".incoming-half-done", "0" * 32, folder.upper()):
        response = client.get(f"/content/packages/{name}/index.html", headers=reader)
        assert response.status_code == 404, name
