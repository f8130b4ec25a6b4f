"""Forms of the pages (Flask-WTF: each carries a CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from lms.people.passwords import MIN_LENGTH


class LoginForm(FlaskForm):
    # No syntax check of the address: any account's address must be able to sign in (the API
    # accepts addresses, such as ones at .local or .test domains, that email-validator refuses).
    email = EmailField("E-mail address", validators=[
        DataRequired(message="Enter your e-mail address."), Length(max=254)])
    password = PasswordField("Password", validators=[
        DataRequired(message="Enter your password."), Length(max=1024)])


class LogoutForm(FlaskForm):
    """Signing out is a POST with a CSRF token, so no other site can sign a person out."""


class ActionForm(FlaskForm):
    """A button that changes something (mark read, book, cancel): only the CSRF token."""


class PasswordChangeForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired(), Length(max=1024)])
    new = PasswordField("New password", validators=[DataRequired(), Length(max=1024)],
                        description=f"At least {MIN_LENGTH} characters; a few unrelated words "
                                    "work well.")
    confirm = PasswordField("New password again", validators=[
        DataRequired(), EqualTo("new", message="The two new passwords differ.")])
