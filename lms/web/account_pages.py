"""Personal API tokens, on the signed-in person's account: the list of their tokens (name,
created, expires, last used, state), making one (its secret shown once, on the answer to the
form) and revoking one, as `GET|POST /api/v1/tokens` and `DELETE /api/v1/tokens/<id>` do,
through the same operations (`lms.people.operations`)."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lms.access import allow
from lms.errors import PathwayError
from lms.extensions import db
from lms.people import operations
from lms.people.models import ApiToken
from lms.people.schemas import TokenCreateSchema
from lms.web.action_forms import TokenForm, checked, place_refusal
from lms.web.forms import ActionForm

bp = Blueprint("account_pages", __name__, template_folder="templates")

STATE_WORDS = {"active": "Active", "expired": "Expired", "revoked": "Revoked"}
STATE_CLASSES = {"active": "status-ok", "expired": "status-waitlisted",
                 "revoked": "status-cancelled"}


def _page(form: TokenForm, created: dict | None = None, status: int = 200):
    default_days = current_app.config["API_TOKEN_DEFAULT_DAYS"]
    max_days = current_app.config["API_TOKEN_MAX_DAYS"]
    form.days.description = f"Leave it empty for {default_days} days; at most {max_days}."
    tokens = db.session.execute(
        db.select(ApiToken).where(ApiToken.user_id == current_user.id)
        .order_by(ApiToken.id.desc())).scalars().all()
    response = current_app.make_response((render_template(
        "account/tokens.html", tokens=tokens, form=form, created=created,
        action_form=ActionForm(), state_words=STATE_WORDS, state_classes=STATE_CLASSES,
        max_days=max_days), status))
    if created:  # the only answer that holds the secret: no cache may keep it
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/tokens", methods=["GET", "POST"])
@allow("signed-in")
def tokens():
    """The caller's personal API tokens, and making a new one."""
    form = TokenForm()
    if request.method == "GET":
        return _page(form)
    if not form.validate_on_submit():
        return _page(form, status=422)
    values = {"name": form.name.data.strip()}
    if (form.days.data or "").strip():
        values["days"] = form.days.data.strip()
    try:
        data = checked(TokenCreateSchema(), values)
        token, secret = operations.create_token(current_user._get_current_object(),
                                                data["name"], data.get("days"))
    except PathwayError as error:
        db.session.rollback()
        if not place_refusal(form, error):
            flash(error.detail, "error")
        return _page(form, status=error.status)
    db.session.commit()
    flash(f"Token {token.name!r} made. Copy it now: it is not shown again.", "success")
    return _page(TokenForm(formdata=None),
                 created={"id": token.id, "name": token.name, "secret": secret})


@bp.post("/account/tokens/<int:token_id>/revoke")
@allow("signed-in")
def token_revoke(token_id):
    """Revoke one of the caller's tokens, at once."""
    if ActionForm().validate_on_submit():
        try:
            token = operations.token_of(current_user, token_id)
        except PathwayError as error:
            flash(error.detail, "error")
        else:
            operations.revoke_token(token)
            db.session.commit()
            flash(f"Token {token.name!r} is revoked: it no longer works.", "success")
    return redirect(url_for("account_pages.tokens") + "#tokens")
