"""How content packages appear in the JSON API."""

import marshmallow as ma

from lms.content.operations import launch_url


class PackageSchema(ma.Schema):
    id = ma.fields.Integer()
    activity = ma.fields.Function(lambda p: p.activity.slug,
                                  metadata={"description": "The activity's slug."})
    kind = ma.fields.String(metadata={"enum": ["xapi", "scorm12", "scorm2004", "cmi5"]})
    title = ma.fields.String(metadata={"description": "The title its manifest gives."})
    root_activity_id = ma.fields.String(
        metadata={"description": "The package's own xAPI activity id (from its manifest); "
                                 "statements about it count for the activity."})
    launch_path = ma.fields.String(metadata={"description": "The launch file, relative to "
                                                            "the package."})
    launch_url = ma.fields.Function(
        launch_url, metadata={"description": "Where the launch file is served (launching "
                                             "adds the learner's launch parameters)."})
    file_count = ma.fields.Integer()
    size = ma.fields.Integer(metadata={"description": "Uncompressed bytes."})
    manifest = ma.fields.Dict(metadata={"description": "The activities its manifest lists."})
    current = ma.fields.Boolean()
    uploaded_at = ma.fields.DateTime()
    uploaded_by = ma.fields.Function(
        lambda p: _public_id(p.uploaded_by_id), metadata={"description": "The uploader's "
                                                                           "user id."})


def _public_id(user_id):
    from lms.extensions import db
    from lms.people.models import User

    user = db.session.get(User, user_id) if user_id is not None else None
    return user.public_id if user else None
