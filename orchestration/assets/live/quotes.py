"""Live-only: whole-market quotes after the close, one partition per trade date."""

from dataclasses import dataclass, field
from datetime import date, timedelta

import dagster as dg
import pandas as pd

from orchestration.assets.landing import RAW_OWNERS, fetch_calls, land_frame
from orchestration.assets.live.landing_rules import (
    ensure_quotes_are_of_session,
    nothing_landed,
    partition_date,
)
from orchestration.lib import trading_calendar
from orchestration.partitions import DAILY
from orchestration.resources import AkshareSource, RawZone
from orchestration.sources import universe

TRADE_DATE = "交易日"


@dataclass(frozen=True)
class SpotMarket:
    function: str
    calendar: str
    # The US session of Shanghai day D closes early on D+1 Shanghai time, so partition D+1
    # holds it (its rows are stamped with the US date D).
    session_lag_days: int = 0
    keep_codes: tuple[str, ...] = field(default=())


def land_spot(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone, market: SpotMarket
) -> dg.MaterializeResult:
    session = partition_date(context) - timedelta(days=market.session_lag_days)
    if not trading_calendar.is_session(market.calendar, session, raw_zone):
        context.log.info(f"{session} is not a {market.calendar} trading day: nothing to land")
        return nothing_landed(
            f"{session} is not a {market.calendar} trading day", session=str(session)
        )
    ensure_quotes_are_of_session(market.calendar, session, akshare.now())
    frame, load_metadata = fetch_calls(context, akshare, market.function, [{}])
    frame = _stamp(_keep(frame, market.keep_codes, context), session)
    return land_frame(raw_zone, market.function, frame, load_metadata, context.partition_key)


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
    partitions_def=DAILY,
    description=_description(
        "Every A share (SH, SZ, BJ) after the close, as akshare `stock_zh_a_spot_em()` returns "
        "it, stamped 交易日 = the partition's XSHG trade date: 总市值/流通市值 in 元, "
        "成交量 in 手. A non-trading day lands nothing."
    ),
)
def stock_zh_a_spot_em(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    market = SpotMarket("stock_zh_a_spot_em", trading_calendar.A_SHARE)
    return land_spot(context, akshare, raw_zone, market)


@dg.asset(
    key=["raw", "stock_hk_spot_em"],
    group_name="live_hong_kong",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    partitions_def=DAILY,
    description=_description(
        "Every Hong Kong listing after the close, from the eastmoney page akshare's "
        "`stock_hk_spot_em()` reads but with 总市值/流通市值 (HKD) kept; stamped 交易日 = the "
        "partition's XHKG trade date. A non-trading day lands nothing."
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
    partitions_def=DAILY,
    description=_description(
        "The tracked US listings, from akshare `stock_us_spot_em()` (总市值 in USD). Partition "
        "D holds the US session of the previous calendar day, which closes early on D in "
        "Shanghai; 交易日 is that US date. No US session that day: nothing lands."
    ),
)
def stock_us_spot_em(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    codes = tuple(universe.eastmoney_us_symbol(x) for x in universe.us_listings())
    market = SpotMarket("stock_us_spot_em", trading_calendar.US, 1, codes)
    return land_spot(context, akshare, raw_zone, market)
