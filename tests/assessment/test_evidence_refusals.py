"""Bad evidence and bad submissions: each refused with a clear error naming the field and the
file, and nothing stored (no row, no file on disk, no statement)."""

import io

import pytest
from assessment_support import (
    ASSESSMENT,
    DOCX,
    GOOD_FILES,
    PDF,
    PNG,
    TEXT,
    make_zip,
    ooxml,
    problem,
)
from werkzeug.datastructures import FileStorage

from lms.assessment import evidence
from lms.errors import PathwayError

pytest_plugins = ["assessment_fixtures"]  # the fixtures of these tests


@pytest.fixture
def app_config():
    return {"EVIDENCE_MAX_BYTES": 2048, "EVIDENCE_MAX_TOTAL_BYTES": 3072,
            "EVIDENCE_MAX_FILES": 3, "MAX_CONTENT_LENGTH": 16 * 1024}


def _refused(submit, stored_state, status, files=None, **kwargs) -> dict:
    before = stored_state()
    body = problem(submit(files, **kwargs), status)
    assert stored_state() == before
    return body


def test_a_file_over_the_size_limit_is_413_naming_it(submit, stored_state):
    body = _refused(submit, stored_state, 413, [(b"%PDF-" + bytes(2044), "audit.pdf")])
    assert body["detail"] == "files[0]: 'audit.pdf' is over the 2 KiB an evidence file may be."
    assert body["errors"] == [{"field": "files[0]", "detail": "'audit.pdf': over 2 KiB"}]


def test_a_file_at_the_size_limit_is_taken(submit):
    assert submit([(b"%PDF-" + bytes(2043), "audit.pdf")]).status_code == 201


def test_a_later_file_over_the_limit_takes_back_the_files_already_written(submit,
                                                                         stored_state):
    body = _refused(submit, stored_state, 413,
                    [(PDF, "first.pdf"), (PNG, "photo.png"), (b"%PDF-" + bytes(2500), "big.pdf")])
    assert "files[2]" in body["detail"] and "big.pdf" in body["detail"]


def test_files_over_the_total_limit_are_413(submit, stored_state):
    files = [(b"%PDF-" + bytes(1500), f"part{n}.pdf") for n in range(3)]
    body = _refused(submit, stored_state, 413, files)
    assert body["errors"] == [{"field": "files", "detail": "over 3 KiB in all"}]
    assert "'part2.pdf'" in body["detail"]


def test_a_request_over_the_servers_limit_is_413(submit, stored_state):
    _refused(submit, stored_state, 413, [(b"%PDF-" + bytes(20 * 1024), "huge.pdf")])


def test_a_file_without_a_name_is_422(submit, stored_state):
    body = _refused(submit, stored_state, 422, [(PDF, "fine.pdf"), (PDF, "")])
    assert body["errors"][0]["field"] == "files[1]" and "no file name" in body["detail"]


def test_too_many_files_is_422(submit, stored_state):
    body = _refused(submit, stored_state, 422, [(PDF, f"{n}.pdf") for n in range(4)])
    assert body["errors"] == [{"field": "files", "detail": "send at most 3 files in one "
                                                           "submission, not 4"}]


def test_no_file_is_422(submit, stored_state):
    body = _refused(submit, stored_state, 422, [])
    assert body["errors"][0]["field"] == "files"


def test_an_empty_file_is_422(submit, stored_state):
    body = _refused(submit, stored_state, 422, [(PDF, "ok.pdf"), (b"", "empty.pdf")])
    assert body["errors"][0]["field"] == "files[1]" and "empty" in body["detail"]


@pytest.mark.parametrize("name", ["tool.exe", "page.html", "picture.svg", "macro.docm",
                                  "archive.zip", "no-extension"])
def test_a_refused_extension_is_415_before_anything_is_written(submit, stored_state, name):
    body = _refused(submit, stored_state, 415, [(PDF, "fine.pdf"), (PDF, name)])
    assert "files[1]" in body["detail"] and repr(name) in body["detail"]
    assert ".pdf" in body["detail"]  # says what is taken


def test_a_pdf_that_is_not_a_pdf_is_415(submit, stored_state):
    body = _refused(submit, stored_state, 415,
                    [(PDF, "real.pdf"), (b"MZ\x90\x00 this is a program", "report.pdf")])
    assert body["errors"] == [{"field": "files[1]",
                               "detail": "'report.pdf': content is not a PDF document"}]


@pytest.mark.parametrize(("content", "name"), [
    (make_zip({"readme.txt": "not an office file"}), "plan.docx"),
    (ooxml("word/document.xml", {"word/vbaProject.bin": b"\x00macro"}), "plan.docx"),
    (DOCX, "budget.xlsx"),
    (PNG, "notes.txt"),
    (TEXT, "photo.jpg"),
    (make_zip({"mimetype": "application/vnd.oasis.opendocument.text"}), "slides.odp"),
])
def test_content_that_does_not_match_its_extension_is_415(submit, stored_state, content, name):
    body = _refused(submit, stored_state, 415, [(content, name)])
    assert name in body["detail"] and "content is not" in body["errors"][0]["detail"]


def test_an_undeclared_submission_is_422(submit, stored_state):
    body = _refused(submit, stored_state, 422, declaration=None)
    assert body["errors"][0]["field"] == "declaration"
    assert "GET /api/v1/assessment/declaration" in body["detail"]


