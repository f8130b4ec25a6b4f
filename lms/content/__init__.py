"""Content: files served to learners (readings, films) and uploaded content packages
(xAPI packages now; SCORM and cmi5 later), imported safely (`lms.content.safe_zip`)."""


def init_app(app):
    """Register the models, the package API and file routes, and `lms content`."""
    from lms.content import models, views  # noqa: F401 (models: registers the table)
    from lms.content.cli import content_group

    views.init_app(app)
    app.cli.add_command(content_group)
