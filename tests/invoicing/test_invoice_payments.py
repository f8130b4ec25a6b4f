"""Payments recorded by an administrator: unpaid, part paid, paid from their sum, never more
than the gross; every refusal names the field and stores nothing."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from lms.invoicing.models import Invoice, Payment

pytest_plugins = ["invoice_fixtures"]

TODAY = date(2024, 3, 10)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("lms.invoicing.payments.today_in_london", lambda: TODAY)
    monkeypatch.setattr("lms.invoicing.views.today_in_london", lambda: TODAY)


@pytest.fixture
def invoice(make_invoice):
    """Alex's own invoice: £1,990.00 + £398.00 VAT = £2,388.00."""
    return make_invoice("individual")


def _pay(client, headers, amount, received_on="2024-03-01", reference="BACS 1", number=1):
    return client.post(f"/api/v1/invoices/{number}/payments", headers=headers,
                       json={"amount": amount, "received_on": received_on,
                             "reference": reference})


def _fields(response) -> list[str]:
    """The fields a problem names, without the `json.` of the request body's fields."""
    return sorted(e["field"].removeprefix("json.") for e in response.get_json()["errors"])


def _count(db):
    db.session.rollback()
    return db.session.execute(select(func.count(Payment.id))).scalar_one()


def test_payments_take_an_invoice_from_unpaid_to_part_paid_to_paid(
        client, auth, db, world, invoice):
    admin = auth(world.admin)
    first = _pay(client, admin, "1000.00")
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["payment"]["amount"] == "1000.00"
    assert body["payment"]["recorded_by"] == "Priya Shah"
    assert (body["invoice"]["status"], body["invoice"]["amount_paid"],
            body["invoice"]["amount_due"]) == ("part-paid", "1000.00", "1388.00")
    second = _pay(client, admin, "1387.99", reference="BACS 2").get_json()["invoice"]
    assert (second["status"], second["amount_due"]) == ("part-paid", "0.01")
    last = _pay(client, admin, "0.01", reference="BACS 3").get_json()["invoice"]
    assert (last["status"], last["amount_paid"], last["amount_due"]) == (
        "paid", "2388.00", "0.00")
    listed = client.get("/api/v1/invoices/1/payments", headers=auth(world.individual))
    assert [p["amount"] for p in listed.get_json()] == ["1000.00", "1387.99", "0.01"]
    assert [p["reference"] for p in listed.get_json()] == ["BACS 1", "BACS 2", "BACS 3"]
    db.session.rollback()
    stored = db.session.get(Invoice, invoice.id)
    assert (stored.status, stored.amount_paid) == ("paid", Decimal("2388.00"))


def test_many_small_payments_add_up_exactly(client, auth, db, world, invoice):
    admin = auth(world.admin)
    for _ in range(10):
        assert _pay(client, admin, "0.10").status_code == 201
    body = client.get("/api/v1/invoices/1", headers=admin).get_json()
    assert (body["amount_paid"], body["amount_due"]) == ("1.00", "2387.00")


@pytest.mark.parametrize(("amount", "field", "words"), [
    ("2388.01", "amount", "more than the £2,388.00 outstanding"),
    ("0", "amount", ""),
    ("-5.00", "amount", ""),
    ("10.005", "amount", "at most 2 decimals"),
    ("ten pounds", "amount", ""),
    ("NaN", "amount", ""),
])
def test_a_wrong_amount_is_422_and_stores_nothing(client, auth, db, world, invoice, amount,
                                                   field, words):
    response = _pay(client, auth(world.admin), amount)
    assert response.status_code == 422, response.get_json()
    assert _fields(response) == [field]
    assert words in response.get_json()["detail"]
    assert _count(db) == 0
    assert db.session.get(Invoice, invoice.id).status == "unpaid"


def test_a_payment_past_the_gross_after_others_is_422(client, auth, db, world, invoice):
    admin = auth(world.admin)
    assert _pay(client, admin, "2000.00").status_code == 201
    response = _pay(client, admin, "388.01")
    assert response.status_code == 422
    assert "£388.00 outstanding" in response.get_json()["detail"]
    assert _count(db) == 1
    assert _pay(client, admin, "388.00").status_code == 201
    paid = _pay(client, admin, "0.01")  # nothing left to pay
    assert paid.status_code == 422 and _count(db) == 2


def test_bad_dates_and_missing_fields_are_422_naming_them(client, auth, db, world, invoice):
    admin = auth(world.admin)
    future = _pay(client, admin, "10.00", received_on="2024-03-11")
    assert future.status_code == 422
    assert _fields(future) == ["received_on"]
    missing = client.post("/api/v1/invoices/1/payments", headers=admin, json={})
    assert missing.status_code == 422
    assert _fields(missing) == ["amount", "received_on"]
    long_reference = _pay(client, admin, "10.00", reference="x" * 101)
    assert _fields(long_reference) == ["reference"]
    assert _count(db) == 0


def test_only_administrators_record_payments(client, auth, db, world, make_invoice, invoice):
    make_invoice("cohort")
    for user, number in ((world.individual, 1), (world.manager, 2), (world.tutor, 1)):
        response = _pay(client, auth(user), "10.00", number=number)
        assert response.status_code == 403, user.name
    assert _pay(client, auth(world.admin), "10.00", number=99).status_code == 404
    assert _count(db) == 0


def test_payments_recorded_at_once_never_pass_the_gross(app, client, auth, db, world, invoice):
    """Six administrators record £500 at once against £2,388: four are taken, the others
    refused, and the invoice adds up."""
    headers = [auth(world.admin) for _ in range(6)]
    start = threading.Barrier(6)
    answers = []

    def pay(header):
        with app.app_context():  # the client ends a session of its own after each request
            start.wait()
            answers.append(_pay(client, header, "500.00").status_code)

    workers = [threading.Thread(target=pay, args=(h,)) for h in headers]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sorted(answers) == [201] * 4 + [422] * 2
    assert _count(db) == 4
    stored = db.session.get(Invoice, invoice.id)
    assert (stored.amount_paid, stored.status) == (Decimal("2000.00"), "part-paid")