def test_an_altered_declaration_is_422(submit, stored_state):
    body = _refused(submit, stored_state, 422, declaration="This is mostly my own work.")
    assert body["errors"][0]["field"] == "declaration"


@pytest.mark.parametrize("name", ["", "   ", "Somebody Else"])
def test_the_declaration_must_be_signed_with_the_learners_name(submit, stored_state, name):
    body = _refused(submit, stored_state, 422, signed_name=name)
    assert body["errors"][0]["field"] == "signed_name"


def test_the_signature_ignores_case_and_spacing(submit):
    assert submit(signed_name="  alex   MORGAN ").status_code == 201


def test_a_note_too_long_is_422(submit, stored_state):
    body = _refused(submit, stored_state, 422, note="x" * 5001)
    assert body["errors"][0]["field"] == "note"


def test_another_learners_enrolment_is_404(submit, stored_state, people):
    body = _refused(submit, stored_state, 404, enrolment=people.other_enrolment)
    assert "enrolment" in body["detail"]


def test_a_tutor_cannot_submit_for_their_learner(submit, stored_state, people):
    _refused(submit, stored_state, 403, user=people.tutor)


def test_a_tutor_who_is_also_a_learner_cannot_submit_for_their_learner(
        submit, stored_state, people, db):
    from lms.people.operations import set_roles

    set_roles(people.tutor, ["tutor", "learner"])
    db.session.commit()
    body = _refused(submit, stored_state, 403, user=people.tutor, signed_name="Sam Okafor")
    assert "Only the enrolled learner" in body["detail"]


def test_an_activity_that_is_not_assessed_takes_no_evidence(submit, stored_state):
    body = _refused(submit, stored_state, 409, slug="u1-film-lived-experience-of-restriction")
    assert "takes no evidence" in body["detail"]


def test_an_unknown_activity_is_404(submit, stored_state):
    _refused(submit, stored_state, 404, slug="no-such-activity")


def test_a_withdrawn_enrolment_takes_no_evidence(submit, stored_state, people, db):
    people.enrolment.status = "withdrawn"
    db.session.commit()
    body = _refused(submit, stored_state, 409)
    assert "withdrawn" in body["detail"]


def test_evidence_sent_as_json_is_415(client, people, headers, stored_state):
    before = stored_state()
    response = client.post(
        f"/api/v1/enrolments/{people.enrolment.id}/activities/{ASSESSMENT}/submissions",
        json={"files": []}, headers=headers(people.learner))
    assert "multipart/form-data" in problem(response, 415)["detail"]
    assert stored_state() == before


def test_if_the_lrs_fails_nothing_of_the_submission_remains(submit, stored_state,
                                                            monkeypatch):
    def failing(statements):
        raise RuntimeError("the LRS is down")

    monkeypatch.setattr("lms.assessment.statements.record_statements", failing)
    before = stored_state()
    assert submit().status_code == 500
    assert stored_state() == before


def test_if_a_listener_fails_after_the_statement_is_stored_the_step_stands(
        app, submit, stored_state, caplog):
    from xapi.signals import statement_stored

    def broken(sender, **kwargs):
        raise RuntimeError("a broken listener")

    statement_stored.connect(broken, sender=app)
    try:
        response = submit()
    finally:
        statement_stored.disconnect(broken, sender=app)
    assert response.status_code == 201
    assert stored_state()["submissions"] == 1
    assert "a broken listener" in caplog.text


# ---- the content checks, type by type ----------------------------------------------------

def _upload(content: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name)


@pytest.mark.parametrize("extension", sorted(GOOD_FILES))
def test_every_allowed_type_is_taken_when_its_content_matches(app, extension):
    content = GOOD_FILES[extension]
    [stored] = evidence.store_uploads([_upload(content, f"My evidence.{extension.upper()}")])
    assert stored.filename == f"My_evidence.{extension}"
    assert stored.content_type == evidence.KNOWN_TYPES[extension].content_type
    assert evidence.path_of(stored.stored_name).read_bytes() == content
    assert stored.size == len(content)


@pytest.mark.parametrize("extension", sorted(GOOD_FILES))
def test_every_allowed_type_is_refused_when_its_content_does_not_match(app, extension):
    wrong = PNG if extension in ("txt", "csv") else TEXT
    with pytest.raises(PathwayError) as refused:
        evidence.store_uploads([_upload(wrong, f"evidence.{extension}")])
    assert refused.value.status == 415
    assert not list(evidence.folder().iterdir())


@pytest.mark.parametrize(("name", "clean"), [
    ("../../etc/passwd.txt", "passwd.txt"),
    ("C:\\Users\\alex\\My Audit.PDF", "My_Audit.pdf"),
    ("報告.pdf", "evidence-1.pdf"),
    ("?*<>|.pdf", "evidence-1.pdf"),
])
def test_file_names_are_made_safe(name, clean):
    extension = name.rsplit(".", 1)[1].lower()
    assert evidence.clean_filename(name, extension, 0) == clean


def test_windows_1252_text_is_taken_but_control_characters_are_not(app):
    assert evidence.store_uploads([_upload("café notes\n".encode("cp1252"), "notes.txt")])
    with pytest.raises(PathwayError):
        evidence.store_uploads([_upload(b"text\x1b[31m escape", "notes.txt")])


def test_an_unknown_evidence_type_in_the_settings_stops_the_start():
    with pytest.raises(ValueError, match="exe"):
        evidence.check_settings({"EVIDENCE_TYPES": ["pdf", "exe"]})
