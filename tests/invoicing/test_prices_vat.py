"""The price table with VAT (member and non-member, one learner and a cohort), VAT rounded
half up to the penny, and prices that change by date."""

from datetime import date
from decimal import Decimal

import pytest

from lms.enrolment.applications import Price
from lms.errors import Conflict
from lms.invoicing.prices import gbp, load_prices, price_for, with_vat

ON = date(2024, 2, 1)


@pytest.mark.parametrize(("kind", "member", "net", "vat", "gross"), [
    ("individual", True, "1750.00", "350.00", "2100.00"),
    ("individual", False, "1990.00", "398.00", "2388.00"),
    ("cohort", True, "10500.00", "2100.00", "12600.00"),
    ("cohort", False, "11940.00", "2388.00", "14328.00"),
])
def test_the_price_table_with_vat(db, catalogue, kind, member, net, vat, gross):
    load_prices()
    db.session.commit()
    price = price_for(catalogue.id, kind, member, ON)
    amounts = with_vat(price.net_amount)
    assert (amounts.net, amounts.vat, amounts.gross) == (Decimal(net), Decimal(vat),
                                                        Decimal(gross))
    assert amounts.rate == Decimal("0.20")
    assert amounts.net + amounts.vat == amounts.gross


def test_amounts_read_in_pounds():
    assert gbp(Decimal("14328")) == "£14,328.00"
    assert gbp(Decimal("0.5")) == "£0.50"


@pytest.mark.parametrize(("net", "vat", "gross"), [
    ("0.03", "0.01", "0.04"),      # 0.006 -> 0.01 (up)
    ("0.02", "0.00", "0.02"),      # 0.004 -> 0.00 (down)
    ("0.025", "0.01", "0.04"),     # net itself 0.025 -> 0.03 (half up, not to even)
    ("10.125", "2.03", "12.16"),   # net 10.13 (half up), VAT 2.026 -> 2.03
    ("1.05", "0.21", "1.26"),      # 0.21 exactly
    ("12.34", "2.47", "14.81"),    # 2.468 -> 2.47
    ("0.075", "0.02", "0.10"),     # net 0.08, VAT 0.016 -> 0.02
    ("333.33", "66.67", "400.00"),  # 66.666 -> 66.67
    ("1750", "350.00", "2100.00"),
])
def test_vat_is_rounded_half_up_to_the_penny(net, vat, gross):
    amounts = with_vat(Decimal(net))
    assert (amounts.vat, amounts.gross) == (Decimal(vat), Decimal(gross))
    assert amounts.vat.as_tuple().exponent == -2 and amounts.gross.as_tuple().exponent == -2


def test_a_vat_of_exactly_half_a_penny_rounds_up():
    # At 20% no net in pence gives VAT of exactly half a penny; at another rate it does.
    amounts = with_vat(Decimal("0.25"), Decimal("0.10"))  # 0.025 -> 0.03 half up (0.02 even)
    assert amounts.vat == Decimal("0.03")
    assert with_vat(Decimal("12.45"), Decimal("0.10")).vat == Decimal("1.25")  # 1.245 -> 1.25


def test_amounts_are_decimals_never_floats(db, catalogue):
    load_prices()
    db.session.commit()
    price = price_for(catalogue.id, "cohort", False, ON)
    assert isinstance(price.net_amount, Decimal)
    assert isinstance(with_vat(price.net_amount).gross, Decimal)


def test_a_new_price_applies_from_its_date_and_the_old_one_before(db, catalogue):
    load_prices()
    db.session.add(Price(qualification_id=catalogue.id, kind="individual", member=False,
                         net_amount=Decimal("2090.00"), valid_from=date(2025, 1, 1)))
    db.session.commit()
    before = price_for(catalogue.id, "individual", False, date(2024, 12, 31))
    on_the_day = price_for(catalogue.id, "individual", False, date(2025, 1, 1))
    after = price_for(catalogue.id, "individual", False, date(2025, 6, 30))
    assert before.net_amount == Decimal("1990.00")
    assert on_the_day.net_amount == after.net_amount == Decimal("2090.00")
    assert with_vat(on_the_day.net_amount).gross == Decimal("2508.00")
    # The other prices are not changed by it.
    assert price_for(catalogue.id, "individual", True, date(2025, 6, 30)).net_amount == \
        Decimal("1750.00")


def test_no_price_before_the_first_is_a_clear_409(db, catalogue):
    load_prices()
    db.session.commit()
    with pytest.raises(Conflict, match="no non-member cohort price .* on 2022-12-31"):
        price_for(catalogue.id, "cohort", False, date(2022, 12, 31))


def test_loading_the_prices_twice_adds_nothing(db, catalogue):
    assert load_prices() == 4
    db.session.commit()
    assert load_prices() == 0
    assert db.session.execute(db.select(db.func.count(Price.id))).scalar_one() == 4
