"""Practice-assessment API under `/api/v1/`: the declaration, submitting evidence, the
tutor's queue, decisions, internal verification and its sample, reading submissions and
their files, and the evidence export of a learner's unit."""

from flask import request, send_file
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from lms.access import allow
from lms.api import PageArgs, UnsupportedMediaType, next_link, paginate, takes_uploads
from lms.assessment import decisions, evidence, export, operations, sampling, schemas
from lms.assessment.models import EvidenceFile, Submission
from lms.assessment.visibility import (
    check_may_export,
    submission_by_id,
    submission_for,
)
from lms.delivery.operations import activity_of_enrolment
from lms.enrolment.models import Enrolment
from lms.enrolment.operations import enrolment_for
from lms.errors import NotFound
from lms.extensions import db

blp = Blueprint("assessment", __name__, url_prefix="/api/v1", template_folder="templates",
                description="Practice assessment: evidence, decisions, internal verification.")

SUBMISSION_BODY = {"required": True, "content": {
    "multipart/form-data": {"schema": schemas.SubmissionForm}}}


@blp.route("/assessment/declaration")
class Declaration(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.DeclarationSchema)
    def get(self):
        """The authenticity declaration a learner signs with every submission."""
        return {}


@blp.route("/enrolments/<int:enrolment_id>/activities/<slug>/submissions")
class ActivitySubmissions(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.ActivityStandingSchema)
    def get(self, enrolment_id, slug):
        """A practice assessment of an enrolment (where launching it leads): the criteria and
        evidence it asks for, whether the learner may submit now (with the attempt and its
        due date, or the reason not), the declaration to sign, and the submissions so far.
        For whoever may see the enrolment; 409 for an activity that is not assessed."""
        enrolment = enrolment_for(current_user, enrolment_id)
        return operations.standing(enrolment, activity_of_enrolment(enrolment, slug))

    @takes_uploads
    @allow("learner")
    @blp.doc(requestBody=SUBMISSION_BODY)
    @blp.response(201, schemas.SubmissionSchema)
    def post(self, enrolment_id, slug):
        """Submit evidence for a practice assessment (multipart/form-data: one or more
        `files`, the signed `declaration` and `signed_name`, an optional `note`). Only the
        enrolled learner. Refusals: 413 a file or the whole over its size limit, 415 a type
        not taken (by extension or by content), 422 a field missing or wrong, 409 when a
        submission awaits a decision or no further attempt is allowed. Nothing is stored
        when anything is refused."""
        if request.mimetype != "multipart/form-data":
            raise UnsupportedMediaType(
                "Send evidence as multipart/form-data (fields: files, declaration, "
                "signed_name, note).")
        enrolment = enrolment_for(current_user, enrolment_id)
        activity = activity_of_enrolment(enrolment, slug)
        return operations.submit(
            current_user, enrolment, activity, declaration=request.form.get("declaration"),
            signed_name=request.form.get("signed_name"), note=request.form.get("note"),
            uploads=request.files.getlist("files")), 201


@blp.route("/enrolments/<int:enrolment_id>/submissions")
class EnrolmentSubmissions(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.SubmissionSchema(many=True))
    def get(self, enrolment_id):
        """An enrolment's submissions, by activity and attempt (the learner's own, or a
        learner the caller may see)."""
        return operations.submissions_of(enrolment_for(current_user, enrolment_id))


@blp.route("/assessment/queue")
class Queue(MethodView):
    @allow("tutor", "admin")
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, schemas.SubmissionPage)
    def get(self, args):
        """Submissions awaiting a decision, oldest first: a tutor's own learners'
        (administrators: everyone's)."""
        statement = db.select(Submission).where(Submission.outcome.is_(None))
        if "admin" not in current_user.role_names:
            statement = statement.join(Enrolment, Submission.enrolment_id == Enrolment.id) \
                .where(Enrolment.tutor_id == current_user.id)
        page = paginate(db, statement, Submission.id, args)
        return page, 200, next_link(page)


