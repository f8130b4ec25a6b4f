"""Invoice numbers run 1, 2, 3 ... with no gaps and no repeats, also when many invoices are
issued at once (each in its own session, as web workers do) and when one is rolled back."""

import threading
from datetime import date

from sqlalchemy import func, select

from lms.invoicing.models import Invoice, InvoiceCounter
from lms.invoicing.operations import invoice_reference, issue_invoice

pytest_plugins = ["invoice_fixtures"]

THREADS = 8
EACH = 4


def _issue_at_once(app, db, application_ids, threads=THREADS):
    """Issue the invoices of `application_ids` from `threads` threads started together, each
    with its own app context (so its own session and connection); returns the errors."""
    from lms.enrolment.applications import Application

    start = threading.Barrier(threads)
    errors = []
    shares = [application_ids[i::threads] for i in range(threads)]

    def work(ids):
        try:
            with app.app_context():
                start.wait()
                for application_id in ids:
                    issue_invoice(db.session.get(Application, application_id), date(2024, 2, 1))
                    db.session.commit()
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(share,)) for share in shares]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    return errors


def _numbers(db):
    db.session.rollback()
    return db.session.execute(select(Invoice.number).order_by(Invoice.number)).scalars().all()


def test_numbers_start_at_one_and_print_with_six_digits(db, make_invoice):
    first, second = make_invoice(), make_invoice("cohort")
    assert (first.number, second.number) == (1, 2)
    assert invoice_reference(first) == "PW-000001"


def test_concurrent_invoices_take_numbers_one_to_n_exactly(app, db, make_application):
    """Even the very first invoices, which also create the counter, race here."""
    ids = [make_application("cohort" if i % 2 else "individual").id
           for i in range(THREADS * EACH)]
    assert db.session.get(InvoiceCounter, "invoices") is None
    errors = _issue_at_once(app, db, ids)
    assert errors == []
    assert _numbers(db) == list(range(1, THREADS * EACH + 1))
    assert db.session.get(InvoiceCounter, "invoices").next_number == THREADS * EACH + 1


def test_a_rolled_back_invoice_gives_its_number_back(db, make_application, make_invoice):
    make_invoice()
    abandoned = make_application()
    invoice = issue_invoice(abandoned, date(2024, 2, 1))
    assert invoice.number == 2
    db.session.rollback()
    assert db.session.execute(select(func.count(Invoice.id))).scalar_one() == 1
    assert make_invoice("cohort").number == 2
    assert _numbers(db) == [1, 2]


def test_rollbacks_among_concurrent_invoices_leave_no_gaps(app, db, make_application):
    """Half the threads roll their invoice back: the others' numbers still run 1..N."""
    from lms.enrolment.applications import Application

    kept = [make_application().id for _ in range(6)]
    dropped = [make_application().id for _ in range(6)]
    start = threading.Barrier(12)
    errors = []

    def work(application_id, keep):
        try:
            with app.app_context():
                start.wait()
                issue_invoice(db.session.get(Application, application_id), date(2024, 2, 1))
                if keep:
                    db.session.commit()
                else:
                    db.session.rollback()
                db.session.remove()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(i, i in kept)) for i in kept + dropped]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert errors == []
    assert _numbers(db) == list(range(1, 7))


def test_issuing_twice_returns_the_same_invoice(db, make_application):
    application = make_application()
    first = issue_invoice(application, date(2024, 2, 1))
    db.session.commit()
    assert issue_invoice(application, date(2024, 2, 2)) is first
    db.session.commit()
    assert _numbers(db) == [1]
