"""Applying for an intake, and the applications' pages: an individual applies for themself, an
organisation manager for a cohort of up to six of their organisation's learners; the
applicant withdraws before the decision; a manager (or an administrator) names or removes a
cohort's learners; an administrator accepts or declines.

The same operations and checks as `POST /api/v1/applications` and its sub-resources
(`lms.enrolment.applying`); a refusal is a message on the page (next to its field), never an
error page. URL rules: `lms.web.enrolment_pages`."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from lms.access import allow
from lms.enrolment import applying
from lms.enrolment.application_views import committed
from lms.enrolment.applications import COHORT_SEATS, Application, Seat
from lms.enrolment.intakes import intake_by_id, london_today, open_intakes, seats_taken
from lms.enrolment.models import Enrolment, Intake
from lms.enrolment.operations import visible_enrolments
from lms.errors import Conflict, PathwayError
from lms.extensions import db
from lms.invoicing.models import Invoice
from lms.invoicing.operations import invoice_reference, visible_invoices
from lms.invoicing.prices import gbp, is_member, price_for, with_vat
from lms.people.models import User, UserRole
from lms.web import enrolment_forms as forms
from lms.web.admin_forms import choices, show_refusal
from lms.web.enrolment_change_pages import STATUS_WORDS as ENROLMENT_WORDS
from lms.web.format import day_words
from lms.web.forms import ActionForm

STATUS_WORDS = {"submitted": "Waiting for a decision", "accepted": "Accepted",
                "declined": "Declined", "withdrawn": "Withdrawn"}
KIND_WORDS = {"individual": "Individual place", "cohort": f"Cohort of {COHORT_SEATS}"}
APPLICATIONS_SHOWN = 200


def _me() -> User:
    return current_user._get_current_object()


def manages_cohorts(user) -> bool:
    """An organisation manager linked to an organisation (who may apply for a cohort)."""
    return "org_manager" in user.role_names and user.organisation_id is not None


def price_words(net) -> dict:
    """A net price with its VAT and gross as the invoice will show them (£, to the penny)."""
    amounts = with_vat(net)
    return {"net": gbp(amounts.net), "vat": gbp(amounts.vat), "gross": gbp(amounts.gross),
            "rate": f"{amounts.rate * 100:.0f}%"}


def _price_today(intake: Intake, kind: str, member: bool, today) -> dict | None:
    try:
        return price_words(price_for(intake.qualification_id, kind, member, today).net_amount)
    except Conflict:
        return None  # no price yet: shown as such, and applying says why


def _organisation_learners(organisation_id: int, leaving_out=()) -> list[User]:
    """The active learners of an organisation, by name (the people a cohort may name)."""
    statement = (db.select(User).join(UserRole, UserRole.user_id == User.id)
                 .where(User.organisation_id == organisation_id, User.active.is_(True),
                        UserRole.role == "learner").order_by(User.name, User.id))
    if leaving_out:
        statement = statement.where(User.id.not_in(leaving_out))
    return list(db.session.execute(statement).scalars())


def _intake_choices(intakes: list[Intake]) -> list:
    return choices((i.id, f"{i.name} (starts {day_words(i.start_date)})") for i in intakes)


# ---- applying ------------------------------------------------------------------------------

def _places_held(me) -> set[int]:
    """The intakes `me` holds a place on already: enrolled, or named in a live application."""
    enrolled = db.select(Enrolment.intake_id).where(Enrolment.learner_id == me.id)
    applied = (db.select(Application.intake_id).join(Seat)
               .where(Seat.learner_id == me.id, Application.status.in_(applying.LIVE)))
    return set(db.session.execute(enrolled.union(applied)).scalars())


def _apply_forms(me, individual=None, cohort=None) -> dict:
    today = london_today()
    intakes = list(db.session.execute(open_intakes(today).options(
        joinedload(Intake.qualification)).order_by(Intake.start_date, Intake.id)).scalars())
    held = _places_held(me)
    individual = individual or forms.IndividualApplicationForm(prefix="individual")
    individual.intake.choices = _intake_choices([i for i in intakes if i.id not in held])
    member = is_member(today, user_id=me.id)
    offers = [{"intake": i, "seats_taken": seats_taken(i), "held": i.id in held,
               "closes": i.applications_close or i.start_date,
               "individual": _price_today(i, "individual", member, today)} for i in intakes]
    page = {"intakes": offers, "individual_form": individual, "member": member,
            "cohort_form": None, "organisation_member": False}
    if manages_cohorts(me):
        organisation_member = is_member(today, organisation_id=me.organisation_id)
        for offer in offers:
            offer["cohort"] = _price_today(offer["intake"], "cohort", organisation_member, today)
        cohort = cohort or forms.CohortApplicationForm(prefix="cohort")
        cohort.intake.choices = _intake_choices(intakes)
        cohort.learners.choices = choices(
            (p.public_id, p.name) for p in _organisation_learners(me.organisation_id))
        page.update(cohort_form=cohort, organisation_member=organisation_member,
                    organisation=me.organisation)
    return page


def _apply_page(status=200, **given):
    return render_template("enrolment/apply.html", seats=COHORT_SEATS,
                           vat_rate=price_words(0)["rate"],
                           **_apply_forms(_me(), **given)), status


@allow("signed-in")
def apply():
    """The intakes open for applications with the caller's price (net, VAT, gross), and the
    forms to apply for yourself or (an organisation manager) for a cohort."""
    return _apply_page()


@allow("signed-in")
def apply_post():
    """Apply as `POST /api/v1/applications` does: `kind=individual` or `kind=cohort`."""
    me = _me()
    kind = "cohort" if request.form.get("kind") == "cohort" else "individual"
    if kind == "cohort":
        form = _apply_forms(me, cohort=forms.CohortApplicationForm(prefix="cohort"))[
            "cohort_form"]
        if form is None:
            flash("Only an organisation manager linked to an organisation applies for a "
                  "cohort.", "error")
            return _apply_page(403)
    else:
        form = _apply_forms(me, individual=forms.IndividualApplicationForm(prefix="individual"))[
            "individual_form"]
    if not form.validate_on_submit():
        return _apply_page(422, **{kind: form})
    learners = form.learners.data if kind == "cohort" else []
    try:
        with committed("application"):
            application = applying.apply(me, intake_by_id(form.intake.data), kind, learners,
                                         london_today())
    except PathwayError as error:
        db.session.rollback()
        show_refusal(form, error)
        return _apply_page(error.status, **{kind: form})
    flash(f"Application sent for {application.intake.name}: "
          f"{KIND_WORDS[kind].lower()}. An administrator will decide on it.", "success")
    return redirect(url_for("enrolment_pages.application", application_id=application.id))


# ---- the list and one application ----------------------------------------------------------

def _invoices_of(me, application_ids) -> dict[int, Invoice]:
    """The invoices of these applications that `me` may see, by application id."""
    if not application_ids:
        return {}
    found = db.session.execute(visible_invoices(me).where(
        Invoice.application_id.in_(application_ids))).scalars()
    return {invoice.application_id: invoice for invoice in found}


@allow("signed-in")
def applications():
    """The applications the caller may see (an administrator all, a manager their
    organisation's, anyone else their own), newest first; filter by status."""
    me = _me()
    status = request.args.get("status") or ""
    statement = (applying.visible_applications(me)
                 .options(joinedload(Application.intake), joinedload(Application.applicant),
                          joinedload(Application.organisation),
                          selectinload(Application.seats).joinedload(Seat.learner))
                 .order_by(Application.submitted_at.desc(), Application.id.desc()))
    if status in STATUS_WORDS:
        statement = statement.where(Application.status == status)
    found = db.session.execute(statement.limit(APPLICATIONS_SHOWN + 1)).unique().scalars().all()
    shown = found[:APPLICATIONS_SHOWN]
    return render_template(
        "enrolment/applications.html", applications=shown, more=len(found) > len(shown),
        status=status, status_words=STATUS_WORDS, kind_words=KIND_WORDS, seats=COHORT_SEATS,
        invoices=_invoices_of(me, [a.id for a in shown]), reference=invoice_reference,
        can_apply=bool(db.session.execute(open_intakes(london_today()).limit(1)).first()),
        admin="admin" in me.role_names, enrolment_words=ENROLMENT_WORDS,
        own_enrolments=db.session.execute(
            db.select(Enrolment).where(Enrolment.learner_id == me.id)
            .options(joinedload(Enrolment.intake)).order_by(Enrolment.start_date.desc())
        ).scalars().all())


def _visible_enrolment_ids(me, application: Application) -> set[int]:
    ids = {seat.enrolment_id for seat in application.seats if seat.enrolment_id}
    if not ids:
        return set()
    return set(db.session.execute(visible_enrolments(me).with_only_columns(Enrolment.id)
                                  .where(Enrolment.id.in_(ids))).scalars())


def _may_name_learners(me, application: Application) -> bool:
    """What `add_learners` allows: the organisation's manager or an administrator, on a live
    cohort application with a seat free."""
    return (application.kind == "cohort" and application.status in applying.LIVE
            and len(application.seats) < COHORT_SEATS
            and ("admin" in me.role_names or (
                "org_manager" in me.role_names
                and me.organisation_id == application.organisation_id)))


def _application_page(application_id: int, status=200, decision_form=None, learners_form=None):
    me = _me()
    application = applying.application_for(me, application_id)
    if learners_form is None and _may_name_learners(me, application):
        learners_form = forms.AddLearnersForm(prefix="add")
    if learners_form is not None:
        named = [seat.learner_id for seat in application.seats]
        learners_form.learners.choices = choices(
            (p.public_id, p.name)
            for p in _organisation_learners(application.organisation_id, named))
    roles = me.role_names
    return render_template(
        "enrolment/application.html", application=application, me=me,
        status_words=STATUS_WORDS, kind_words=KIND_WORDS, seats=COHORT_SEATS,
        enrolment_words=ENROLMENT_WORDS, price=price_words(application.net_amount),
        visible_enrolments=_visible_enrolment_ids(me, application),
        invoice=_invoices_of(me, [application.id]).get(application.id),
        reference=invoice_reference,
        decision_form=decision_form or (forms.DecisionForm() if "admin" in roles
                                        and application.status == "submitted" else None),
        learners_form=learners_form,
        may_remove=(application.kind == "cohort" and application.status == "submitted"
                    and bool(roles & {"admin", "org_manager"})),
        may_withdraw=application.applicant_id == me.id and application.status == "submitted",
        action_form=ActionForm()), status


@allow("signed-in")
def application(application_id):
    """One application: intake, price with VAT, its learners (and their enrolments once
    accepted), the invoice, and what the caller may do with it."""
    return _application_page(application_id)


def _back(application: Application):
    return redirect(url_for("enrolment_pages.application", application_id=application.id))


@allow("admin")
def decide(application_id):
    """Accept (enrolments and the invoice follow) or decline, with a note; once only."""
    application = applying.application_for(_me(), application_id)
    form = forms.DecisionForm()
    decision = request.form.get("decision")
    if not form.validate_on_submit() or decision not in ("accept", "decline"):
        if decision not in ("accept", "decline"):
            flash("Choose Accept or Decline.", "error")
        return _application_page(application_id, 422, decision_form=form)
    try:
        with committed("decision"):
            invoice = applying.decide(application, decision, form.note.data or "", _me(),
                                      london_today())
    except PathwayError as error:
        db.session.rollback()
        flash(error.detail, "error")
        return _back(application)
    if decision == "accept":
        flash(f"Accepted: {len(application.seats)} enrolled; invoice "
              f"{invoice_reference(invoice)} issued to {invoice.payer_name}.", "success")
    else:
        flash("Declined. The applicant can see your note.", "success")
    return _back(application)


@allow("org_manager", "admin")
def add_learners(application_id):
    """Name more learners of a cohort (six in all); once accepted, each is enrolled."""
    me = _me()
    application = applying.application_for(me, application_id)
    form = forms.AddLearnersForm(prefix="add")
    named = [seat.learner_id for seat in application.seats]
    form.learners.choices = choices(
        (p.public_id, p.name) for p in _organisation_learners(application.organisation_id,
                                                              named)) \
        if application.organisation_id else []
    if not form.validate_on_submit():
        return _application_page(application_id, 422, learners_form=form)
    try:
        with committed("learners"):
            added = applying.add_learners(application, me, form.learners.data or [],
                                          london_today())
    except PathwayError as error:
        db.session.rollback()
        show_refusal(form, error)
        return _application_page(application_id, error.status, learners_form=form)
    names = ", ".join(seat.learner.name for seat in added)
    flash(f"Added: {names}" + (" (enrolled)." if application.status == "accepted" else "."),
          "success")
    return _back(application)


@allow("org_manager", "admin")
def remove_learner(application_id, public_id):
    """Take a learner off a cohort application before the decision."""
    application = applying.application_for(_me(), application_id)
    if ActionForm().validate_on_submit():
        seat = next((s for s in application.seats if s.learner.public_id == public_id), None)
        try:
            applying.remove_learner(application, public_id)
        except PathwayError as error:
            db.session.rollback()
            flash(error.detail, "error")
        else:
            db.session.commit()
            flash(f"{seat.learner.name} is no longer named in this application.", "success")
    return _back(application)


@allow("signed-in")
def withdraw(application_id):
    """The applicant withdraws their application before the decision."""
    application = applying.application_for(_me(), application_id)
    if ActionForm().validate_on_submit():
        try:
            applying.withdraw(application, _me())
        except PathwayError as error:
            db.session.rollback()
            flash(error.detail, "error")
        else:
            db.session.commit()
            flash(f"Your application for {application.intake.name} is withdrawn.", "success")
    return _back(application)

