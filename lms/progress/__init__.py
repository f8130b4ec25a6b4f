"""Progress: learning recorded as xAPI statements in the LRS (the source of truth), and the
projection made from them (activity status, hours, unit achievement, credits, pace), kept up
to date from the LRS's `statement_stored` signal and rebuildable with `lms progress rebuild`."""


def init_app(app):
    """Register the models, the projection's receiver, the API and `lms progress`."""
    from lms.extensions import api
    from lms.progress import cli, models, projection, views  # noqa: F401
    from xapi.signals import statement_stored

    statement_stored.connect(projection.on_statement_stored)  # a module function: once
    api.register_blueprint(views.blp)
    app.cli.add_command(cli.progress)
