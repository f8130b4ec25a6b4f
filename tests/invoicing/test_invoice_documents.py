"""Invoices through the API, as a page and as a PDF, and who may see which."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from lms.invoicing import operations

pytest_plugins = ["invoice_fixtures"]


@pytest.fixture
def today(monkeypatch):
    """Fix London's date: 1 March 2024, before the due date (29 March 2024)."""
    holder = {"today": date(2024, 3, 1)}
    monkeypatch.setattr(operations, "today_in_london", lambda: holder["today"])
    for module in ("lms.invoicing.views", "lms.invoicing.payments"):
        monkeypatch.setattr(f"{module}.today_in_london", lambda: holder["today"])
    return holder


@pytest.fixture
def invoices(world, make_invoice, today):
    """Oak Care's cohort (non-member), Elm House's cohort (member) and Alex's own."""
    return {"care": make_invoice("cohort", organisation=world.care),
            "other": make_invoice("cohort", organisation=world.other,
                                  applicant=world.other_manager, member=True),
            "alex": make_invoice("individual")}


def _numbers(response):
    assert response.status_code == 200, response.get_json()
    return [item["number"] for item in response.get_json()["items"]]


def test_an_invoice_as_json_has_exact_amounts_as_strings(client, auth, world, invoices):
    body = client.get("/api/v1/invoices/1", headers=auth(world.admin)).get_json()
    assert body["reference"] == "PW-000001"
    assert body["payer"] == {"name": "Oak Care Ltd", "organisation": world.care.id,
                             "user": None}
    assert (body["net_amount"], body["vat_amount"], body["gross_amount"]) == (
        "11940.00", "2388.00", "14328.00")
    assert (body["amount_paid"], body["amount_due"], body["status"]) == (
        "0.00", "14328.00", "unpaid")
    assert body["vat_rate"] == "0.2000"
    assert (body["issued_on"], body["due_on"], body["overdue"]) == (
        "2024-02-01", "2024-03-29", False)
    assert body["lines"][0]["net"] == "11940.00"
    assert "cohort of six" in body["lines"][0]["description"]
    assert body["links"]["pdf"].endswith("/invoices/1.pdf")
    member = client.get("/api/v1/invoices/2", headers=auth(world.admin)).get_json()
    assert (member["net_amount"], member["vat_amount"], member["gross_amount"]) == (
        "10500.00", "2100.00", "12600.00")


def test_who_sees_which_invoices(client, auth, world, invoices):
    assert _numbers(client.get("/api/v1/invoices", headers=auth(world.admin))) == [1, 2, 3]
    assert _numbers(client.get("/api/v1/invoices", headers=auth(world.manager))) == [1]
    assert _numbers(client.get("/api/v1/invoices", headers=auth(world.other_manager))) == [2]
    assert _numbers(client.get("/api/v1/invoices", headers=auth(world.individual))) == [3]
    # A learner of Oak Care's cohort and a tutor see none.
    assert _numbers(client.get("/api/v1/invoices", headers=auth(world.learner))) == []
    assert _numbers(client.get("/api/v1/invoices", headers=auth(world.tutor))) == []


@pytest.mark.parametrize("path", ["/api/v1/invoices/{n}", "/api/v1/invoices/{n}/payments",
                                  "/invoices/{n}", "/invoices/{n}.pdf"])
def test_another_payers_invoice_is_404_everywhere(client, auth, world, invoices, path):
    cases = [(world.manager, 2), (world.manager, 3), (world.other_manager, 1),
             (world.individual, 1), (world.learner, 1), (world.tutor, 3)]
    for user, number in cases:
        response = client.get(path.format(n=number), headers=auth(user))
        assert response.status_code == 404, (user.name, number)
        assert b"14328" not in response.data and b"14,328" not in response.data
    assert client.get(path.format(n=1), headers=auth(world.manager)).status_code == 200
    assert client.get(path.format(n=3), headers=auth(world.individual)).status_code == 200


