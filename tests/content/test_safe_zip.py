"""`lms.content.safe_zip` on its own: the folder appears only when kept, nothing is left
behind by a refusal or by an error after extraction, and bytes are counted as written
rather than taken from the headers."""

import io
import zipfile

import pytest
from package_zips import good_entries, good_zip, make_zip

from lms.content import safe_zip
from lms.content.safe_zip import Limits, PackageRefused, extracting


def test_the_files_are_moved_into_a_fresh_folder_when_kept(tmp_path):
    with extracting(io.BytesIO(good_zip()), tmp_path) as extraction:
        assert extraction.path.name.startswith(".incoming-")
        assert (extraction.path / "js" / "app.js").is_file()
        folder = extraction.keep()
    assert [p.name for p in tmp_path.iterdir()] == [folder]
    assert safe_zip.FOLDER_NAME.match(folder)
    assert extraction.file_count == 5
    assert extraction.size == sum(len(v.encode()) for v in good_entries().values())


def test_a_path_source_works_too(tmp_path):
    path = tmp_path / "p.zip"
    path.write_bytes(good_zip())
    with extracting(path, tmp_path / "out") as extraction:
        extraction.keep()
    assert len(list((tmp_path / "out").iterdir())) == 1


def test_not_keeping_leaves_nothing(tmp_path):
    with extracting(io.BytesIO(good_zip()), tmp_path):
        pass
    assert list(tmp_path.iterdir()) == []


def test_an_error_after_keeping_removes_the_kept_folder_too(tmp_path):
    with pytest.raises(RuntimeError), extracting(io.BytesIO(good_zip()), tmp_path) as extraction:
        extraction.keep()
        raise RuntimeError("the row could not be stored")
    assert list(tmp_path.iterdir()) == []


class Liar:
    """A zip whose entry streams more bytes than its header declares (what a crafted zip
    would do with a reader that trusted the header)."""

    def __init__(self, archive, extra: int):
        self.archive, self.extra = archive, extra

    def infolist(self):
        return self.archive.infolist()

    def open(self, info):
        return io.BytesIO(self.archive.read(info) + b"x" * self.extra)


def _extract_with(archive, tmp_path, limits):
    entries = safe_zip.check_entries(archive, limits, 10**9)
    return safe_zip._write_entries(archive, entries, tmp_path, limits)


def test_more_bytes_than_the_header_says_are_refused_while_writing(tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(good_zip()))
    with pytest.raises(PackageRefused, match="holds more bytes than its header says"):
        _extract_with(Liar(archive, 10), tmp_path, Limits())


def test_the_total_is_counted_while_writing_not_taken_from_headers(tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(make_zip({"a.txt": "a" * 600, "b.txt": "b" * 600})))
    limits = Limits(max_bytes=1000)
    entries = [safe_zip.Entry(info, info.filename) for info in archive.infolist()]
    with pytest.raises(PackageRefused, match=r"unpacks to more than 1000 bytes"):
        safe_zip._write_entries(archive, entries, tmp_path, limits)  # headers not consulted


def test_an_entry_name_is_checked_before_anything_is_written(tmp_path):
    source = io.BytesIO(make_zip({"ok.txt": "fine", "../evil": "x"}))
    with pytest.raises(PackageRefused, match="would leave the package folder"), \
            extracting(source, tmp_path):
        pass
    assert list(tmp_path.iterdir()) == []
