"""Content packages for administrators: the activities that take packages with their current
one, uploading a package through the same safe import as the API (checked through the API),
refusals shown next to the activity's file field with nothing stored, and who may."""

import io
import os
import re
from html import unescape
from pathlib import Path

import pytest
from actions_pages_support import api, make_zip, package_zip
from admin_pages_support import csrf_token, main_text, sign_in, text_of

from lms.catalogue.models import Activity
from lms.content.models import ContentPackage
from lms.extensions import db
from lms.people.operations import create_token

PAGE = "/admin/packages"
SLUG = "u1-interactive-recognising-restrictions"
OTHER = "u2-interactive-sensory-preferences"
READING = "u1-reading-human-rights-and-restriction"


@pytest.fixture
def admin(client, make_user, catalogue):
    user = make_user("admin", name="Adele Admin")
    sign_in(client, user)
    return user


def upload(client, data: bytes | None, slug: str = SLUG, filename: str = "package.zip",
           **kwargs):
    token = csrf_token(client.get(PAGE).get_data(as_text=True))
    form = {"activity": slug, "csrf_token": token}
    if data is not None:
        form["file"] = (io.BytesIO(data), filename)
    return client.post(PAGE, data=form, content_type="multipart/form-data", **kwargs)


def file_error(response, slug: str = SLUG) -> str | None:
    html = response.get_data(as_text=True)
    match = re.search(rf'<p class="error" id="file-{slug}-error">([^<]*)</p>', html)
    return unescape(match.group(1)) if match else None


def stored_nothing(app) -> bool:
    folder = Path(app.instance_path) / "content" / "packages"
    no_files = not folder.exists() or not [p for p in folder.iterdir()]
    return no_files and db.session.execute(db.select(ContentPackage)).first() is None


def test_the_page_lists_the_activities_that_take_packages(client, admin):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    interactive = db.session.execute(db.select(Activity.slug).where(
        Activity.type == "interactive", Activity.retired.is_(False))).scalars().all()
    assert interactive
    assert sorted(re.findall(r'<input type="hidden" name="activity" value="([^"]+)">', html)) \
        == sorted(interactive)
    assert READING not in html
    assert main_text(response).count("No package yet") == len(interactive)
    assert f'<label for="file-{SLUG}">Package (zip)<span class="visually-hidden"> for ' in html
    assert '<a href="/admin/packages" aria-current="page">Content</a>' in html


def test_an_uploaded_package_is_the_activitys_content_as_the_api_shows(app, client, admin):
    response = upload(client, package_zip(title="Recognising restrictions"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{PAGE}#package-{SLUG}")

    _, secret = create_token(admin, "test")
    db.session.commit()
    package = api(app, "GET", f"/api/v1/activities/{SLUG}/package", secret)
    assert package.status_code == 200
    assert package.json["title"] == "Recognising restrictions"
    assert package.json["uploaded_by"] == admin.public_id
    assert package.json["file_count"] == 3
    launched = client.get(package.json["launch_url"])
    assert launched.status_code == 200 and b"<title>Package</title>" in launched.data
    launched.close()

    page = client.get(PAGE)
    assert "The package 'Recognising restrictions' is now the content of" in text_of(page)
    section = page.get_data(as_text=True).split(f'id="package-{SLUG}"', 1)[1] \
        .split("</section>", 1)[0]
    words = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "Package Recognising restrictions Uploaded" in words
    assert "Version 1" in words and "by Adele Admin" in words and "3 files" in words
    assert "New package (zip)" in words

    again = upload(client, package_zip(title="Recognising restrictions, revised"))
    assert again.status_code == 302
    section = client.get(PAGE).get_data(as_text=True).split(f'id="package-{SLUG}"', 1)[1] \
        .split("</section>", 1)[0]
    words = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "Recognising restrictions, revised" in words
    assert "Version 2 (1 earlier upload kept)" in words


@pytest.mark.parametrize("name, data, message", [
    ("traversal", lambda: package_zip(**{"../escape.txt": "out"}), "'../escape.txt'"),
    ("absolute", lambda: package_zip(**{"/etc/cron.d/x": "out"}), "'/etc/cron.d/x'"),
    ("not a zip", lambda: b"%PDF-1.7 this is not a zip at all", "not a zip"),
    ("no manifest", lambda: make_zip({"index.html": "<title>x</title>"}), "tincan.xml"),
])
def test_refused_packages_are_shown_next_to_the_field_and_store_nothing(app, client, admin,
                                                                        name, data, message):
    response = upload(client, data())
    assert response.status_code == 422, name
    error = file_error(response)
    assert error and message in error, (name, error)
    html = response.get_data(as_text=True)
    assert f'aria-invalid="true" aria-describedby="file-{SLUG}-error"' in html
    assert "The package was not stored." in text_of(response)
    assert stored_nothing(app)


def test_too_many_unpacked_bytes_are_refused(app, client, admin):
    app.config["PACKAGE_MAX_BYTES"] = 2000
    response = upload(client, package_zip(**{"media/big.bin": b"x" * 5000}))
    assert response.status_code == 422
    assert file_error(response)
    assert stored_nothing(app)


def test_an_upload_over_the_size_limit_is_a_message_on_the_page(app, client, admin):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = upload(client, package_zip(**{"media/big.bin": os.urandom(5000)}))
    assert response.status_code == 303
    response = client.get(response.headers["Location"])
    assert "That file is too large to upload: an upload may be at most 2 kB." in \
        text_of(response)
    assert "<h1>Content packages</h1>" in response.get_data(as_text=True)
    assert stored_nothing(app)


def test_no_file_chosen(app, client, admin):
    response = upload(client, None)
    assert response.status_code == 422
    assert file_error(response) == "Choose the package's zip file."
    assert stored_nothing(app)


def test_an_activity_that_takes_no_packages_is_refused(app, client, admin):
    response = upload(client, package_zip(), slug=READING)
    assert response.status_code == 409
    assert "does not take uploaded content packages" in text_of(response)
    assert stored_nothing(app)


def test_a_package_id_used_by_another_activity_is_refused(client, admin):
    assert upload(client, package_zip(), slug=OTHER).status_code == 302
    response = upload(client, package_zip())
    assert response.status_code == 409
    assert "already used by activity" in file_error(response)
    assert db.session.execute(db.select(ContentPackage)).scalars().one().activity.slug == OTHER


@pytest.mark.parametrize("role", ["learner", "tutor"])
def test_only_administrators_may(app, client, make_user, catalogue, role):
    sign_in(client, make_user(role))
    assert client.get(PAGE).status_code == 403
    token = csrf_token(client.get("/account").get_data(as_text=True))
    response = client.post(PAGE, data={"activity": SLUG, "csrf_token": token,
                                       "file": (io.BytesIO(package_zip()), "package.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    assert stored_nothing(app)
    assert "/admin/packages" not in client.get("/account").get_data(as_text=True)


def test_a_post_without_the_csrf_token_is_refused(app, client, admin):
    response = client.post(PAGE, data={"activity": SLUG,
                                       "file": (io.BytesIO(package_zip()), "package.zip")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert stored_nothing(app)


def test_sizes_are_said_as_people_say_them():
    from lms.web.package_pages import size_words

    assert size_words(840) == "840 bytes"
    assert size_words(2000) == "2 kB"
    assert size_words(1536 * 1024) == "1.5 MB"
    assert size_words(64 * 1024 * 1024) == "64 MB"
    assert size_words(500 * 1024 * 1024) == "500 MB"
