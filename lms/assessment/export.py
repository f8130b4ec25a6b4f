"""One learner's evidence and feedback for one unit, as a zip for external verification:

    <activity-slug>/attempt-<N>/<file>   each submission's evidence files
    feedback.html                        readable: declarations, decisions per criterion,
                                         feedback, assessors, dates, verifications
    decisions.csv                        one row per criterion decision (or per submission
                                         awaiting a decision)
    files.csv                            every file's path in the zip, size and sha256
"""

import csv
import io
import tempfile
import zipfile

from flask import render_template
from werkzeug.utils import secure_filename

from lms.assessment import evidence
from lms.assessment.models import Submission
from lms.catalogue.models import Activity, Unit
from lms.errors import NotFound
from lms.extensions import db
from lms.timeutil import london
from xapi.export import spreadsheet_safe

DECISION_COLUMNS = [
    "activity", "activity_title", "attempt", "submitted_at", "due_date", "on_time",
    "signed_name", "criterion", "criterion_text", "decision", "criterion_feedback", "outcome",
    "overall_feedback", "assessor", "assessed_at", "verifications"]


def unit_of_enrolment(enrolment, unit_slug: str) -> Unit:
    """Unit `unit_slug` of the enrolment's qualification, or 404."""
    unit = db.session.execute(db.select(Unit).where(
        Unit.slug == unit_slug,
        Unit.qualification_id == enrolment.intake.qualification_id)).scalar_one_or_none()
    if unit is None:
        raise NotFound(f"unit: there is no unit {unit_slug!r} in the qualification of "
                       f"enrolment {enrolment.id}.")
    return unit


def zip_name(enrolment, unit) -> str:
    """The export's file name: learner, unit and 'evidence'."""
    learner = secure_filename(enrolment.learner.name).lower() or f"enrolment-{enrolment.id}"
    return f"{learner}-{unit.slug}-evidence.zip"


def unit_submissions(enrolment, unit) -> list[Submission]:
    """The enrolment's submissions for the unit's activities, by activity then attempt."""
    return list(db.session.execute(
        db.select(Submission).join(Activity, Submission.activity_id == Activity.id)
        .where(Submission.enrolment_id == enrolment.id, Activity.unit_id == unit.id)
        .order_by(Activity.position, Activity.id, Submission.attempt)).scalars())


def _when(moment) -> str:
    return f"{london(moment):%Y-%m-%d %H:%M}" if moment else ""


def _csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read UTF-8


def _verifications(submission) -> str:
    return " | ".join(
        f"{v.outcome} by {v.verifier.name if v.verifier else 'a former user'} on "
        f"{_when(v.created_at)}" + (f": {v.comment}" if v.comment else "")
        for v in submission.verifications)


def _decision_rows(submissions) -> list[list]:
    rows = [DECISION_COLUMNS]
    for s in submissions:
        common = [s.activity.slug, s.activity.title, s.attempt, _when(s.submitted_at),
                  s.due_date.isoformat(), "yes" if s.on_time else "no", s.signed_name]
        after = [s.outcome or "awaiting decision", s.feedback,
                 s.assessor.name if s.assessor else "", _when(s.assessed_at),
                 _verifications(s)]
        decisions = sorted(s.decisions, key=lambda d: d.criterion.position)
        for d in decisions:
            rows.append([*common, d.criterion.code, d.criterion.text, d.decision, d.feedback,
                         *after])
        if not decisions:
            rows.append([*common, "", "", "", "", *after])
    return rows


def _file_paths(submissions) -> list[tuple]:
    """(submission, evidence file, path in the zip), names made unique per folder."""
    found = []
    for s in submissions:
        folder, taken = f"{s.activity.slug}/attempt-{s.attempt}", set()
        for f in s.files:
            name, n = f.filename, 1
            while name.lower() in taken:
                n += 1
                stem, _, ext = f.filename.rpartition(".")
                name = f"{stem}-{n}.{ext}"
            taken.add(name.lower())
            found.append((s, f, f"{folder}/{name}"))
    return found


def evidence_zip(enrolment, unit):
    """The export as a file object positioned at its start (spooled to disk when large)."""
    submissions = unit_submissions(enrolment, unit)
    files = _file_paths(submissions)
    listing = [["path", "original_name", "size", "sha256", "submitted_at", "present"]]
    archive = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for submission, evidence_file, path in files:
            source = evidence.path_of(evidence_file.stored_name)
            present = source.is_file()
            if present:
                zipped.write(source, path)
            listing.append([path, evidence_file.filename, evidence_file.size,
                            evidence_file.sha256, _when(submission.submitted_at),
                            "yes" if present else "missing from the evidence store"])
        zipped.writestr("feedback.html", render_template(
            "assessment/feedback.html", enrolment=enrolment, unit=unit,
            submissions=submissions, paths={f.id: p for _, f, p in files}, when=_when))
        zipped.writestr("decisions.csv", _csv(_decision_rows(submissions)))
        zipped.writestr("files.csv", _csv(listing))
    archive.seek(0)
    return archive
