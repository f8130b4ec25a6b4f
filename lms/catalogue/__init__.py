"""The catalogue: qualifications, their units, assessment criteria and activities, loaded
from catalogue files (see `lms.catalogue.fileformat`)."""

from pathlib import Path

DEFAULT_CATALOGUE = Path(__file__).parent / "data" / "diploma.yaml"
# Files (readings, films) the default catalogue's activities name in their `source`.
DEFAULT_CONTENT = Path(__file__).parent / "data" / "content"


def init_app(app):
    """Register the catalogue API."""
    from lms.catalogue import views
    from lms.extensions import api

    api.register_blueprint(views.blp)
