"""Prices and VAT, to the penny.

Prices are data (`data/prices.yaml`, loaded by `lms init`), each valid from a date until the
next of its kind; amounts are `Decimal`, never floats. VAT is the net times the rate, rounded
half up to the penny (HMRC allows rounding the VAT total of an invoice to the nearest penny).
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

from lms.catalogue.models import Qualification
from lms.enrolment.applications import Membership, Price
from lms.errors import Conflict
from lms.extensions import db

PENNY = Decimal("0.01")
VAT_RATE = Decimal("0.20")
DEFAULT_PRICES = Path(__file__).parent / "data" / "prices.yaml"


@dataclass(frozen=True)
class Amounts:
    """Net, VAT and gross of a sum, in GBP."""

    net: Decimal
    vat: Decimal
    gross: Decimal
    rate: Decimal


def with_vat(net: Decimal, rate: Decimal = VAT_RATE) -> Amounts:
    """The VAT on `net` (rounded half up to the penny) and the gross."""
    net = Decimal(net).quantize(PENNY, rounding=ROUND_HALF_UP)
    vat = (net * Decimal(rate)).quantize(PENNY, rounding=ROUND_HALF_UP)
    return Amounts(net, vat, net + vat, Decimal(rate))


def gbp(amount: Decimal) -> str:
    """An amount as people read it: £11,940.00."""
    return f"£{Decimal(amount).quantize(PENNY, rounding=ROUND_HALF_UP):,}"


def price_for(qualification_id: int, kind: str, member: bool, on: date) -> Price:
    """The price in force on `on` for one learner (`individual`) or a cohort, member or not;
    409 when there is none."""
    found = db.session.execute(
        db.select(Price).where(Price.qualification_id == qualification_id, Price.kind == kind,
                               Price.member.is_(member), Price.valid_from <= on)
        .order_by(Price.valid_from.desc()).limit(1)).scalar_one_or_none()
    if found is None:
        raise Conflict(f"There is no {'member' if member else 'non-member'} {kind} price for "
                       f"this qualification on {on.isoformat()}; an administrator must add one.")
    return found


def is_member(on: date, organisation_id: int | None = None, user_id: int | None = None) -> bool:
    """Whether the organisation (or person) holds an RRN membership confirmed by an
    administrator and not expired on `on`."""
    holder = Membership.organisation_id == organisation_id if organisation_id is not None \
        else Membership.user_id == user_id
    return db.session.execute(
        db.select(Membership.id).where(holder, Membership.confirmed_at.is_not(None),
                                       Membership.expires_on >= on).limit(1)).first() is not None


def load_prices(path: Path = DEFAULT_PRICES) -> int:
    """Add the prices of a prices file that are not there yet (never changes one); returns how
    many were added. Flushes; the caller commits."""
    document = yaml.safe_load(Path(path).read_text())
    qualification = db.session.execute(db.select(Qualification).where(
        Qualification.slug == document["qualification"])).scalar_one_or_none()
    if qualification is None:
        return 0
    added = 0
    for entry in document["prices"]:
        valid_from = entry["valid_from"]
        exists = db.session.execute(db.select(Price.id).where(
            Price.qualification_id == qualification.id, Price.kind == entry["kind"],
            Price.member.is_(bool(entry["member"])), Price.valid_from == valid_from)).first()
        if exists is None:
            db.session.add(Price(qualification_id=qualification.id, kind=entry["kind"],
                                 member=bool(entry["member"]), net_amount=Decimal(entry["net"]),
                                 valid_from=valid_from))
            added += 1
    db.session.flush()
    return added
