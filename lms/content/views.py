"""Content package routes.

API: `PUT /api/v1/activities/<slug>/package` (administrators upload a zip as
`multipart/form-data` with a `file` field) and `GET /api/v1/activities/<slug>/package` (the
current package's details). Files: `GET /content/packages/<folder>/<path>` serves a package's
files to signed-in users, on Pathway's own origin so the content can call the LRS.
"""

import mimetypes
import shutil
import tempfile

from flask import Blueprint as PageBlueprint
from flask import abort, request, send_from_directory
from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from lms.access import allow
from lms.api import takes_uploads
from lms.catalogue.operations import activity_by_slug
from lms.content import operations
from lms.content.safe_zip import FOLDER_NAME
from lms.content.schemas import PackageSchema
from lms.errors import InvalidInput

blp = Blueprint("content_packages", __name__, url_prefix="/api/v1",
                description="Content packages (xAPI; later SCORM and cmi5) of activities.")
bp = PageBlueprint("content", __name__)

UPLOAD_DOC = {"requestBody": {"required": True, "content": {"multipart/form-data": {
    "schema": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary",
                 "description": "The package: a zip with tincan.xml at its root."}}}}}}}

# Types that content packages hold and that not every system's mime.types knows.
WEB_TYPES = {
    ".html": "text/html", ".htm": "text/html", ".js": "text/javascript",
    ".mjs": "text/javascript", ".css": "text/css", ".json": "application/json",
    ".svg": "image/svg+xml", ".wasm": "application/wasm", ".woff": "font/woff",
    ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf", ".webp": "image/webp",
    ".vtt": "text/vtt", ".mp4": "video/mp4", ".webm": "video/webm", ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg", ".xml": "application/xml",
}


@blp.route("/activities/<slug>/package")
class ActivityPackage(MethodView):
    @allow("admin", "tutor")
    @blp.response(200, PackageSchema)
    def get(self, slug):
        """The activity's current content package: 404 when none is uploaded, 409 when the
        activity's type takes no packages."""
        return operations.package_of(activity_by_slug(slug))

    @allow("admin")
    @takes_uploads
    @blp.doc(**UPLOAD_DOC)
    @blp.response(201, PackageSchema)
    def put(self, slug):
        """Upload the activity's content package (a zip as the `file` field of a
        multipart/form-data body); it becomes the current one, earlier uploads are kept. A
        refused package (not a zip, unsafe entries, too large, no or bad tincan.xml) is 422
        naming the entry and the rule, and stores nothing; a type that takes no packages is
        409; a body over MAX_CONTENT_LENGTH is 413."""
        activity = activity_by_slug(slug)
        operations.check_takes_packages(activity)  # 409 before reading the upload
        upload = request.files.get("file")
        if upload is None:
            raise InvalidInput.field("file", "send the package zip as the 'file' field of a "
                                     "multipart/form-data body")
        with tempfile.TemporaryFile() as spooled:
            shutil.copyfileobj(upload.stream, spooled)
            package = operations.import_package(activity, spooled, uploaded_by=current_user)
        operations.commit_import(package)
        return package


@bp.get("/content/packages/<folder>/<path:path>")
@allow("signed-in")
def package_file(folder, path):
    """A file of an uploaded package, with its content type and `nosniff`; 404 for anything
    that is not a file of a known package (paths cannot leave the package's folder)."""
    if not FOLDER_NAME.match(folder) or operations.package_by_folder(folder) is None:
        abort(404)
    base = operations.packages_folder() / folder
    response = send_from_directory(base, path, mimetype=content_type(path), conditional=True,
                                   max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    # The launch file's address carries launch credentials: never pass it to other sites.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.cache_control.private = True
    return response


def content_type(path: str) -> str:
    """The content type a package file is served with (from its extension)."""
    suffix = "." + path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    return WEB_TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def init_app(app) -> None:
    """Register the package API and file routes."""
    from lms.extensions import api

    api.register_blueprint(blp)
    app.register_blueprint(bp)
