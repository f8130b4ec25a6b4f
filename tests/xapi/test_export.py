"""Bulk export for analytics: /xapi/extensions/export/statements.{ndjson,csv} and
`lms xapi export`, with the statement resource's filters."""

import csv
import io
import json

import pytest

VERB = "http://adlnet.gov/expapi/verbs/completed"


def statement(n: int, verb=VERB, who="ann"):
    return {"actor": {"mbox": f"mailto:{who}@pathway.test", "name": who.title()},
            "verb": {"id": verb, "display": {"en-GB": verb.rsplit("/", 1)[-1]}},
            "object": {"id": f"http://pathway.test/activities/{n}",
                       "definition": {"name": {"en-GB": f"Activity {n}"}}},
            "result": {"score": {"scaled": n / 10}, "duration": f"PT{n}M", "success": True}}


@pytest.fixture
def headers(lrs_headers):
    return lrs_headers("all")


@pytest.fixture
def stored(client, headers):
    batch = [statement(n) for n in range(1, 6)] + [
        statement(9, verb="http://adlnet.gov/expapi/verbs/attempted", who="bob")]
    response = client.post("/xapi/statements", json=batch, headers=headers)
    assert response.status_code == 200
    return response.get_json()


def test_ndjson_has_every_statement_oldest_first_exactly_as_stored(client, headers, stored):
    response = client.get("/xapi/extensions/export/statements.ndjson", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert [s["id"] for s in lines] == stored
    single = client.get("/xapi/statements", query_string={"statementId": stored[0]},
                        headers=headers).get_json()
    assert lines[0] == single


def test_csv_has_a_header_and_a_flat_row_per_statement(client, headers, stored):
    response = client.get("/xapi/extensions/export/statements.csv", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["id"] for row in rows] == stored
    first = rows[0]
    assert first["actor"] == "mbox:mailto:ann@pathway.test"
    assert first["verb"] == VERB
    assert first["object_name"] == "Activity 1"
    assert (first["score_scaled"], first["duration"], first["success"]) == ("0.1", "PT1M", "True")


def test_the_export_takes_the_statement_filters(client, headers, stored):
    response = client.get("/xapi/extensions/export/statements.ndjson", headers=headers,
                          query_string={"agent": json.dumps({"mbox": "mailto:bob@pathway.test"})})
    assert [json.loads(line)["id"] for line in response.get_data(as_text=True).splitlines()] \
        == stored[-1:]


def test_voided_statements_are_left_out(client, headers, stored):
    void = {"actor": {"mbox": "mailto:admin@pathway.test"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": stored[0]}}
    [void_id] = client.post("/xapi/statements", json=void, headers=headers).get_json()
    response = client.get("/xapi/extensions/export/statements.ndjson", headers=headers)
    ids = [json.loads(line)["id"] for line in response.get_data(as_text=True).splitlines()]
    assert ids == stored[1:] + [void_id]


@pytest.mark.parametrize(("path", "params", "status"), [
    ("/xapi/extensions/export/statements.xml", {}, 404),
    ("/xapi/extensions/export/statements.csv", {"limit": "5"}, 400),
    ("/xapi/extensions/export/statements.csv", {"registration": "nope"}, 400),
])
def test_bad_export_requests_are_refused(client, headers, path, params, status):
    assert client.get(path, headers=headers, query_string=params).status_code == status


def test_the_export_needs_read_credentials(client, lrs_headers, stored):
    writer = lrs_headers("statements/write")
    assert client.get("/xapi/extensions/export/statements.csv", headers=writer).status_code == 403
    assert client.get("/xapi/extensions/export/statements.csv").status_code in (400, 401)


def test_cli_export(runner, stored, tmp_path):
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["xapi", "export", "--as", "csv", "--verb", VERB,
                                 "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert [row["id"] for row in rows] == stored[:5]


def test_csv_cells_that_look_like_formulas_are_quoted(client, headers):
    sneaky = statement(1, who="ann")
    sneaky["actor"]["name"] = "=HYPERLINK(\"http://evil.example\")"
    client.post("/xapi/statements", json=sneaky, headers=headers)
    response = client.get("/xapi/extensions/export/statements.csv", headers=headers)
    [row] = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert row["actor_name"] == "'=HYPERLINK(\"http://evil.example\")"


def test_cli_export_refuses_an_agent_that_names_no_one(runner, stored):
    result = runner.invoke(args=["xapi", "export", "--agent", '{"name": "Ann"}'])
    assert result.exit_code != 0
    assert "would match every learner" in result.output
