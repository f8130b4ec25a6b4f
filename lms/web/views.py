"""The home page, sign in and out, the account page (password change) and messages."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from lms.access import allow
from lms.catalogue.models import Qualification
from lms.errors import InvalidInput
from lms.extensions import db
from lms.people.operations import authenticate, set_password
from lms.people.passwords import verify_password
from lms.web.forms import ActionForm, LoginForm, LogoutForm, PasswordChangeForm

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/web")


def _safe_next(target: str | None) -> str:
    """Only local paths, so the login page cannot send anyone to another site."""
    if not target:
        return url_for("web.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("web.index")
    return target


@bp.app_context_processor
def _layout():
    from lms.web.navigation import nav_items

    return {"logout_form": LogoutForm(), "nav_items": nav_items}


@bp.get("/")
@allow("anyone")
def index():
    """The course(s) on offer, and the visitor's own place if signed in."""
    qualifications = db.session.execute(
        db.select(Qualification).order_by(Qualification.title)).scalars().all()
    return render_template("index.html", qualifications=qualifications)


@bp.route("/login", methods=["GET", "POST"])
@allow("anyone")
def login():
    """Sign in with e-mail and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            db.session.commit()
            flash(f"Signed in as {user.name}.", "success")
            return redirect(_safe_next(request.args.get("next")))
        db.session.commit()
        flash("That e-mail address and password do not match an account.", "error")
        return render_template("login.html", form=form), 401
    status = 422 if form.errors else 200
    return render_template("login.html", form=form), status


@bp.post("/logout")
@allow("anyone")
def logout():
    """Sign out."""
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        flash("You have signed out.", "success")
    return redirect(url_for("web.index"))


@bp.route("/account", methods=["GET", "POST"])
@allow("signed-in")
def account():
    """The signed-in person's account, and changing their password."""
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if not verify_password(user.password_hash, form.current.data):
            form.current.errors.append("That is not your current password.")
            status = 422
        else:
            try:
                set_password(user, form.new.data)
            except InvalidInput as error:
                form.new.errors.append(error.detail.split(": ", 1)[-1])
                status = 422
            else:
                db.session.commit()
                flash("Your password is changed.", "success")
                return redirect(url_for("web.account"))
    elif form.errors:
        status = 422
    return render_template("account.html", user=current_user, form=form), status


@bp.get("/messages")
@allow("signed-in")
def notifications():
    """The signed-in person's messages, newest first (the last 100)."""
    from lms.notifications.models import Notification
    from lms.notifications.operations import notifications_of

    messages = db.session.execute(notifications_of(current_user).order_by(
        Notification.id.desc()).limit(100)).scalars().all()
    return render_template("messages.html", messages=messages, form=ActionForm())


@bp.post("/messages/<int:notification_id>/read")
@allow("signed-in")
def notification_read(notification_id):
    """Mark one message read."""
    from lms.notifications.operations import mark_read, notification_for

    if ActionForm().validate_on_submit():
        mark_read(notification_for(current_user, notification_id))
        db.session.commit()
    return redirect(url_for("web.notifications") + f"#message-{notification_id}")
