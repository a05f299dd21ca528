"""Header values: completion dates, contact details, and cell text cleaning."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.intake.contacts import parse_contact
from pipeline.intake.dates import parse_date
from pipeline.records.returns import CompletionDate
from pipeline.text import clean


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("25/02/2011", CompletionDate(2011, 2, 25)),
        ("February 2011", CompletionDate(2011, 2)),
        ("25 Feb 2011", CompletionDate(2011, 2, 25)),
        ("28 th February 2011", CompletionDate(2011, 2, 28)),
        ("17th February 2011", CompletionDate(2011, 2, 17)),
        ("Feb 2011", CompletionDate(2011, 2)),
        ("3 March 2011", CompletionDate(2011, 3, 3)),
        ("2011-02-25", CompletionDate(2011, 2, 25)),
        ("25.2.11", CompletionDate(2011, 2, 25)),
        (dt.datetime(2011, 2, 25), CompletionDate(2011, 2, 25)),
        (dt.date(2011, 2, 25), CompletionDate(2011, 2, 25)),
    ],
)
def test_dates_as_officers_write_them(typed, expected):
    assert parse_date(typed) == expected


@pytest.mark.parametrize("typed", ["soon", "31/02/2011", "Febtember 2011", "", 42])
def test_what_is_not_a_date(typed):
    assert parse_date(typed) is None


def test_month_only_dates_stay_month_only():
    assert str(parse_date("Feb 2011")) == "February 2011"
    assert str(parse_date("25/02/2011")) == "25 February 2011"


def test_contact_details_split_into_phones_and_emails():
    contact = parse_contact("01865 323605 (or 01865 337016 Tue & Wed) matt.bramall@oxfordshirepct.nhs.uk")
    assert contact.phones == ("01865 323605", "01865 337016")
    assert contact.emails == ("matt.bramall@oxfordshirepct.nhs.uk",)
    assert str(contact) == "01865 323605 (or 01865 337016 Tue & Wed) matt.bramall@oxfordshirepct.nhs.uk"

    two = parse_contact("01491 823612/01235 540324, emma.morris@southoxon.gov.uk")
    assert two.phones == ("01491 823612", "01235 540324")
    assert parse_contact("kate.hill@ocva.org.uk").phones == ()


def test_clean_decodes_excel_escapes_and_drops_what_xml_cannot_hold():
    text, dropped = clean("a_x000D_b")
    assert (text, dropped) == ("a\nb", 0)
    text, dropped = clean("bell\x07 and _x0001_ escape")
    assert (text, dropped) == ("bell and  escape", 2)
    assert clean("windows\r\nline") == ("windows\nline", 0)
    assert clean("keep _x005F_x0041_ literal") == ("keep _x0041_ literal", 0)
