"""RRN memberships and invoices through the pages: a person records their membership, a
manager their organisation's, an administrator confirms it (and the member price follows);
payers see their own invoices in pounds with VAT, administrators every one and record
payments, each refusal shown next to its field; nobody sees another payer's invoice."""

from datetime import timedelta

import pytest
from admin_pages_support import csrf_token, field_error, main_text, post_form, sign_in, text_of

from lms.enrolment.applications import Membership
from lms.enrolment.intakes import london_today
from lms.invoicing.models import Payment

pytest_plugins = ["enrolment_pages_fixtures"]

NEXT_YEAR = (london_today() + timedelta(days=365)).isoformat()


def record_membership(client, number="RRN-0042", expires_on=NEXT_YEAR, holder="me", **extra):
    return post_form(client, "/memberships", "/memberships",
                     {"number": number, "expires_on": expires_on, "holder": holder, **extra})


def test_a_learner_records_their_membership_and_an_administrator_confirms_it(
        client, db, world):
    sign_in(client, world.alex)
    response = record_membership(client)
    assert response.status_code == 302
    page = client.get("/memberships")
    assert ("Membership RRN-0042 of Alex Morgan recorded. It gives the member price once an "
            "administrator has confirmed it.") in text_of(page)
    assert "Alex Morgan RRN-0042" in main_text(page)
    assert "Waiting for confirmation" in main_text(page)
    assert "£1,990.00 + VAT" in main_text(client.get("/apply"))
    membership = db.session.execute(db.select(Membership)).scalar_one()
    sign_in(client, world.admin)
    confirmed = post_form(client, "/memberships", f"/memberships/{membership.id}/confirm", {})
    assert confirmed.status_code == 302
    assert client.get(f"/api/v1/memberships/{membership.id}").get_json()["confirmed"] is True
    sign_in(client, world.alex)
    assert "Confirmed" in main_text(client.get("/memberships"))
    page = main_text(client.get("/apply"))
    assert "£1,750.00 + VAT £350.00 = £2,100.00" in page
    assert "Your prices are the member prices" in page


def test_a_manager_records_their_organisations_membership(client, db, world):
    sign_in(client, world.manager)
    assert "Your organisation's (Riverside Care)" in main_text(client.get("/memberships"))
    assert "Elsewhere Homes" not in main_text(client.get("/memberships"))
    response = record_membership(client, holder="organisation:riverside")
    assert response.status_code == 302
    membership = db.session.execute(db.select(Membership)).scalar_one()
    assert membership.organisation_id == world.riverside.id and membership.user_id is None
    sign_in(client, world.other_manager)
    assert "RRN-0042" not in main_text(client.get("/memberships"))


def test_another_organisation_is_not_a_choice_for_a_manager(client, db, world):
    sign_in(client, world.manager)
    response = record_membership(client, holder="organisation:elsewhere")
    assert response.status_code == 422
    assert field_error(response, "holder") == "Not a valid choice."
    assert db.session.execute(db.select(Membership)).first() is None


def test_an_expired_membership_is_refused_next_to_the_date(client, db, world):
    sign_in(client, world.alex)
    yesterday = (london_today() - timedelta(days=1)).isoformat()
    response = record_membership(client, expires_on=yesterday)
    assert response.status_code == 422
    assert field_error(response, "expires_on") == (
        f"has passed ({yesterday}); record a current membership")
    assert db.session.execute(db.select(Membership)).first() is None


def test_an_administrator_records_a_persons_membership_by_email(client, db, world):
    sign_in(client, world.admin)
    response = record_membership(client, email=world.alex.email)
    assert response.status_code == 302
    membership = db.session.execute(db.select(Membership)).scalar_one()
    assert membership.user_id == world.alex.id
    unknown = record_membership(client, email="nobody@pathway.test")
    assert unknown.status_code == 422
    assert field_error(unknown, "email") == "no one has the e-mail address nobody@pathway.test"


def test_only_administrators_confirm(client, db, world):
    sign_in(client, world.manager)
    record_membership(client, holder="organisation:riverside")
    membership = db.session.execute(db.select(Membership)).scalar_one()
    assert "Confirm" not in main_text(client.get("/memberships"))
    token = csrf_token(client.get("/memberships").get_data(as_text=True))
    response = client.post(f"/memberships/{membership.id}/confirm",
                           data={"csrf_token": token})
    assert response.status_code == 403
    db.session.refresh(membership)
    assert membership.confirmed_at is None


# ---- invoices ------------------------------------------------------------------------------

@pytest.fixture
def invoices(world, accepted):
    """Riverside's cohort invoice (PW-000001) and Alex's own (PW-000002)."""
    accepted(world.manager, "cohort", world.staff[:2])
    accepted(world.alex)


