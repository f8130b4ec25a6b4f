"""People and access: users, roles, passwords, login sessions and personal API tokens."""


def init_app(app):
    """Register the people API and the login loaders."""
    from lms.extensions import api
    from lms.people import auth, views

    auth.init_app(app)
    api.register_blueprint(views.blp)
