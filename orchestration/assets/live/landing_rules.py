"""What the live-only daily assets share: the partitions, and the rules for landing a day."""

from __future__ import annotations

from datetime import date, datetime

import dagster as dg

from orchestration.lib import trading_calendar
from orchestration.lib.trading_calendar import SHANGHAI

LIVE_GROUPS = ("live_a_share", "live_hong_kong", "live_us", "live_fx", "live_industry")


class StalePartitionError(RuntimeError):
    """The data fetched now would not be the data of the partition asked for."""


def partition_date(context: dg.AssetExecutionContext) -> date:
    return date.fromisoformat(context.partition_key)


def nothing_landed(reason: str, **metadata) -> dg.MaterializeResult:
    """A partition with nothing to land (a closed market): no file, no error, and it says why."""
    return dg.MaterializeResult(
        metadata={"dagster/row_count": 0, "landed": False, "reason": reason, **metadata}
    )


def ensure_quotes_are_of_session(calendar: str, session: date, now: datetime) -> None:
    """Spot quotes are a picture of `now`; they are session `session`'s closing picture only
    between that session's close and the next session's open. Refuse to stamp them otherwise."""
    close = trading_calendar.session_close(calendar, session)
    next_open = trading_calendar.next_session_open(calendar, session)
    if now < close:
        raise StalePartitionError(
            f"{calendar} session {session} closes at {close.astimezone(SHANGHAI)} (Shanghai); "
            f"quotes fetched now ({now.astimezone(SHANGHAI)}) would be intraday"
        )
    if now >= next_open:
        raise StalePartitionError(
            f"quotes fetched now ({now.astimezone(SHANGHAI)}) belong to a later {calendar} "
            f"session than {session}; spot quotes cannot be backfilled"
        )


def ensure_today_in_shanghai(day: date, now: datetime) -> None:
    """Current-state sources (a classification list) can only be landed on their own day."""
    today = now.astimezone(SHANGHAI).date()
    if day != today:
        raise StalePartitionError(
            f"partition {day} can only be landed on that day (Asia/Shanghai); today is {today}. "
            f"The source publishes only its current state."
        )
