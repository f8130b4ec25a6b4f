"""The home page, sign in and sign out."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from lms.access import allow
from lms.catalogue.models import Qualification
from lms.extensions import db
from lms.people.operations import authenticate
from lms.web.forms import LoginForm, LogoutForm

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
def _layout_forms():
    return {"logout_form": LogoutForm()}


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


@bp.get("/account")
@allow("signed-in")
def account():
    """The signed-in person's account."""
    return render_template("account.html", user=current_user)
