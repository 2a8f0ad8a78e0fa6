"""Whole-market quotes after the close, one file per trade date in month partitions.

Live mode (daily_live_update): one month partition per run, today's; the quotes of now stamped
with the session they close, landed as today's file. Snapshot mode: the A-share quotes only
(PROVENANCE.md §9), every day the run's months hold, through the same asset, partitions and
files (build_warehouse).
"""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import dagster as dg
import pandas as pd

from orchestration.assets.landing import RAW_OWNERS, fetch_calls, land_frame
from orchestration.assets.live.landing_rules import (
    ensure_quotes_are_of_session,
    live_day,
    nothing_landed,
    with_landed_day,
)
from orchestration.lib import trading_calendar
from orchestration.partitions import MONTHLY, trade_dates
from orchestration.resources import AkshareSource, RawZone
from orchestration.sources import universe
from orchestration.sources.contracts import RawDataError

TRADE_DATE = "交易日"


@dataclass(frozen=True)
class SpotMarket:
    function: str
    calendar: str
    # The US session of Shanghai day D closes early on D+1 Shanghai time, so the file of D+1
    # holds it (its rows are stamped with the US date D).
    session_lag_days: int = 0
    keep_codes: tuple[str, ...] = field(default=())


def land_spot(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone, market: SpotMarket
) -> dg.MaterializeResult:
    day = live_day(context, akshare.now())
    session = day - timedelta(days=market.session_lag_days)
    if not trading_calendar.is_session(market.calendar, session, raw_zone):
        context.log.info(f"{session} is not a {market.calendar} trading day: nothing to land")
        reason = f"{session} is not a {market.calendar} trading day"
        return with_landed_day(nothing_landed(reason, session=str(session)), day)
    ensure_quotes_are_of_session(market.calendar, session, akshare.now())
    frame, load_metadata = fetch_calls(context, akshare, market.function, [{}])
    frame = _stamp(_keep(frame, market.keep_codes, context), session)
    landed = land_frame(raw_zone, market.function, frame, load_metadata, day.isoformat())
    return with_landed_day(landed, day)


def land_snapshot_days(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone, market: SpotMarket
) -> dg.MaterializeResult:
    """Snapshot mode: land one file per snapshot day in the run's months.

    build_warehouse runs over every month partition as one run (BackfillPolicy.single_run), so
    the asset gets the whole range at once and writes `<day>.parquet` for each day the
    snapshot has a file for, stamped 交易日 as a live landing would be. Days without a file
    (non-sessions, the sessions before and after the files, the two sessions the source lacks)
    land nothing, and the metadata says which sessions inside the files' span are missing.
    Every day is read and checked against the contract before any file is written, so a bad
    file fails the run naming it and leaves every day landed before untouched.
    """
    first, last = trade_dates(context.partition_key_range)
    lag = timedelta(days=market.session_lag_days)
    sessions = [
        day for day in akshare.snapshot_trade_dates(market.function) if first <= day + lag <= last
    ]
    if not sessions:
        reason = f"the snapshot has no {market.function} day in {first}..{last}"
        context.log.info(reason)
        return nothing_landed(reason, days=f"{first}..{last}")

    batches = []
    for session in sessions:
        if not trading_calendar.is_session(market.calendar, session, raw_zone):
            raise RawDataError(
                f"{market.function}: the snapshot has a file for {session}, which is not a "
                f"{market.calendar} session; quotes are the close of a session"
            )
        frame, load_metadata = fetch_calls(
            context, akshare, market.function, [{"trade_date": session.isoformat()}]
        )
        batches.append((session, _stamp(frame, session), load_metadata))

    for session, frame, load_metadata in batches:
        land_frame(raw_zone, market.function, frame, load_metadata, (session + lag).isoformat())

    # The sessions inside the files' span that have no file (PROVENANCE.md §9 names two).
    span = (sessions[0] + timedelta(days=n) for n in range((sessions[-1] - sessions[0]).days))
    missing = [
        str(day)
        for day in span
        if day not in set(sessions) and trading_calendar.is_session(market.calendar, day, raw_zone)
    ]
    if missing:
        context.log.warning(f"{market.function}: sessions without a snapshot file: {missing}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": sum(len(frame) for _, frame, _ in batches),
            "landed": True,
            "akshare_function": market.function,
            "source_mode": "snapshot",
            "days_landed": len(batches),
            "first_date": str(sessions[0]),
            "last_date": str(sessions[-1]),
            "sessions_without_file": dg.MetadataValue.text(json.dumps(missing)),
            "path": dg.MetadataValue.path(str(Path(raw_zone.root) / market.function)),
        }
    )


