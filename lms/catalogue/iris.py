"""The xAPI identifiers of the catalogue: every qualification, unit and activity has an IRI
under the site's base URL."""

from flask import current_app


def _base() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def qualification_iri(qualification) -> str:
    return f"{_base()}/qualifications/{qualification.slug}"


def unit_iri(unit) -> str:
    return f"{_base()}/units/{unit.slug}"


def activity_iri(activity) -> str:
    return f"{_base()}/activities/{activity.slug}"