def test_payers_see_their_own_invoices_in_pounds_with_vat(client, world, invoices):
    sign_in(client, world.manager)
    page = main_text(client.get("/invoices"))
    assert "PW-000001" in page and "PW-000002" not in page
    assert "Riverside Care" in page
    assert "£14,328.00 £11,940.00 + VAT £2,388.00 £0.00 Unpaid" in page
    sign_in(client, world.alex)
    page = main_text(client.get("/invoices"))
    assert "PW-000002" in page and "PW-000001" not in page
    assert "£2,388.00 £1,990.00 + VAT £398.00 £0.00 Unpaid" in page
    sign_in(client, world.staff[0])  # a learner of the cohort pays nothing
    assert "No invoices yet." in main_text(client.get("/invoices"))
    sign_in(client, world.admin)
    page = main_text(client.get("/invoices"))
    assert "PW-000001" in page and "PW-000002" in page
    assert "Download these invoices as CSV" in page


def test_another_payers_invoice_is_not_found(client, world, invoices):
    sign_in(client, world.other_manager)
    assert client.get("/invoices/1/payments").status_code == 404
    assert "No invoices yet." in main_text(client.get("/invoices"))
    sign_in(client, world.alex)
    assert client.get("/invoices/1/payments").status_code == 404
    assert client.get("/invoices/2/payments").status_code == 200


def test_the_invoice_page_links_the_pdf_and_shows_the_amounts(client, world, invoices):
    sign_in(client, world.manager)
    response = client.get("/invoices/1/payments")
    page = main_text(response)
    assert "Invoice PW-000001" in page
    assert "Net £11,940.00 VAT at 20% £2,388.00 Total with VAT £14,328.00" in page
    assert "No payments received yet." in page
    assert "Record a payment received" not in page  # administrators only
    html = response.get_data(as_text=True)
    assert 'href="/invoices/1.pdf"' in html and 'href="/invoices/1"' in html
    assert client.get("/invoices/1.pdf").mimetype == "application/pdf"


def test_an_administrator_records_a_payment(client, db, world, invoices):
    sign_in(client, world.admin)
    today = london_today().isoformat()
    response = post_form(client, "/invoices/1/payments", "/invoices/1/payments",
                         {"amount": "£10,000.00", "received_on": today,
                          "reference": "BACS 123"})
    assert response.status_code == 302
    page = client.get("/invoices/1/payments")
    assert ("Payment of £10,000.00 recorded against PW-000001: part paid, £4,328.00 still "
            "due.") in text_of(page)
    assert "£10,000.00 BACS 123" in main_text(page)
    api = client.get("/api/v1/invoices/1").get_json()
    assert (api["status"], api["amount_paid"]) == ("part-paid", "10000.00")
    filtered = main_text(client.get("/invoices?status=part-paid"))
    assert "PW-000001" in filtered and "PW-000002" not in filtered


@pytest.mark.parametrize("amount, received, field, message", [
    ("20000.00", None, "amount", "£20,000.00 is more than the £14,328.00 outstanding on this "
                                 "invoice (gross £14,328.00, paid £0.00)"),
    ("10.005", None, "amount", "must be in pounds and pence (at most 2 decimals)"),
    ("0", None, "amount", "must be more than zero"),
    ("ten pounds", None, "amount", "Enter an amount in pounds and pence, such as 1000.00."),
    ("10.00", 3, "received_on", "must not be in the future"),
])
def test_a_wrong_payment_is_refused_next_to_its_field(client, db, world, invoices, amount,
                                                      received, field, message):
    sign_in(client, world.admin)
    day = london_today() + timedelta(days=received or 0)
    response = post_form(client, "/invoices/1/payments", "/invoices/1/payments",
                         {"amount": amount, "received_on": day.isoformat()})
    assert response.status_code == 422
    assert field_error(response, field) == message
    assert db.session.execute(db.select(Payment)).first() is None


def test_only_administrators_record_payments(client, db, world, invoices):
    sign_in(client, world.manager)
    token = csrf_token(client.get("/invoices").get_data(as_text=True))
    response = client.post("/invoices/1/payments", data={
        "csrf_token": token, "amount": "100.00", "received_on": london_today().isoformat()})
    assert response.status_code == 403
    assert db.session.execute(db.select(Payment)).first() is None


def test_a_payment_without_its_csrf_token_is_refused(client, db, world, invoices):
    sign_in(client, world.admin)
    response = client.post("/invoices/1/payments", data={
        "amount": "100.00", "received_on": london_today().isoformat()})
    assert response.status_code == 400
    assert db.session.execute(db.select(Payment)).first() is None


def test_the_csv_link_downloads_the_invoices(client, world, invoices):
    sign_in(client, world.admin)
    html = client.get("/invoices?status=unpaid").get_data(as_text=True)
    assert 'href="/api/v1/invoices.csv?status=unpaid"' in html
    csv = client.get("/api/v1/invoices.csv?status=unpaid")
    assert csv.mimetype == "text/csv"
    assert csv.get_data(as_text=True).count("PW-00000") == 2
