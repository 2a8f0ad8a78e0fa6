"""What the live-only daily assets share: the partitions, and the rules for landing a day.

Their partitions are months (orchestration/partitions.py), their files days: a live run of month
M lands today's day, the only day a live source can speak for, as `<YYYY-MM-DD>.parquet`.
"""

from __future__ import annotations

from datetime import date, datetime

import dagster as dg

from orchestration.lib import trading_calendar
from orchestration.lib.trading_calendar import SHANGHAI
from orchestration.partitions import month_of, trade_dates

# The metadata key of the day a live run landed (the file's name); see with_landed_day.
LANDED_DAY = "landed_day"
LIVE_GROUPS = ("live_a_share", "live_hong_kong", "live_us", "live_fx", "live_industry")


class StalePartitionError(RuntimeError):
    """The data fetched now would not be the data of the partition asked for."""


def live_day(context: dg.AssetExecutionContext, now: datetime) -> date:
    """Today in Shanghai, the day a live run lands, if the run is over the one month holding it.

    A single-run backfill (the A-share asset's policy, for snapshot mode) hands the asset a range;
    a live source only knows now, so a range of more than one partition is refused, and so is a
    month that does not hold today: nothing is fetched, no file is written."""
    keys = context.partition_keys
    if len(keys) != 1:
        raise StalePartitionError(
            f"a live run lands today's data for one partition only, the month holding today; "
            f"this run asks for {len(keys)} partitions ({keys[0]}..{keys[-1]}): live data "
            f"cannot be backfilled"
        )
    today = now.astimezone(SHANGHAI).date()
    if keys[0] != month_of(today):
        first, last = trade_dates(dg.PartitionKeyRange(keys[0], keys[0]))
        raise StalePartitionError(
            f"partition {keys[0]} ({first}..{last}) does not hold today, {today} "
            f"(Asia/Shanghai): a live run can only land today's data; live data cannot be "
            f"backfilled"
        )
    return today


def nothing_landed(reason: str, **metadata) -> dg.MaterializeResult:
    """A partition with nothing to land (a closed market): no file, no error, and it says why."""
    return dg.MaterializeResult(
        metadata={"dagster/row_count": 0, "landed": False, "reason": reason, **metadata}
    )


def with_landed_day(result: dg.MaterializeResult, day: date) -> dg.MaterializeResult:
    """A live landing's result naming the day it landed (its file `<day>.parquet`, also when
    nothing landed): the sensor update_after_live_landing rebuilds that day's month."""
    return dg.MaterializeResult(metadata={**(result.metadata or {}), LANDED_DAY: day.isoformat()})


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
