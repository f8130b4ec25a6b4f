"""LRS administration through Pathway's API: credentials for LRS clients and the state of
forwarding to upstream LRSs. The LRS itself is `xapi/`, mounted at /xapi/."""


def init_app(app):
    """Register the LRS administration API."""
    from lms.extensions import api
    from lms.lrs import views

    api.register_blueprint(views.blp)
