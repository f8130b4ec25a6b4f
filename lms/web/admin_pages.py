"""The administrator's pages: service status, the catalogue (and importing a catalogue file),
people and their roles, intakes with organisations and cohorts, and LRS credentials.

Every change goes through the same operations as the JSON API and the `lms` command; a refusal
is shown next to the field it names, never a 500."""

import tempfile
from datetime import datetime
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.utils import secure_filename

from lms.access import allow
from lms.catalogue.models import Activity, Qualification
from lms.enrolment import intakes as intake_operations
from lms.enrolment.models import Cohort, Enrolment, Intake, Organisation
from lms.errors import Conflict, InvalidInput, PathwayError
from lms.extensions import db
from lms.people import operations as people
from lms.people.models import User, UserRole
from lms.web import admin_forms as forms
from lms.web.format import day_words
from lms.web.forms import ActionForm

bp = Blueprint("admin_pages", __name__, template_folder="templates")

USERS_SHOWN = 200


def _xapi_engine():
    return current_app.extensions["xapi"].engine


# ---- the overview ---------------------------------------------------------------------------

def _scheduler() -> dict:
    from lms.health import scheduler_state

    state = scheduler_state()
    if "last_heartbeat" in state:
        state["last_heartbeat_at"] = datetime.fromisoformat(state["last_heartbeat"])
    return state


@bp.get("/admin")
@allow("admin")
def index():
    """Links to each part of administration, and how the service is doing."""
    from xapi.forwarding import status as forwarding_status
    from xapi.models import statements

    with _xapi_engine().connect() as connection:
        statement_count = connection.execute(select(func.count()).select_from(statements)
                                             ).scalar_one()
    counts = {
        "users": db.session.execute(select(func.count(User.id))).scalar_one(),
        "active_users": db.session.execute(
            select(func.count(User.id)).where(User.active.is_(True))).scalar_one(),
        "enrolments": db.session.execute(select(func.count(Enrolment.id))).scalar_one(),
        "statements": statement_count,
    }
    return render_template("admin/index.html", scheduler=_scheduler(),
                           forwarding=forwarding_status(_xapi_engine()), counts=counts)


# ---- the catalogue --------------------------------------------------------------------------

def _catalogue_page(form, problems=(), status=200):
    qualifications = db.session.execute(
        select(Qualification).options(selectinload(Qualification.units))
        .order_by(Qualification.title)).scalars().all()
    activities: dict[int, list[Activity]] = {}
    for activity in db.session.execute(
            select(Activity).order_by(Activity.unit_id, Activity.retired, Activity.position,
                                      Activity.id)).scalars():
        activities.setdefault(activity.unit_id, []).append(activity)
    return render_template("admin/catalogue.html", qualifications=qualifications,
                           activities=activities, form=form, problems=problems), status


@bp.get("/admin/catalogue")
@allow("admin")
def catalogue():
    """Qualifications, units and activities (retired ones too), and a catalogue import."""
    return _catalogue_page(forms.CatalogueImportForm())


@bp.post("/admin/catalogue")
@allow("admin")
def catalogue_import():
    """Load an uploaded catalogue file as `lms catalogue load` does: all or nothing, then
    progress is recomputed when the catalogue changed."""
    from lms.catalogue.fileformat import CatalogueError
    from lms.catalogue.operations import load_file
    from lms.cli import recompute_progress

    form = forms.CatalogueImportForm()
    if not form.validate_on_submit():
        return _catalogue_page(form, status=422)
    upload = form.file.data
    name = secure_filename(upload.filename or "") or "catalogue.yaml"
    with tempfile.TemporaryDirectory(prefix="pathway-catalogue-") as folder:
        path = Path(folder) / name
        upload.save(path)
        try:
            report = load_file(path)
        except CatalogueError as error:
            db.session.rollback()
            # Named as the administrator knows the file, not by its temporary path.
            problems = [problem.replace(str(path), upload.filename or name, 1)
                        for problem in error.problems]
            flash(f"Nothing was loaded: {upload.filename or name} has "
                  f"{len(problems)} problem{'s' if len(problems) != 1 else ''}.", "error")
            return _catalogue_page(form, problems, status=422)
    db.session.commit()
    flash(f"Catalogue loaded: {report.summary()}.", "success")
    if report.changed:
        flash(recompute_progress().capitalize() + ".", "success")
    return redirect(url_for("admin_pages.catalogue"))


