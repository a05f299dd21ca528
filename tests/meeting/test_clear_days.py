"""Clear days (pipeline/meeting/clear_days.py): weekends and the bank holidays of England and Wales never count."""

from __future__ import annotations

import datetime as dt

from pipeline.meeting.clear_days import clear_days, latest_publication, notice

D = dt.date


def test_five_clear_days_before_a_thursday_meeting_means_publishing_the_wednesday_before():
    assert latest_publication(D(2011, 3, 17)) == D(2011, 3, 9)
    assert clear_days(D(2011, 3, 9), D(2011, 3, 17)) == [D(2011, 3, n) for n in (10, 11, 14, 15, 16)]
    assert not notice(D(2011, 3, 9), D(2011, 3, 17)).short
    assert notice(D(2011, 3, 10), D(2011, 3, 17)).short


def test_wales_three_clear_days_and_a_working_day_to_publish_on():
    assert latest_publication(D(2011, 3, 17), clear=3) == D(2011, 3, 11)  # Friday: Sunday 13th would do, but is no working day


def test_bank_holidays_do_not_count_even_one_proclaimed_that_year():
    # A meeting on Tuesday 3 May 2011: May Day (2 May), the royal wedding (29 April, a bank
    # holiday proclaimed that year), Easter Monday (25 April) and Good Friday (22 April) are not clear days.
    assert clear_days(D(2011, 4, 20), D(2011, 5, 3)) == [D(2011, 4, 21), D(2011, 4, 26), D(2011, 4, 27), D(2011, 4, 28)]
    assert latest_publication(D(2011, 5, 3)) == D(2011, 4, 19)


def test_christmas_and_new_year_across_the_years():
    # Tuesday 5 January 2027: 1 January, 28 December (Boxing Day's substitute) and Christmas Day off.
    assert clear_days(D(2026, 12, 23), D(2027, 1, 5)) == [D(2026, 12, 24), D(2026, 12, 29), D(2026, 12, 30),
                                                         D(2026, 12, 31), D(2027, 1, 4)]
    assert latest_publication(D(2027, 1, 5)) == D(2026, 12, 23)
