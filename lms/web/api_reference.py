"""The API reference: the OpenAPI document rendered by Swagger UI, served from the
`swagger-ui-bundle` package (nothing from a CDN)."""

from flask import Blueprint, render_template
from swagger_ui_bundle import swagger_ui_path

from lms.access import allow

bp = Blueprint("api_reference", __name__, static_folder=swagger_ui_path,
               static_url_path="/api/reference/assets", template_folder="templates")


@bp.get("/api/reference")
@allow("anyone")
def page():
    """Every endpoint of the JSON API, with its schemas, to read and try."""
    return render_template("api_reference.html")
