"""The enrolments as CSV for finance: one row per enrolment, with its invoice when the
enrolment came from an application that was invoiced (Seat -> Application -> Invoice)."""

import csv
import io
from collections.abc import Iterator

from lms.enrolment.applications import Seat
from lms.enrolment.models import Cohort, Enrolment, Intake, Organisation
from lms.extensions import db
from xapi.export import spreadsheet_safe

COLUMNS = ["learner", "email", "organisation", "intake", "start", "window_end", "status",
           "registration", "cohort", "invoice_number"]


def _rows():
    from lms.invoicing.models import Invoice
    from lms.people.models import User

    statement = (
        db.select(User.name, User.email, Organisation.name, Intake.name, Enrolment.start_date,
                  Enrolment.window_ends, Enrolment.status, Enrolment.registration,
                  Cohort.name, Invoice.number)
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.learner_id)
        .join(Intake, Intake.id == Enrolment.intake_id)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .outerjoin(Cohort, Cohort.id == Enrolment.cohort_id)
        .outerjoin(Seat, Seat.enrolment_id == Enrolment.id)
        .outerjoin(Invoice, Invoice.application_id == Seat.application_id)
        .order_by(Intake.start_date, Enrolment.id)
    )
    return db.session.execute(statement.execution_options(yield_per=500))


def enrolments_csv() -> Iterator[str]:
    """The CSV text, a chunk at a time (a header, then one line per enrolment)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in _rows():
        writer.writerow([spreadsheet_safe(v.isoformat() if hasattr(v, "isoformat") else v)
                         for v in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
