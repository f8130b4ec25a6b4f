"""Practice assessment pages: a learner submits evidence with the signed authenticity
declaration and sees where they stand; a tutor decides per criterion from their queue; an
internal verifier checks a sample of decisions.

The rules (who may submit, decide or verify; which attempt; what a file must be) live in
`lms.assessment`; these pages call its operations and show their refusals by the fields."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload, selectinload
from wtforms import BooleanField, MultipleFileField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from lms.access import allow
from lms.assessment import decisions, evidence, operations, rules, sampling
from lms.assessment.models import CriterionDecision, Submission, Verification
from lms.assessment.visibility import check_may_decide, check_may_verify, submission_for
from lms.catalogue.models import Activity
from lms.delivery.operations import activity_of_enrolment
from lms.enrolment.models import Enrolment
from lms.enrolment.operations import enrolment_for
from lms.errors import Conflict, Forbidden, InvalidInput, NotFound, PathwayError
from lms.extensions import db
from lms.progress.models import UnitProgress
from lms.timeutil import london, utcnow

bp = Blueprint("assessment_pages", __name__, template_folder="templates")

OUTCOME_WORDS = {"met": "Met", "not-yet-met": "Not yet met", None: "Awaiting decision"}
VERIFICATION_WORDS = {"agreed": "Agreed", "action-required": "Action required"}
UNIT_WORDS = {"achieved": "Achieved", "in-progress": "In progress",
              "not-started": "Not started"}
SAMPLE_SIZE, SAMPLE_MAX, VERIFIED_SHOWN = 10, 100, 50


class RequiredChoice(RadioField):
    """Radio buttons (value, label) of which one must be chosen; the error says what."""

    def __init__(self, label=None, *, options: list[tuple[str, str]], missing: str, **kwargs):
        super().__init__(label, choices=[SelectChoice(value, text) for value, text in options],
                         **kwargs)
        self.values = {value for value, _ in options}
        self.missing = missing

    def pre_validate(self, form):
        if self.data not in self.values:
            raise StopValidation(self.missing)


class EvidenceForm(FlaskForm):
    """Submitting evidence: the checks themselves are the operation's (`operations.submit`)."""

    files = MultipleFileField("Evidence files")
    note = TextAreaField("A note to your assessor (optional)")
    confirm = BooleanField("I confirm this declaration")
    signed_name = StringField("Your full name, to sign the declaration")


class VerificationForm(FlaskForm):
    outcome = RequiredChoice(
        "Your verification", missing="Choose Agree or Action required.",
        options=[("agreed", "Agree"), ("action-required", "Action required")])
    comment = TextAreaField("Comment")


def _decision_form(criteria) -> FlaskForm:
    """A decision form with a Met / Not yet met choice and feedback for each criterion."""

    class DecisionForm(FlaskForm):
        feedback = TextAreaField("Overall feedback to the learner")

    for position, criterion in enumerate(criteria):
        setattr(DecisionForm, f"decision_{position}", RequiredChoice(
            f"{criterion.code} {criterion.text}",
            missing=f"Choose Met or Not yet met for criterion {criterion.code}.",
            options=[("met", "Met"), ("not-yet-met", "Not yet met")]))
        setattr(DecisionForm, f"feedback_{position}", TextAreaField(
            f"Feedback on criterion {criterion.code}"))
    return DecisionForm()


def _show_refusal(error: PathwayError, form, field_of) -> None:
    """Put an operation's refusal by the form fields it names (`field_of` maps the API's
    field, such as "files[2]" or "criteria[1].feedback", to a form field name, or None), and
    flash it; what names no field of the form is flashed as it is."""
    placed = False
    for item in error.errors:
        name = field_of(item["field"])
        if name is None or name not in form:
            continue
        prefix = f"{item['field']}: "
        message = error.detail[len(prefix):] if (
            len(error.errors) == 1 and error.detail.startswith(prefix)) else item["detail"]
        form[name].errors = [*form[name].errors, message[:1].upper() + message[1:]]
        placed = True
    flash("Nothing was saved: see the problems marked below." if placed else error.detail,
          "error")


@bp.context_processor
def _helpers():
    return {"outcome_words": OUTCOME_WORDS, "verification_words": VERIFICATION_WORDS,
            "unit_words": UNIT_WORDS, "size_words": size_words, "aria": aria}


def aria(field, *hints: str) -> dict:
    """A control's ARIA attributes: described by its hints and its error, invalid on error."""
    ids = [*hints, *([f"{field.id}-error"] if field.errors else [])]
    attributes = {"aria-describedby": " ".join(ids)} if ids else {}
    if field.errors and not isinstance(field, RadioField):  # not an ARIA attribute of radios
        attributes["aria-invalid"] = "true"
    return attributes


