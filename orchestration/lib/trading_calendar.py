"""Exchange trading days and session times.

The trading days are known up to a horizon only: exchanges publish next year's holidays late in
the year, and exchange-calendars records each year's once the package is updated (4.13.2 stops
Shanghai at 2026-12-31). Past the last known session a weekday may be a holiday, so every rule
that needs a session raises CalendarUnknownError there instead of guessing.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

import exchange_calendars
import pandas as pd

from orchestration import settings

SHANGHAI = ZoneInfo("Asia/Shanghai")
# XSHG also serves Shenzhen and Beijing (they share the SSE calendar), XHKG Hong Kong, XNYS the
# US exchanges (NASDAQ and NYSE share holidays).
A_SHARE, HONG_KONG, US = "XSHG", "XHKG", "XNYS"
FIRST_SESSION = date(2019, 1, 2)


class CalendarUnknownError(LookupError):
    """The day is past the last session the calendar knows: it may or may not be a session."""


@cache
def _calendar(name: str) -> exchange_calendars.ExchangeCalendar:
    return exchange_calendars.get_calendar(name)


def horizon(name: str, run_date: date) -> date:
    """The last day exchange-calendars is asked for: the end of the year after the run date, or
    the last day the package records holidays for, whichever comes first."""
    wanted = date(run_date.year + 1, 12, 31)
    recorded = type(_calendar(name)).bound_max()  # None: rule-based holidays (New York)
    return wanted if recorded is None else min(wanted, recorded.date())


@cache
def offline_sessions(name: str, run_date: date) -> tuple[date, ...]:
    """The sessions from FIRST_SESSION to the horizon, from the installed exchange-calendars."""
    end = horizon(name, run_date)
    calendar = exchange_calendars.get_calendar(name, start=FIRST_SESSION, end=end)
    return tuple(day.date() for day in calendar.sessions)


def landed_sessions(raw_zone, name: str) -> tuple[date, ...]:
    """The sessions of `name` in the landed raw/exchange_sessions; empty before it is landed."""
    path = raw_zone.path("exchange_sessions")
    if not path.exists():
        return ()
    frame = pd.read_parquet(path, filters=[("exchange", "==", name)])
    return tuple(sorted(pd.to_datetime(frame["session_date"]).dt.date))


def is_session(name: str, day: date, raw_zone) -> bool:
    """Whether `name` trades on `day`, by the calendar landed in `raw_zone` (the one the
    warehouse uses) or, before it is landed, what raw/exchange_sessions would land: the
    installed exchange-calendars up to the run date's horizon. Past the last known session the
    answer is unknown: it raises rather than assume a weekday trades."""
    known = landed_sessions(raw_zone, name) or offline_sessions(name, settings.run_date())
    if not known[0] <= day <= known[-1]:
        raise CalendarUnknownError(
            f"calendar unknown: {name} sessions are known from {known[0]} to {known[-1]}, not "
            f"{day}; land raw/exchange_sessions again (live mode reads akshare's "
            f"tool_trade_date_hist_sina) or upgrade exchange_calendars"
        )
    return day in set(known)


def session_close(name: str, session: date) -> datetime:
    return _calendar(name).session_close(pd.Timestamp(session)).to_pydatetime()


def next_session_open(name: str, session: date) -> datetime:
    calendar = _calendar(name)
    following = calendar.next_session(pd.Timestamp(session))
    return calendar.session_open(following).to_pydatetime()


def sessions_between(name: str, start: str, end: str) -> list[date]:
    return [day.date() for day in _calendar(name).sessions_in_range(start, end)]
