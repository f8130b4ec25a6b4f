"""Forms of the personal API tokens page, the tutor's window and attendance page and the
content packages page (each with a CSRF token), and putting a refusal next to its field.

The forms only say what a person must fill in; what the values may be is decided by the
API's own schema and operation, read through `checked`, so a page accepts exactly what the
API accepts."""

import re

import marshmallow as ma
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional

from lms.errors import InvalidInput, PathwayError, field_errors

# What marshmallow says when it refuses a value, in the words of a form.
PLAIN_WORDS = [
    (r"Missing data for required field\.", "Fill this in."),
    (r"Not a valid integer\.", "Enter a whole number."),
    (r"Not a valid date\.", "Enter a date."),
    (r"Longer than maximum length (\d+)\.", r"At most \1 characters."),
    (r"Shorter than minimum length (\d+)\.", r"At least \1 characters."),
    (r"Length must be between (\d+) and (\d+)\.", r"From \1 to \2 characters."),
    (r"Must be greater than or equal to (\d+) and less than or equal to (\d+)\.",
     r"From \1 to \2."),
]


class TokenForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Give the token a name.")],
                       description="What will use it, for example: Reporting spreadsheet.")
    days = StringField("Expires after (days)", validators=[Optional()])


class ExtensionForm(FlaskForm):
    window_ends = DateField("New last day", validators=[InputRequired("Choose the new last "
                                                                      "day.")])
    reason = TextAreaField("Reason", validators=[DataRequired("Say why the window is "
                                                              "extended.")],
                           description="Kept with the learner's record, for example: "
                                       "A month's sick leave.")


class AttendanceForm(FlaskForm):
    activity = SelectField("Guided activity", choices=[], validate_choice=False,
                           validators=[InputRequired("Choose the activity they attended.")])
    minutes = StringField("Minutes attended", validators=[InputRequired("Say how many "
                                                                        "minutes they "
                                                                        "attended.")])
    attended_at = DateTimeLocalField("When it started", format="%Y-%m-%dT%H:%M",
                                     validators=[Optional()],
                                     description="London time. Leave it empty for now.")


def checked(schema: ma.Schema, data: dict) -> dict:
    """`data` through one of the API's schemas; a refusal is an InvalidInput naming the
    fields as the API does."""
    try:
        return schema.load(data)
    except ma.ValidationError as error:
        errors = field_errors(error.messages)
        raise InvalidInput("; ".join(f"{e['field']}: {e['detail']}" for e in errors),
                           errors=errors) from error


def place_refusal(form: FlaskForm, error: PathwayError, rename: dict | None = None) -> bool:
    """Put each part of an operation's refusal next to the field it names (`errors[].field`,
    or a detail starting with 'field: '; `rename` maps the API's names to the form's).
    Returns whether any part found its field (if not, the caller shows it as a message)."""
    rename = rename or {}
    items = error.errors or []
    if not items:
        name, _, rest = error.detail.partition(": ")
        items = [{"field": name, "detail": rest}] if rest else []
    placed = False
    for item in items:
        name = rename.get(item.get("field"), item.get("field"))
        if name in form:
            field = form[name]
            field.errors = [*field.errors, _plain(item["detail"])]
            placed = True
    return placed


def _plain(detail: str) -> str:
    for pattern, words in PLAIN_WORDS:
        if re.fullmatch(pattern, detail):
            detail = re.sub(pattern, words, detail)
            break
    return detail[:1].upper() + detail[1:]