def size_words(size: int) -> str:
    """A size as people read it: '20 MB', '512 KB', '100 bytes' (binary units)."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"


# ---- the learner ---------------------------------------------------------------------------

def _limits() -> dict:
    config = current_app.config
    types = evidence.allowed_types()
    return {"max_files": config["EVIDENCE_MAX_FILES"],
            "max_bytes": size_words(config["EVIDENCE_MAX_BYTES"]),
            "max_total": size_words(config["EVIDENCE_MAX_TOTAL_BYTES"]),
            # "Word document", "Word 97-2003 document" -> "Word"; in the settings' order.
            "types": list(dict.fromkeys(
                kind.description if kind.description.startswith("plain")
                else kind.description.split()[0] for kind in types.values())),
            "extensions": ", ".join(f".{extension}" for extension in types)}


def _evidence_field(api_field: str) -> str | None:
    return {"files": "files", "declaration": "confirm", "signed_name": "signed_name",
            "note": "note"}.get(api_field.split("[", 1)[0])


@bp.route("/learn/<int:enrolment_id>/assessments/<slug>", methods=["GET", "POST"])
@allow("learner")
def submit(enrolment_id, slug):
    """A practice assessment for the learner: the task, where they stand, and the form to
    submit evidence with the signed declaration. The enrolment's own learner only."""
    enrolment = enrolment_for(current_user, enrolment_id)
    if enrolment.learner_id != current_user.id:
        raise NotFound(f"enrolment: there is no enrolment {enrolment_id} of yours.")
    activity = activity_of_enrolment(enrolment, slug)
    form = EvidenceForm()
    status = 200
    if form.validate_on_submit():
        # A file input with nothing chosen sends one part without a name: no file at all.
        uploads = [upload for upload in request.files.getlist("files") if upload.filename]
        try:
            submission = operations.submit(
                current_user._get_current_object(), enrolment, activity,
                declaration=rules.DECLARATION if form.confirm.data else None,
                signed_name=form.signed_name.data, note=form.note.data, uploads=uploads)
        except PathwayError as error:
            db.session.rollback()
            status = error.status
            if not form.confirm.data and any(
                    item["field"] == "declaration" for item in error.errors):
                # The page sends the declaration's text itself: only the tick can be missing.
                error = InvalidInput.field(
                    "declaration", "Tick “I confirm this declaration” to sign it.")
            _show_refusal(error, form, _evidence_field)
        else:
            flash(f"Your evidence is submitted (attempt {submission.attempt}, "
                  f"{len(submission.files)} file{'s' if len(submission.files) != 1 else ''}). "
                  "Your tutor will decide on it; their feedback will be here.", "success")
            return redirect(url_for(".submit", enrolment_id=enrolment.id, slug=activity.slug))
    elif form.errors:
        status = 422
    standing = operations.standing(enrolment, activity)
    unit = db.session.get(UnitProgress, (enrolment.id, activity.unit_id))
    return render_template(
        "assessment/submit.html", standing=standing, enrolment=enrolment, activity=activity,
        unit_status=unit.status if unit else "not-started", form=form,
        declaration=rules.DECLARATION, limits=_limits()), status


# ---- the tutor -----------------------------------------------------------------------------

def _with_people(statement):
    """Load each submission's learner, task and unit in the same query."""
    return statement.options(
        joinedload(Submission.enrolment).joinedload(Enrolment.learner),
        joinedload(Submission.activity).joinedload(Activity.unit),
        joinedload(Submission.assessor))


@bp.get("/assess")
@allow("tutor", "admin")
def queue():
    """Submissions awaiting a decision, oldest first: a tutor's own learners' (administrators:
    everyone's), as the API's queue."""
    statement = db.select(Submission).where(Submission.outcome.is_(None))
    if "admin" not in current_user.role_names:
        statement = statement.where(Submission.enrolment_id.in_(
            db.select(Enrolment.id).where(Enrolment.tutor_id == current_user.id)))
    waiting = db.session.execute(_with_people(statement).order_by(
        Submission.submitted_at, Submission.id)).scalars().all()
    today = london(utcnow()).date()
    rows = [{"submission": s, "days": (today - london(s.submitted_at).date()).days}
            for s in waiting]
    return render_template("assessment/queue.html", rows=rows)


def _criteria_field(api_field: str) -> str | None:
    # "criteria[2].feedback" -> "feedback_2"; the form sends every criterion in order.
    if api_field.startswith("criteria[") and api_field.endswith("].feedback"):
        return f"feedback_{api_field[len('criteria['):-len('].feedback')]}"
    return None


def _loaded(submission_id: int) -> Submission:
    """The submission with its files, decisions and verifications loaded at once."""
    return db.session.execute(_with_people(db.select(Submission)).where(
        Submission.id == submission_id).options(
        selectinload(Submission.files),
        selectinload(Submission.decisions).joinedload(CriterionDecision.criterion),
        selectinload(Submission.verifications).joinedload(Verification.verifier))
    ).unique().scalar_one()


