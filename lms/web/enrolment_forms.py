"""Forms of the applications, memberships, invoices and enrolment-change pages (each with a
CSRF token). Field names are the names the operations' refusals use (`intake`, `learners`,
`amount`, ...), so `lms.web.admin_forms.show_refusal` puts a refusal next to its field."""

from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, Optional

from lms.enrolment.applications import COHORT_SEATS
from lms.web.admin_forms import CheckboxesField


def _not_blank(message):
    def check(form, field):
        if not (field.data or "").strip():
            raise ValidationError(message)
    return check


def _reason(label="Reason", hint="Kept in the enrolment's history."):
    return TextAreaField(label, description=hint, validators=[
        _not_blank("Say why."), Length(max=1000)])


class IndividualApplicationForm(FlaskForm):
    intake = SelectField("Intake", choices=[], coerce=int, validate_choice=True)


class CohortApplicationForm(FlaskForm):
    intake = SelectField("Intake", choices=[], coerce=int, validate_choice=True)
    learners = CheckboxesField(
        "Learners", choices=[], validate_choice=True,
        description=f"Up to {COHORT_SEATS}. You can name them later, before or after the "
                    "decision.")


class DecisionForm(FlaskForm):
    note = TextAreaField("Note to the applicant (optional)", validators=[Length(max=5000)])


class AddLearnersForm(FlaskForm):
    learners = CheckboxesField("Learners to add", choices=[], validate_choice=True)


class MembershipForm(FlaskForm):
    number = StringField("RRN membership number", validators=[DataRequired(), Length(max=50)])
    expires_on = DateField("Expires on", validators=[DataRequired()])
    holder = SelectField("Whose membership", choices=[], validate_choice=True)
    email = StringField("Or a person's e-mail address", validators=[Optional(), Length(max=254)],
                        description="To record someone else's membership instead.")


def _amount(form, field):
    text = (field.data or "").strip().replace(",", "").removeprefix("£")
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError("Enter an amount in pounds and pence, such as 1000.00.")
    field.amount = value


class PaymentForm(FlaskForm):
    amount = StringField("Amount received (£)", validators=[DataRequired(), _amount],
                         description="In pounds and pence, such as 1000.00.")
    received_on = DateField("Received on", validators=[DataRequired()])
    reference = StringField("Reference (optional)", validators=[Optional(), Length(max=100)],
                            description="For example the bank's reference.")


class WithdrawalForm(FlaskForm):
    reason = _reason()


class DeferralForm(FlaskForm):
    intake = SelectField("Later intake", choices=[], coerce=int, validate_choice=True)
    reason = _reason()


class TransferForm(FlaskForm):
    learner = SelectField("New learner", choices=[], validate_choice=True,
                          description="A person of the cohort's organisation.")
    reason = _reason()