# ---- people ---------------------------------------------------------------------------------

def _organisation_choices() -> list:
    rows = db.session.execute(select(Organisation.slug, Organisation.name)
                              .order_by(Organisation.name)).all()
    return forms.choices([("", "None"), *rows])


@bp.get("/admin/users")
@allow("admin")
def users():
    """Everyone, or those whose name or e-mail address holds the search words."""
    query = (request.args.get("q") or "").strip()
    role = request.args.get("role") or ""
    statement = (select(User).options(selectinload(User.roles), joinedload(User.organisation))
                 .order_by(User.name, User.id))
    if query:
        statement = statement.where(User.name.icontains(query, autoescape=True)
                                    | User.email.icontains(query, autoescape=True))
    if role in forms.ROLE_WORDS:
        statement = statement.where(User.id.in_(
            select(UserRole.user_id).where(UserRole.role == role)))
    found = db.session.execute(statement.limit(USERS_SHOWN + 1)).scalars().all()
    return render_template("admin/users.html", users=found[:USERS_SHOWN], query=query,
                           role=role, more=len(found) > USERS_SHOWN,
                           role_words=forms.ROLE_WORDS)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@allow("admin")
def user_new():
    """Create an account with its roles (and a password, or none yet)."""
    form = forms.UserCreateForm()
    form.organisation.choices = _organisation_choices()
    status = 200
    if form.validate_on_submit():
        organisation_id = None
        if form.organisation.data:
            organisation_id = db.session.execute(select(Organisation.id).where(
                Organisation.slug == form.organisation.data)).scalar_one()
        try:
            user = people.create_user(form.email.data, form.name.data, form.roles.data,
                                      password=form.password.data or None,
                                      organisation_id=organisation_id)
        except PathwayError as error:
            db.session.rollback()
            forms.show_refusal(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(f"Account created for {user.name} ({user.email}).", "success")
            return redirect(url_for("admin_pages.user_edit", public_id=user.public_id))
    elif form.errors:
        status = 422
    return render_template("admin/user_new.html", form=form,
                           role_words=forms.ROLE_WORDS), status


def _check_not_self_demotion(user: User, roles=None, active=None) -> None:
    # As in the API: an administrator cannot lock themselves out.
    if user.id == current_user.id and (active is False or (
            roles is not None and "admin" not in roles)):
        raise InvalidInput.field("roles", "you cannot remove your own admin role or "
                                          "disable yourself")


@bp.route("/admin/users/<public_id>", methods=["GET", "POST"])
@allow("admin")
def user_edit(public_id):
    """One account: name, roles, a new password; and activating or deactivating it."""
    user = people.user_by_public_id(public_id)
    form = forms.UserEditForm(data={"name": user.name, "roles": sorted(user.role_names)})
    status = 200
    if form.validate_on_submit():
        try:
            _check_not_self_demotion(user, roles=form.roles.data)
            user.name = form.name.data.strip()
            people.set_roles(user, form.roles.data)
            if form.password.data:
                people.set_password(user, form.password.data)
        except PathwayError as error:
            db.session.rollback()
            forms.show_refusal(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(f"Saved the changes to {user.name}'s account.", "success")
            return redirect(url_for("admin_pages.user_edit", public_id=user.public_id))
    elif form.errors:
        status = 422
    from lms.enrolment.operations import enrolments_of

    return render_template("admin/user_edit.html", user=user, form=form,
                           action_form=ActionForm(), role_words=forms.ROLE_WORDS,
                           enrolments=enrolments_of(user)), status


@bp.post("/admin/users/<public_id>/active")
@allow("admin")
def user_active(public_id):
    """Let an account sign in again (`active=yes`) or stop it signing in (`active=no`)."""
    user = people.user_by_public_id(public_id)
    wanted = request.form.get("active")
    if ActionForm().validate_on_submit() and wanted in ("yes", "no"):
        active = wanted == "yes"
        try:
            _check_not_self_demotion(user, active=active)
        except PathwayError as error:
            flash(error.detail, "error")
        else:
            user.active = active
            db.session.commit()
            flash(f"{user.name}'s account is {'active' if active else 'deactivated'}.",
                  "success")
    return redirect(url_for("admin_pages.user_edit", public_id=user.public_id))


# ---- intakes, organisations and cohorts -----------------------------------------------------

def _intake_forms(intake_form=None, organisation_form=None, cohort_form=None):
    intake_form = intake_form or forms.IntakeForm(prefix="intake")
    intake_form.qualification.choices = forms.choices(db.session.execute(
        select(Qualification.slug, Qualification.title).order_by(Qualification.title)))
    organisation_form = organisation_form or forms.OrganisationForm(prefix="organisation")
    cohort_form = cohort_form or forms.CohortForm(prefix="cohort")
    cohort_form.organisation.choices = forms.choices(db.session.execute(
        select(Organisation.id, Organisation.name).order_by(Organisation.name)))
    cohort_form.intake.choices = forms.choices(
        (intake_id, f"{name} (starts {day_words(start)})")
        for intake_id, name, start in db.session.execute(
            select(Intake.id, Intake.name, Intake.start_date).order_by(Intake.start_date.desc())))
    return {"intake_form": intake_form, "organisation_form": organisation_form,
            "cohort_form": cohort_form}


def _intakes_page(status=200, **given):
    all_intakes = db.session.execute(
        select(Intake).options(joinedload(Intake.qualification))
        .order_by(Intake.start_date.desc(), Intake.id)).scalars().all()
    learners = dict(db.session.execute(
        select(Enrolment.intake_id, func.count(Enrolment.id))
        .where(Enrolment.status.in_(intake_operations.HOLDING))
        .group_by(Enrolment.intake_id)).all())
    cohort_learners = dict(db.session.execute(
        select(Enrolment.cohort_id, func.count(Enrolment.id))
        .where(Enrolment.cohort_id.is_not(None), Enrolment.status.in_(intake_operations.HOLDING))
        .group_by(Enrolment.cohort_id)).all())
    cohorts: dict[int, list[Cohort]] = {}
    for cohort in db.session.execute(
            select(Cohort).options(joinedload(Cohort.organisation))
            .order_by(Cohort.name, Cohort.id)).scalars():
        cohorts.setdefault(cohort.intake_id, []).append(cohort)
    # Places taken by the intakes' own rule (a cohort's application takes six); intakes are few.
    seats = {intake.id: intake_operations.seats_taken(intake) for intake in all_intakes}
    organisations = db.session.execute(select(Organisation).order_by(Organisation.name)
                                       ).scalars().all()
    return render_template(
        "admin/intakes.html", intakes=all_intakes, learners=learners, cohorts=cohorts,
        cohort_learners=cohort_learners, seats=seats, organisations=organisations,
        today=intake_operations.london_today(), **_intake_forms(**given)), status


@bp.get("/admin/intakes")
@allow("admin")
def intakes():
    """Intakes (dates, capacity, places, cohorts and learners), organisations, and forms to
    add each."""
    return _intakes_page()


@bp.post("/admin/intakes")
@allow("admin")
def intake_add():
    """Add an intake, with the same checks as `POST /api/v1/intakes`."""
    form = _intake_forms(intake_form=forms.IntakeForm(prefix="intake"))["intake_form"]
    if not form.validate_on_submit():
        return _intakes_page(422, intake_form=form)
    values = {name: getattr(form, name).data for name in
              ("qualification", *intake_operations.FIELDS)}
    try:
        intake = intake_operations.create_intake(values)
    except PathwayError as error:
        db.session.rollback()
        forms.show_refusal(form, error)
        return _intakes_page(error.status, intake_form=form)
    db.session.commit()
    flash(f"Intake added: {intake.name}, starting {day_words(intake.start_date)}.", "success")
    return redirect(url_for("admin_pages.intakes"))


@bp.route("/admin/intakes/<int:intake_id>", methods=["GET", "POST"])
@allow("admin")
def intake_edit(intake_id):
    """Change an intake's name, dates or capacity, with the same checks as
    `PATCH /api/v1/intakes/<id>` (the start date stays once learners are enrolled)."""
    intake = intake_operations.intake_by_id(intake_id)
    form = forms.IntakeEditForm(prefix="intake", obj=intake)
    status = 200
    if form.validate_on_submit():
        changes = {name: getattr(form, name).data for name in intake_operations.FIELDS}
        try:
            intake_operations.update_intake(intake, changes)
        except PathwayError as error:
            db.session.rollback()
            forms.show_refusal(form, error)
            status = error.status
        else:
            db.session.commit()
            flash(f"Intake changed: {intake.name}.", "success")
            return redirect(url_for("admin_pages.intakes"))
    elif form.errors:
        status = 422
    return render_template("admin/intake_edit.html", intake=intake, form=form), status


def add_organisation(name: str, slug: str, rrn_member: bool) -> Organisation:
    """A new organisation; its slug must be free. Flushes."""
    taken = db.session.execute(select(Organisation.id).where(Organisation.slug == slug)).first()
    if taken is not None:
        raise Conflict(f"slug: there is already an organisation {slug!r}.",
                       errors=[{"field": "slug", "detail": "is already taken"}])
    organisation = Organisation(name=name.strip(), slug=slug, rrn_member=rrn_member)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def add_cohort(organisation_id: int, intake_id: int, name: str, seats: int) -> Cohort:
    """A new cohort of an organisation on an intake. Flushes."""
    cohort = Cohort(organisation_id=organisation_id, intake_id=intake_id, name=name.strip(),
                    seats=seats)
    db.session.add(cohort)
    db.session.flush()
    return cohort


@bp.post("/admin/organisations")
@allow("admin")
def organisation_add():
    """Add an organisation (a care provider that sends learners)."""
    form = forms.OrganisationForm(prefix="organisation")
    if not form.validate_on_submit():
        return _intakes_page(422, organisation_form=form)
    try:
        organisation = add_organisation(form.name.data, form.slug.data, form.rrn_member.data)
    except PathwayError as error:
        db.session.rollback()
        forms.show_refusal(form, error)
        return _intakes_page(error.status, organisation_form=form)
    db.session.commit()
    flash(f"Organisation added: {organisation.name}.", "success")
    return redirect(url_for("admin_pages.intakes") + "#organisations")


@bp.post("/admin/cohorts")
@allow("admin")
def cohort_add():
    """Add a cohort to an organisation, on an intake."""
    form = _intake_forms(cohort_form=forms.CohortForm(prefix="cohort"))["cohort_form"]
    if not form.validate_on_submit():
        return _intakes_page(422, cohort_form=form)
    cohort = add_cohort(form.organisation.data, form.intake.data, form.name.data,
                        form.seats.data)
    db.session.commit()
    flash(f"Cohort added: {cohort.name}.", "success")
    return redirect(url_for("admin_pages.intakes"))


# ---- LRS credentials ------------------------------------------------------------------------

def _lrs_page(form, created=None, status=200):
    from xapi.auth import list_clients

    with _xapi_engine().connect() as connection:
        rows = list_clients(connection)
    clients = [row for row in rows if row.get("actor") is None]  # launch credentials aside
    endpoint = (current_app.config["BASE_URL"].rstrip("/")
                + url_for("xapi.about").rsplit("/about", 1)[0] + "/")
    return render_template("admin/lrs_clients.html", clients=clients, form=form,
                           endpoint=endpoint,
                           created=created, launch_count=len(rows) - len(clients),
                           action_form=ActionForm(), scope_words=forms.SCOPE_WORDS), status


@bp.route("/admin/lrs-clients", methods=["GET", "POST"])
@allow("admin")
def lrs_clients():
    """LRS credentials: the list, and new ones (their secret is shown once, on this answer)."""
    from xapi.auth import create_client

    form = forms.LrsClientForm()
    if request.method == "GET":
        return _lrs_page(form)
    if not form.validate_on_submit():
        return _lrs_page(form, status=422)
    with _xapi_engine().begin() as connection:
        key, secret = create_client(connection, form.name.data.strip(), form.scopes.data,
                                    current_app.config["BASE_URL"])
    flash(f"LRS credentials created for {form.name.data.strip()}. Copy the secret now: "
          "it is not shown again.", "success")
    return _lrs_page(forms.LrsClientForm(formdata=None),
                     created={"name": form.name.data.strip(), "key": key, "secret": secret})


@bp.post("/admin/lrs-clients/<key>/revoke")
@allow("admin")
def lrs_client_revoke(key):
    """Revoke LRS credentials (refused everywhere within seconds)."""
    from xapi.auth import revoke_client

    if ActionForm().validate_on_submit():
        with _xapi_engine().begin() as connection:
            revoked = revoke_client(connection, key)
        if revoked:
            flash(f"LRS credentials {key} are revoked.", "success")
        else:
            flash(f"No active LRS credentials with key {key}.", "error")
    return redirect(url_for("admin_pages.lrs_clients"))