@blp.route("/submissions/<int:submission_id>")
class SubmissionDetail(MethodView):
    @allow("signed-in")
    @blp.response(200, schemas.SubmissionSchema)
    def get(self, submission_id):
        """One submission with its files, decisions, feedback and verifications: for its
        learner, their tutor, their organisation's manager, administrators, and internal
        verifiers once it is decided."""
        return submission_for(current_user, submission_id)


@blp.route("/submissions/<int:submission_id>/decision")
class Decision(MethodView):
    @allow("tutor", "admin")
    @blp.arguments(schemas.DecisionInput)
    @blp.response(201, schemas.SubmissionSchema)
    def post(self, data, submission_id):
        """Decide on a submission: met or not yet met on every criterion of the assessment,
        with feedback (required for a criterion not yet met). Only the learner's tutor or an
        administrator (403 otherwise); final (409 when already decided)."""
        submission = submission_by_id(submission_id)
        return decisions.decide(current_user, submission, data["criteria"],
                                data["feedback"]), 201


@blp.route("/submissions/<int:submission_id>/verification")
class VerificationResource(MethodView):
    @allow("verifier", "admin")
    @blp.arguments(schemas.VerificationInput)
    @blp.response(201, schemas.VerificationSchema)
    def post(self, data, submission_id):
        """Internal verification of a decision: agreed, or action required (with a comment).
        By an internal verifier or administrator who did not make the decision (403 for the
        assessor, and for anyone without the `verifier` or `admin` role)."""
        submission = submission_by_id(submission_id)
        return decisions.verify(current_user, submission, data["outcome"],
                                data["comment"]), 201


@blp.route("/assessment/sample")
class Sample(MethodView):
    @allow("verifier", "admin")
    @blp.arguments(schemas.SampleArgs, location="query")
    @blp.response(200, schemas.SampleSchema)
    def get(self, args):
        """A risk-based sample of decisions to verify, spread across assessors and units
        (the rule is in the answer's `rule`); never the caller's own decisions or learning.
        For internal verifiers and administrators."""
        return {"rule": sampling.RULE,
                "items": sampling.propose_sample(current_user, args["size"])}


@blp.route("/submissions/<int:submission_id>/files/<int:file_id>")
class EvidenceFileDownload(MethodView):
    @allow("signed-in")
    @blp.response(200, description="The file, as an attachment.")
    def get(self, submission_id, file_id):
        """Download one evidence file (for whoever may read the submission)."""
        submission = submission_for(current_user, submission_id)
        found = db.session.get(EvidenceFile, file_id)
        if found is None or found.submission_id != submission.id:
            raise NotFound(f"file: submission {submission_id} has no file {file_id}.")
        path = evidence.path_of(found.stored_name)
        if not path.is_file():
            raise NotFound(f"file: {found.filename!r} is missing from the evidence store; "
                           "tell an administrator.")
        response = send_file(path, mimetype=found.content_type, as_attachment=True,
                             download_name=found.filename, conditional=True, etag=found.sha256)
        return _private(response)


@blp.route("/enrolments/<int:enrolment_id>/units/<unit_slug>/evidence.zip")
class EvidenceExport(MethodView):
    @allow("signed-in")
    @blp.response(200, description="A zip of the unit's evidence, decisions and feedback.")
    def get(self, enrolment_id, unit_slug):
        """A learner's evidence and feedback for one unit, as one zip: each submission's files
        under `<activity>/attempt-N/`, `feedback.html`, `decisions.csv` and `files.csv`
        (sha256 of every file). For the learner, their tutor and administrators."""
        enrolment = enrolment_for(current_user, enrolment_id)
        check_may_export(current_user, enrolment)
        unit = export.unit_of_enrolment(enrolment, unit_slug)
        archive = export.evidence_zip(enrolment, unit)
        response = send_file(archive, mimetype="application/zip", as_attachment=True,
                             download_name=export.zip_name(enrolment, unit))
        return _private(response)


def _private(response):
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response