def test_without_signing_in_the_api_is_401_and_the_page_asks_to_sign_in(client, invoices):
    assert client.get("/api/v1/invoices").status_code == 401
    assert client.get("/api/v1/invoices/1").status_code == 401
    for path in ("/invoices/1", "/invoices/1.pdf"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_list_filters_by_status_and_overdue(client, auth, db, world, invoices, today):
    admin = auth(world.admin)
    invoices["alex"].status, invoices["alex"].amount_paid = "paid", invoices["alex"].gross_amount
    db.session.commit()
    assert _numbers(client.get("/api/v1/invoices?status=paid", headers=admin)) == [3]
    assert _numbers(client.get("/api/v1/invoices?status=unpaid", headers=admin)) == [1, 2]
    assert _numbers(client.get("/api/v1/invoices?overdue=true", headers=admin)) == []
    today["today"] = date(2024, 3, 30)  # the day after the due date
    assert _numbers(client.get("/api/v1/invoices?overdue=true", headers=admin)) == [1, 2]
    assert _numbers(client.get("/api/v1/invoices?overdue=false", headers=admin)) == [3]
    today["today"] = date(2024, 3, 29)  # the due date itself: not overdue yet
    assert _numbers(client.get("/api/v1/invoices?overdue=true", headers=admin)) == []


def test_a_wrong_filter_is_422_naming_it(client, auth, world, invoices):
    response = client.get("/api/v1/invoices?status=settled", headers=auth(world.admin))
    assert response.status_code == 422
    assert [e["field"] for e in response.get_json()["errors"]] == ["query.status"]


def test_the_list_is_paginated(client, auth, world, invoices):
    admin = auth(world.admin)
    first = client.get("/api/v1/invoices?limit=2", headers=admin)
    assert _numbers(first) == [1, 2]
    assert 'rel="next"' in first.headers["Link"]
    cursor = first.get_json()["next_cursor"]
    second = client.get(f"/api/v1/invoices?limit=2&cursor={cursor}", headers=admin)
    assert _numbers(second) == [3] and second.get_json()["next_cursor"] is None


def test_the_invoice_page(client, auth, world, invoices):
    response = client.get("/invoices/1", headers=auth(world.manager))
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    for text in ("Invoice PW-000001", "Pathway", "1 Example Street", "GB 000 0000 00",
                 "Oak Care Ltd", "Thursday 1 February 2024", "Friday 29 March 2024",
                 "£11,940.00", "VAT at 20%", "£2,388.00", "£14,328.00", "Unpaid",
                 "@media print", "/invoices/1.pdf"):
        assert text in page, text


def test_the_seller_comes_from_the_configuration(app, client, auth, world, invoices):
    app.config["INVOICE_SELLER"] = {"name": "Calm Learning CIC", "address": ["2 High St"],
                                    "vat_number": "GB 123 4567 89"}
    page = client.get("/invoices/3", headers=auth(world.individual)).get_data(as_text=True)
    assert "Calm Learning CIC" in page and "2 High St" in page and "GB 123 4567 89" in page


def test_the_pdf_has_the_same_content(client, auth, world, invoices):
    response = client.get("/invoices/3.pdf", headers=auth(world.individual))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "PW-000003.pdf" in response.headers["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("Invoice PW-000003", "Pathway", "1 Example Street", "Alex Morgan",
                     "Thursday 1 February 2024", "Friday 29 March 2024", "£1,990.00",
                     "VAT at 20%: £398.00", "Total (gross): £2,388.00", "Paid: £0.00",
                     "Amount due: £2,388.00", "Status: Unpaid"):
        assert expected in text, expected


def test_the_pdf_draws_names_outside_latin_1(client, auth, db, world, invoices):
    invoices["alex"].payer_name = "Łucja Ōtani"
    db.session.commit()
    response = client.get("/invoices/3.pdf", headers=auth(world.individual))
    assert response.status_code == 200
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "ucja Otani" in text
