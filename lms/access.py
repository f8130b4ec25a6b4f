"""Who may call a route. Every view is decorated with `allow(...)`; a test walks the URL map
and fails for any view that does not say.

`allow("anyone")`, `allow("signed-in")`, or one or more roles: `allow("tutor", "admin")`.
Object-level rules (a learner reads only their own records) are checked in the view or
operation, on top of this.
"""

import functools

from flask import g, redirect, request, url_for
from flask_login import current_user

from lms.errors import Forbidden, Unauthorized

ROLES = ("learner", "tutor", "admin", "org_manager", "verifier")
AUDIENCES = ("anyone", "signed-in", *ROLES)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def allow(*who: str):
    """Declare, and enforce, who may call the decorated view (or MethodView method)."""
    unknown = set(who) - set(AUDIENCES)
    if not who or unknown:
        raise ValueError(f"allow() takes some of {AUDIENCES}, not {sorted(unknown) or '()'}")

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if "anyone" not in who:
                _check(who)
            return view(*args, **kwargs)

        wrapper.access = who
        return wrapper

    return decorator


def _check(who: tuple[str, ...]) -> None:
    from lms.errors import wants_json

    api = request.path.startswith("/api/")
    if not current_user.is_authenticated:
        if not wants_json():
            raise _LoginRedirect()
        reason = g.get("auth_error") or (
            "Sign in, or send a personal API token as 'Authorization: Bearer <token>'."
        )
        raise Unauthorized(reason, headers={"WWW-Authenticate": 'Bearer realm="pathway"'})
    if api and request.method in UNSAFE_METHODS and g.get("auth_method") != "token":
        # A browser session calling the API: the same CSRF check as the forms.
        from lms.extensions import csrf

        csrf.protect()
    roles = set(who) - {"signed-in"}
    if roles and not roles & current_user.role_names:
        raise Forbidden(f"This needs one of the roles: {', '.join(sorted(roles))}.")


class _LoginRedirect(Exception):
    """Raised for a page that needs a signed-in user; answered with a redirect to login."""


def login_redirect(_error):
    """Send an anonymous visitor of a page to the login page, then back."""
    return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
