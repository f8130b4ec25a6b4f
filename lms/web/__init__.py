"""Server-rendered pages: the home page, sign in and sign out. More pages land with their
features."""


def init_app(app):
    """Register the pages and the login redirect for anonymous visitors."""
    from lms.access import _LoginRedirect, login_redirect
    from lms.web import views
    from lms.web.format import london_time

    app.register_blueprint(views.bp)
    app.register_error_handler(_LoginRedirect, login_redirect)
    app.jinja_env.filters["london"] = london_time
