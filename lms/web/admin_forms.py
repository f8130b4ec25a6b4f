"""Forms of the administrator's pages (each with a CSRF token), and putting an operation's
refusal next to the field it names."""

import marshmallow as ma
from flask import flash
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    ValidationError,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from lms.access import ROLES
from lms.enrolment.applications import COHORT_SEATS
from lms.people.passwords import MIN_LENGTH
from xapi.auth import SCOPES

ROLE_WORDS = {"learner": "Learner", "tutor": "Tutor", "admin": "Administrator",
              "org_manager": "Organisation manager", "verifier": "Internal verifier"}
SCOPE_WORDS = {
    "statements/write": "Store statements",
    "statements/read": "Read every statement",
    "statements/read/mine": "Read only the statements it stored",
    "state": "Read and write state documents",
    "define": "Define activities",
    "profile": "Read and write profiles",
    "all/read": "Read everything",
    "all": "Everything",
}
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes (the template lays them out in a fieldset)."""


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the options of a select or a set of checkboxes."""
    return [SelectChoice(value, label) for value, label in pairs]


def _email(form, field):
    # The same check as the JSON API's (marshmallow's), so both accept the same addresses.
    try:
        ma.validate.Email(error="is not an e-mail address")(field.data or "")
    except ma.ValidationError as error:
        raise ValidationError("Enter an e-mail address such as name@example.org.") from error


def _at_least_one(message):
    def check(form, field):
        if not field.data:
            raise ValidationError(message)
    return check


class UserCreateForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("E-mail address", validators=[DataRequired(), Length(max=254), _email])
    password = PasswordField(
        "Password", validators=[Optional(), Length(max=1024)],
        description=f"At least {MIN_LENGTH} characters. Leave it empty to set one later.")
    roles = CheckboxesField("Roles", choices=choices((r, ROLE_WORDS[r]) for r in ROLES),
                            validators=[_at_least_one("Choose at least one role.")])
    organisation = SelectField("Organisation", choices=[], validate_choice=True,
                               description="For learners and organisation managers.")


class UserEditForm(FlaskForm):
    name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    roles = CheckboxesField("Roles", choices=choices((r, ROLE_WORDS[r]) for r in ROLES),
                            validators=[_at_least_one("Choose at least one role.")])
    password = PasswordField("New password", validators=[Optional(), Length(max=1024)],
                             description=f"At least {MIN_LENGTH} characters. Leave it empty "
                                         "to keep the password as it is.")


class IntakeForm(FlaskForm):
    qualification = SelectField("Qualification", choices=[], validate_choice=True)
    name = StringField("Name", validators=[DataRequired(), Length(max=200)],
                       description="For example: September 2027 intake.")
    start_date = DateField("Start date", validators=[DataRequired()])
    applications_open = DateField("Applications open", validators=[Optional()])
    applications_close = DateField("Applications close", validators=[Optional()],
                                   description="The last day; on or before the start date.")
    final_payment_date = DateField("Final payment due", validators=[Optional()],
                                   description="On or before the start date.")
    capacity = IntegerField("Capacity (learners)", validators=[Optional(), NumberRange(min=1)],
                            description="Leave it empty for no limit. A cohort takes six.")


class IntakeEditForm(IntakeForm):
    """Changing an intake: everything but its qualification."""

    qualification = None


class OrganisationForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    slug = StringField("Short name (slug)", validators=[
        DataRequired(), Length(max=100),
        Regexp(SLUG_PATTERN, message="Use lower-case letters, digits and single hyphens.")],
        description="Lower-case letters, digits and hyphens, as in riverside-care.")
    rrn_member = BooleanField("Restraint Reduction Network member")


class CohortForm(FlaskForm):
    organisation = SelectField("Organisation", choices=[], coerce=int, validate_choice=True)
    intake = SelectField("Intake", choices=[], coerce=int, validate_choice=True)
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    seats = IntegerField("Seats", default=COHORT_SEATS,
                         validators=[DataRequired(), NumberRange(min=1, max=COHORT_SEATS)],
                         description=f"From 1 to {COHORT_SEATS}.")


class CatalogueImportForm(FlaskForm):
    file = FileField("Catalogue file (YAML)", validators=[
        FileRequired("Choose a catalogue file."),
        FileAllowed(["yaml", "yml"], "Choose a .yaml or .yml file.")],
        description="One qualification in the pathway-catalogue/1 format. All or nothing: "
                    "a file with any problem changes nothing.")


class LrsClientForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)],
                       description="Who will use these credentials, e.g. Analytics dashboard.")
    scopes = CheckboxesField("Scopes",
                             choices=choices((s, f"{SCOPE_WORDS[s]} ({s})") for s in SCOPES),
                             validators=[_at_least_one("Choose at least one scope.")])


def show_refusal(form: FlaskForm, error) -> None:
    """Flash an operation's refusal (a PathwayError) and put each part of it next to the
    field it names (`errors[].field`, or a detail starting with 'field: ')."""
    flash(error.detail, "error")
    placed = False
    for item in error.errors or []:
        name = str(item.get("field", "")).split(".")[-1]
        if name in form:
            _add_error(form[name], item["detail"])
            placed = True
    name, _, rest = error.detail.partition(": ")
    if not placed and rest and name in form:
        _add_error(form[name], rest)


def _add_error(field, message: str) -> None:
    if isinstance(field.errors, tuple):  # WTForms keeps a tuple until validation fails
        field.errors = list(field.errors)
    field.errors.append(message)
