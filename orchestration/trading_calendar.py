"""Exchange trading days and session times, from the `exchange_calendars` package."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import exchange_calendars
import pandas as pd

SHANGHAI = ZoneInfo("Asia/Shanghai")
# XSHG also serves Shenzhen and Beijing (they share the SSE calendar), XHKG Hong Kong, XNYS the
# US exchanges (NASDAQ and NYSE share holidays).
A_SHARE, HONG_KONG, US = "XSHG", "XHKG", "XNYS"


class CalendarRangeError(LookupError):
    """The date is outside the years the installed exchange_calendars covers."""


@cache
def _calendar(name: str) -> exchange_calendars.ExchangeCalendar:
    return exchange_calendars.get_calendar(name)


def is_session(name: str, day: date) -> bool:
    calendar = _calendar(name)
    if not calendar.first_session.date() <= day <= calendar.last_session.date():
        raise CalendarRangeError(
            f"calendar {name} covers {calendar.first_session.date()} to "
            f"{calendar.last_session.date()}, not {day}; upgrade exchange_calendars"
        )
    return calendar.is_session(pd.Timestamp(day))


def session_close(name: str, session: date) -> datetime:
    return _calendar(name).session_close(pd.Timestamp(session)).to_pydatetime()


def next_session_open(name: str, session: date) -> datetime:
    calendar = _calendar(name)
    following = calendar.next_session(pd.Timestamp(session))
    return calendar.session_open(following).to_pydatetime()


def sessions_between(name: str, start: str, end: str) -> list[date]:
    return [day.date() for day in _calendar(name).sessions_in_range(start, end)]
