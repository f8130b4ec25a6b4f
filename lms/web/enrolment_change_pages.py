"""Enrolments and their changes: the enrolments an administrator or an organisation manager
may see; one enrolment's page with its history (for whoever may see the enrolment) and the
forms to withdraw the learner, defer them to a later intake (administrators) or give a cohort
seat to another learner of the organisation, each for whom the API allows it.

The same operations and checks as `/api/v1/enrolments/<id>/withdrawal`, `/deferral` and
`/transfer` (`lms.enrolment.changes`); a refusal is a message next to its field, never an error
page. URL rules: `lms.web.enrolment_pages`."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lms.access import allow
from lms.enrolment import changes
from lms.enrolment.applications import EnrolmentChange
from lms.enrolment.models import Enrolment, Intake
from lms.enrolment.operations import enrolment_for, visible_enrolments
from lms.errors import Conflict, PathwayError
from lms.extensions import db
from lms.people.models import User, UserRole
from lms.web import enrolment_forms as forms
from lms.web.admin_forms import choices, show_refusal
from lms.web.format import day_words

STATUS_WORDS = {"pending": "Starts soon", "active": "Active", "completed": "Completed",
                "withdrawn": "Withdrawn", "deferred": "Deferred", "transferred": "Transferred"}
ENROLMENTS_SHOWN = 200


def _me():
    return current_user._get_current_object()


def _commit() -> None:
    """Commit; a clash with a change made at the same moment is a refusal, nothing stored."""
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict("The enrolment changed at the same time; nothing was changed. Look "
                       "again and retry.") from error


# ---- the list ------------------------------------------------------------------------------

@allow("admin", "org_manager")
def enrolments():
    """The enrolments the caller may see (an administrator every one, a manager their
    organisation's learners'), by intake; filter by status, intake or name."""
    me = _me()
    status = request.args.get("status") or ""
    intake_id = request.args.get("intake", type=int)
    query = (request.args.get("q") or "").strip()
    statement = (visible_enrolments(me).join(User, User.id == Enrolment.learner_id)
                 .join(Intake, Intake.id == Enrolment.intake_id)
                 .options(joinedload(Enrolment.learner), joinedload(Enrolment.intake),
                          joinedload(Enrolment.cohort))
                 .order_by(Intake.start_date.desc(), User.name, Enrolment.id))
    if "admin" not in me.role_names:  # a manager: their organisation's learners only
        statement = statement.where(User.organisation_id == me.organisation_id)
    if status in STATUS_WORDS:
        statement = statement.where(Enrolment.status == status)
    if intake_id:
        statement = statement.where(Enrolment.intake_id == intake_id)
    if query:
        statement = statement.where(User.name.icontains(query, autoescape=True))
    found = db.session.execute(statement.limit(ENROLMENTS_SHOWN + 1)).scalars().all()
    intakes = db.session.execute(db.select(Intake.id, Intake.name)
                                 .order_by(Intake.start_date.desc())).all()
    return render_template(
        "enrolment/enrolments.html", enrolments=found[:ENROLMENTS_SHOWN],
        more=len(found) > ENROLMENTS_SHOWN, status=status, intake_id=intake_id, query=query,
        intakes=intakes, status_words=STATUS_WORDS, admin="admin" in me.role_names)


# ---- one enrolment -------------------------------------------------------------------------

def _manages(me, enrolment: Enrolment, organisation_id=None) -> bool:
    try:
        changes.check_manages(me, enrolment, organisation_id)
    except PathwayError:
        return False
    return True


def _later_intakes(enrolment: Enrolment) -> list:
    taken = db.select(Enrolment.intake_id).where(Enrolment.learner_id == enrolment.learner_id)
    return choices(
        (i.id, f"{i.name} (starts {day_words(i.start_date)})")
        for i in db.session.execute(db.select(Intake).where(
            Intake.qualification_id == enrolment.intake.qualification_id,
            Intake.start_date > enrolment.intake.start_date, Intake.id.not_in(taken))
            .order_by(Intake.start_date)).scalars())


def _seat_takers(enrolment: Enrolment) -> list:
    """Learners of the cohort's organisation with no enrolment on this intake."""
    taken = db.select(Enrolment.learner_id).where(Enrolment.intake_id == enrolment.intake_id)
    return choices((p.public_id, p.name) for p in db.session.execute(
        db.select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.organisation_id == enrolment.cohort.organisation_id,
               User.active.is_(True), UserRole.role == "learner", User.id.not_in(taken))
        .order_by(User.name, User.id)).scalars())


def _forms(me, enrolment: Enrolment, given: dict) -> dict:
    """The forms the caller may use on this enrolment now (as the API allows them)."""
    found = {}
    if enrolment.status not in changes.CURRENT:
        return found
    roles = me.role_names
    if roles & {"admin", "org_manager"} and _manages(me, enrolment):
        found["withdraw"] = given.get("withdraw") or forms.WithdrawalForm(prefix="withdraw")
    if "admin" in roles:
        form = given.get("defer") or forms.DeferralForm(prefix="defer")
        form.intake.choices = _later_intakes(enrolment)
        found["defer"] = form
    if (enrolment.cohort is not None and roles & {"admin", "org_manager"}
            and changes.london_today() < enrolment.intake.start_date
            and _manages(me, enrolment, enrolment.cohort.organisation_id)):
        form = given.get("transfer") or forms.TransferForm(prefix="transfer")
        form.learner.choices = _seat_takers(enrolment)
        found["transfer"] = form
    return found


