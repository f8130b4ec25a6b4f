"""`lms content import ACTIVITY_SLUG FILE`: imports a package, or reports `FILE: reason`,
exits with status 1 and stores nothing."""

from pathlib import Path

import pytest
from package_zips import ROOT_ID, good_zip, symlink_info, with_extra

from lms.content.models import ContentPackage

SLUG = "u1-interactive-recognising-restrictions"


@pytest.fixture
def zip_file(tmp_path):
    def write(data: bytes, name="package.zip") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


def stored(app, db):
    folder = Path(app.instance_path) / "content" / "packages"
    folders = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    rows = db.session.execute(db.select(ContentPackage)).scalars().all()
    return folders, rows


def test_a_good_package_is_imported(app, db, runner, catalogue, zip_file):
    path = zip_file(good_zip())
    result = runner.invoke(args=["content", "import", SLUG, str(path)])
    assert result.exit_code == 0, result.output
    assert f"{path}: imported 'Recognising restrictions' for {SLUG}" in result.output
    folders, rows = stored(app, db)
    assert [r.folder for r in rows] == folders and len(folders) == 1
    assert rows[0].root_activity_id == ROOT_ID and rows[0].uploaded_by_id is None


@pytest.mark.parametrize(("data", "reason"), [
    (with_extra("../../etc/evil"), "zip entry '../../etc/evil': '..' would leave the package"),
    (with_extra(symlink_info("link")), "zip entry 'link': symbolic links are not allowed"),
    (b"not a zip at all", "is not a zip file"),
    (good_zip(launch="start.html"), "tincan.xml: launch 'start.html' names a file that is "
                                    "not in the package"),
])
def test_a_refused_package_is_reported_as_file_reason_and_stores_nothing(
        app, db, runner, catalogue, zip_file, data, reason):
    path = zip_file(data)
    result = runner.invoke(args=["content", "import", SLUG, str(path)])
    assert result.exit_code == 1
    assert f"{path}: {reason}" in result.output
    assert stored(app, db) == ([], [])


@pytest.mark.parametrize(("slug", "reason"), [
    ("no-such-activity", "No activity 'no-such-activity'."),
    ("u1-reading-human-rights-and-restriction", "does not take uploaded content packages"),
])
def test_an_activity_that_cannot_take_it_is_reported(app, db, runner, catalogue, zip_file,
                                                     slug, reason):
    path = zip_file(good_zip())
    result = runner.invoke(args=["content", "import", slug, str(path)])
    assert result.exit_code == 1
    assert f"{path}: " in result.output and reason in result.output
    assert stored(app, db) == ([], [])


def test_a_missing_file_is_reported(app, db, runner, catalogue, tmp_path):
    path = tmp_path / "nowhere.zip"
    result = runner.invoke(args=["content", "import", SLUG, str(path)])
    assert result.exit_code == 1
    assert f"{path}: No such file or directory" in result.output
    assert stored(app, db) == ([], [])