def _stamp(frame: pd.DataFrame, session: date) -> pd.DataFrame:
    # The quotes carry no date; they are the closing picture of the exchange's session.
    return frame.assign(**{TRADE_DATE: session})


def _keep(frame: pd.DataFrame, codes: tuple[str, ...], context) -> pd.DataFrame:
    if not codes:
        return frame
    missing = sorted(set(codes) - set(frame["代码"]))
    if missing:
        context.log.warning(f"tracked codes missing from the response: {missing}")
    return frame[frame["代码"].isin(codes)].reset_index(drop=True)


def _description(text: str) -> str:
    return text + " Live-only: the snapshot has no spot quotes."


@dg.asset(
    key=["raw", "stock_zh_a_spot_em"],
    group_name="live_a_share",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    partitions_def=MONTHLY,
    # One run over any range: build_warehouse lands every snapshot day in one run. In live mode
    # a range of more than one partition is refused (live_day); a job backfill of
    # daily_live_update still makes one run per month, the least of its assets' policies.
    backfill_policy=dg.BackfillPolicy.single_run(),
    description=(
        "Every A share (SH, SZ, BJ) after the close, as akshare `stock_zh_a_spot_em()` returns "
        "it, stamped 交易日 = the XSHG trade date, one file per day: 总市值/流通市值 in 元, "
        "成交量 in 手. A non-trading day lands nothing. Live: today's day, in a run over the "
        "month partition holding it. "
        "Snapshot: every day of data/snapshot/a_share/stock_zh_a_spot_em/ in the run's months "
        "(2026-06-02..2026-07-29, listings above about 20 bn CNY, only 代码, 名称, 最新价 and "
        "总市值 filled; PROVENANCE.md §9)."
    ),
)
def stock_zh_a_spot_em(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    market = SpotMarket("stock_zh_a_spot_em", trading_calendar.A_SHARE)
    if akshare.mode_of(market.function) == "snapshot":
        return land_snapshot_days(context, akshare, raw_zone, market)
    return land_spot(context, akshare, raw_zone, market)


@dg.asset(
    key=["raw", "stock_hk_spot_em"],
    group_name="live_hong_kong",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    partitions_def=MONTHLY,
    description=_description(
        "Every Hong Kong listing after the close, from the eastmoney page akshare's "
        "`stock_hk_spot_em()` reads but with 总市值/流通市值 (HKD) kept; stamped 交易日 = "
        "today's XHKG trade date (live: today's day in the month partition holding it). A "
        "non-trading day lands nothing."
    ),
)
def stock_hk_spot_em(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    market = SpotMarket("stock_hk_spot_em", trading_calendar.HONG_KONG)
    return land_spot(context, akshare, raw_zone, market)


@dg.asset(
    key=["raw", "stock_us_spot_em"],
    group_name="live_us",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    partitions_def=MONTHLY,
    description=_description(
        "The tracked US listings, from akshare `stock_us_spot_em()` (总市值 in USD). The file "
        "of day D (landed on D, in the month partition holding it) holds the US session of the "
        "previous calendar day, which closes early on D in Shanghai; 交易日 is that US date. "
        "No US session that day: nothing lands."
    ),
)
def stock_us_spot_em(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    codes = tuple(universe.eastmoney_us_symbol(x) for x in universe.us_listings())
    market = SpotMarket("stock_us_spot_em", trading_calendar.US, 1, codes)
    return land_spot(context, akshare, raw_zone, market)
