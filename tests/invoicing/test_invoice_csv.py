"""The invoices CSV for finance (administrators only), safe to open in a spreadsheet."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from lms.invoicing.payments import record_payment

pytest_plugins = ["invoice_fixtures"]


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("lms.invoicing.views.today_in_london", lambda: date(2024, 4, 2))


def _rows(response):
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_one_row_per_invoice_with_plain_amounts(client, auth, db, world, make_invoice):
    make_invoice("cohort")
    paid = make_invoice("individual")
    record_payment(paid, Decimal("2388.00"), date(2024, 3, 1))
    db.session.commit()
    response = client.get("/api/v1/invoices.csv", headers=auth(world.admin))
    assert "attachment" in response.headers["Content-Disposition"]
    assert _rows(response) == [
        ["number", "issued", "due", "payer", "net", "vat", "gross", "paid", "status",
         "overdue"],
        ["PW-000001", "2024-02-01", "2024-03-29", "Oak Care Ltd", "11940.00", "2388.00",
         "14328.00", "0.00", "unpaid", "yes"],
        ["PW-000002", "2024-02-01", "2024-03-29", "Alex Morgan", "1990.00", "398.00",
         "2388.00", "2388.00", "paid", "no"],
    ]


def test_the_csv_filters_like_the_list(client, auth, world, make_invoice):
    make_invoice("cohort")
    make_invoice("individual")
    rows = _rows(client.get("/api/v1/invoices.csv?status=paid", headers=auth(world.admin)))
    assert len(rows) == 1  # the header only
    rows = _rows(client.get("/api/v1/invoices.csv?overdue=true", headers=auth(world.admin)))
    assert [row[0] for row in rows[1:]] == ["PW-000001", "PW-000002"]


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
                                  "\tTab Ltd"])
def test_a_payer_name_that_looks_like_a_formula_is_quoted(client, auth, db, world,
                                                          make_invoice, name):
    invoice = make_invoice("cohort")
    invoice.payer_name = name
    db.session.commit()
    [_, row] = _rows(client.get("/api/v1/invoices.csv", headers=auth(world.admin)))
    assert row[3] == "'" + name


def test_only_administrators_export(client, auth, world, make_invoice):
    make_invoice("cohort")
    for user in (world.manager, world.individual, world.tutor, world.learner):
        response = client.get("/api/v1/invoices.csv", headers=auth(user))
        assert response.status_code == 403
        assert b"Oak Care" not in response.data
    assert client.get("/api/v1/invoices.csv").status_code == 401
