"""Helpers of the enrolment-changes tests (plain functions; the fixtures are in
changes_fixtures)."""


def problem(response, status: int) -> dict:
    """The problem+json body of a refusal with `status`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.json


def fields(body: dict) -> set[str]:
    """The fields a 422 names (without the `json.` location)."""
    return {e["field"].removeprefix("json.") for e in body.get("errors", [])}