@bp.route("/assess/<int:submission_id>", methods=["GET", "POST"])
@allow("tutor", "admin")
def decide(submission_id):
    """One submission: the evidence, note and signed declaration, and the decision form (Met
    or Not yet met with feedback per criterion); once decided, the decision, read-only."""
    submission = submission_for(current_user, submission_id)
    check_may_decide(current_user, submission)
    submission = _loaded(submission.id)
    standing = operations.standing(submission.enrolment, submission.activity)
    criteria = standing["criteria"]
    form = _decision_form(criteria)
    status = 200
    if submission.outcome is None and form.validate_on_submit():
        given = [{"code": criterion.code, "decision": form[f"decision_{position}"].data,
                  "feedback": form[f"feedback_{position}"].data or ""}
                 for position, criterion in enumerate(criteria)]
        learner, task = submission.enrolment.learner.name, submission.activity.title
        try:
            decisions.decide(current_user._get_current_object(), submission, given,
                             form.feedback.data or "")
        except Conflict as error:
            db.session.rollback()
            flash(error.detail, "error")
            return redirect(url_for(".decide", submission_id=submission_id))
        except PathwayError as error:
            db.session.rollback()
            _show_refusal(error, form, _criteria_field)
            status = error.status
        else:
            flash(f"Decision recorded for {learner}, “{task}”: "
                  f"{OUTCOME_WORDS[submission.outcome].lower()}.", "success")
            return redirect(url_for(".queue"))
    elif request.method == "POST" and submission.outcome is not None:
        flash(f"Attempt {submission.attempt} is already decided: a decision is final.", "error")
        return redirect(url_for(".decide", submission_id=submission_id))
    elif form.errors:
        flash("The decision was not recorded: see the problems marked below.", "error")
        status = 422
    others = [s for s in standing["submissions"] if s.id != submission.id]
    return render_template("assessment/decide.html", submission=submission, criteria=criteria,
                           decided=_decided(submission), others=others, form=form), status


def _decided(submission: Submission) -> list[CriterionDecision]:
    return sorted(submission.decisions, key=lambda d: d.criterion.position)


# ---- the internal verifier -----------------------------------------------------------------

@bp.get("/verify")
@allow("verifier", "admin")
def verification():
    """A sample of decisions to verify (`sampling.propose_sample`), and decisions already
    verified, newest first."""
    size = min(max(request.args.get("size", SAMPLE_SIZE, type=int), 1), SAMPLE_MAX)
    proposed = sampling.propose_sample(current_user._get_current_object(), size)
    loaded = {s.id: s for s in db.session.execute(_with_people(db.select(Submission)).where(
        Submission.id.in_([s.id for s in proposed]))).scalars()}
    verified = db.session.execute(
        db.select(Verification).options(
            joinedload(Verification.verifier),
            joinedload(Verification.submission).joinedload(Submission.enrolment)
            .joinedload(Enrolment.learner),
            joinedload(Verification.submission).joinedload(Submission.activity)
            .joinedload(Activity.unit),
            joinedload(Verification.submission).joinedload(Submission.assessor))
        .order_by(Verification.created_at.desc(), Verification.id.desc())
        .limit(VERIFIED_SHOWN)).scalars().all()
    return render_template("assessment/verification.html", size=size, rule=sampling.RULE,
                           sample=[loaded[s.id] for s in proposed], verified=verified)


@bp.route("/verify/<int:submission_id>", methods=["GET", "POST"])
@allow("verifier", "admin")
def verify(submission_id):
    """One decision to verify: the evidence, the decision per criterion and its feedback, and
    the form (Agree or Action required, with a comment). Never one's own decisions: the
    operation refuses, and the refusal is shown."""
    submission = _loaded(submission_for(current_user, submission_id).id)
    form = VerificationForm()
    status = 200
    if form.validate_on_submit():
        try:
            decisions.verify(current_user._get_current_object(), submission,
                             form.outcome.data, form.comment.data or "")
        except (Forbidden, Conflict) as error:
            db.session.rollback()
            flash(error.detail, "error")
            return redirect(url_for(".verify", submission_id=submission_id))
        except PathwayError as error:
            db.session.rollback()
            _show_refusal(error, form, lambda field: field if field == "comment" else None)
            status = error.status
        else:
            flash(f"Verification recorded for {submission.enrolment.learner.name}, "
                  f"“{submission.activity.title}”: "
                  f"{VERIFICATION_WORDS[form.outcome.data].lower()}.", "success")
            return redirect(url_for(".verification"))
    elif form.errors:
        flash("The verification was not recorded: see the problems marked below.", "error")
        status = 422
    refusal = None
    if submission.outcome is None:
        refusal = "This submission is awaiting a decision: there is nothing to verify yet."
    else:
        try:
            check_may_verify(current_user, submission)
        except Forbidden as error:
            refusal = error.detail
    return render_template("assessment/verify.html", submission=submission,
                           decided=_decided(submission), form=form, refusal=refusal), status