def _history(enrolment: Enrolment) -> list[tuple[EnrolmentChange, str]]:
    """The enrolment's changes, oldest first, each with what changed in words."""
    entries = db.session.execute(
        db.select(EnrolmentChange).where(EnrolmentChange.enrolment_id == enrolment.id)
        .options(joinedload(EnrolmentChange.made_by)).order_by(EnrolmentChange.id)
    ).scalars().all()
    intake_ids, people = set(), set()
    for change in entries:
        for side in ("from", "to"):
            part = (change.details or {}).get(side) or {}
            if part.get("intake"):
                intake_ids.add(part["intake"])
            if part.get("learner"):
                people.add(part["learner"])
    intakes = dict(db.session.execute(db.select(Intake.id, Intake.name).where(
        Intake.id.in_(intake_ids))).all()) if intake_ids else {}
    names = dict(db.session.execute(db.select(User.public_id, User.name).where(
        User.public_id.in_(people))).all()) if people else {}
    return [(change, _change_words(change, intakes, names)) for change in entries]


def _change_words(change: EnrolmentChange, intakes: dict, names: dict) -> str:
    details = change.details or {}
    before, after = details.get("from") or {}, details.get("to") or {}
    if change.kind == "deferred":
        return (f"Deferred from {intakes.get(before.get('intake'), 'an intake')} to "
                f"{intakes.get(after.get('intake'), 'a later intake')}")
    if change.kind == "transferred" or details.get("transferred"):
        return (f"Seat transferred from {names.get(before.get('learner'), 'a learner')} to "
                f"{names.get(after.get('learner'), 'a learner')}")
    if change.kind == "extended":
        return f"Window extended to {_day(after.get('window_ends'))}"
    if change.kind == "created" and details.get("application"):
        return f"Enrolled from application {details['application']}"
    return {"created": "Enrolled", "activated": "Started", "withdrawn": "Withdrawn",
            "completed": "Completed"}.get(change.kind, change.kind.capitalize())


def _day(text) -> str:
    from datetime import date

    try:
        return day_words(date.fromisoformat(text))
    except (TypeError, ValueError):
        return str(text or "")


def _enrolment_page(enrolment_id: int, status=200, **given):
    me = _me()
    enrolment = enrolment_for(me, enrolment_id)
    record = None
    if ("learner_records.learner" in current_app.view_functions
            and me.role_names & {"tutor", "admin"}):
        record = url_for("learner_records.learner", enrolment_id=enrolment.id)
    return render_template(
        "enrolment/enrolment.html", enrolment=enrolment, history=_history(enrolment),
        forms=_forms(me, enrolment, given), status_words=STATUS_WORDS, record=record,
        today=changes.london_today()), status


@allow("signed-in")
def enrolment(enrolment_id):
    """One enrolment: intake, cohort, dates, its history; and the changes the caller may
    make."""
    return _enrolment_page(enrolment_id)


def _back(enrolment: Enrolment):
    return redirect(url_for("enrolment_pages.enrolment", enrolment_id=enrolment.id))


def _change(enrolment_id: int, name: str, form_class, make_change):
    """Validate the form `name`, make the change (`make_change(me, enrolment, form)` returns
    the message and the enrolment to show), commit; a refusal is shown on the page."""
    me = _me()
    enrolment = enrolment_for(me, enrolment_id)
    form = form_class(prefix=name)
    if name not in _forms(me, enrolment, {name: form}):
        try:  # not offered: the operation's own checks say why
            make_change(me, enrolment, form)
        except PathwayError as error:
            flash(error.detail, "error")
        else:
            flash("This change cannot be made to this enrolment.", "error")
        db.session.rollback()
        return _back(enrolment)
    if not form.validate_on_submit():
        return _enrolment_page(enrolment_id, 422, **{name: form})
    try:
        message, shown = make_change(me, enrolment, form)
        _commit()
    except PathwayError as error:
        db.session.rollback()
        show_refusal(form, error)
        return _enrolment_page(enrolment_id, error.status, **{name: form})
    flash(message, "success")
    return _back(shown)


def _reason(form) -> str:
    return (form.reason.data or "").strip()


@allow("admin", "org_manager")
def withdraw(enrolment_id):
    """Withdraw the learner (an administrator or their organisation's manager)."""
    def make(me, enrolment, form):
        changes.check_manages(me, enrolment)
        changes.withdraw(enrolment, me, _reason(form))
        return f"{enrolment.learner.name} is withdrawn from {enrolment.intake.name}.", enrolment

    return _change(enrolment_id, "withdraw", forms.WithdrawalForm, make)


@allow("admin")
def defer(enrolment_id):
    """Move the enrolment to a later intake of the same qualification (administrators)."""
    def make(me, enrolment, form):
        changes.defer(enrolment, form.intake.data or 0, me, _reason(form),
                      changes.london_today())
        return (f"{enrolment.learner.name} is deferred to {enrolment.intake.name}, starting "
                f"{day_words(enrolment.start_date)}.", enrolment)

    return _change(enrolment_id, "defer", forms.DeferralForm, make)


@allow("admin", "org_manager")
def transfer(enrolment_id):
    """Give the cohort seat to another learner of the organisation before the start."""
    def make(me, enrolment, form):
        changes.check_manages(me, enrolment,
                              enrolment.cohort.organisation_id if enrolment.cohort else None)
        successor = changes.transfer(enrolment, form.learner.data or "", me, _reason(form),
                                     changes.london_today())
        return (f"The seat of {enrolment.learner.name} is now {successor.learner.name}'s.",
                successor)

    return _change(enrolment_id, "transfer", forms.TransferForm, make)
