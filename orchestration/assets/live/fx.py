"""Live-only: the day's CNY central parity from eastmoney, reconciled against SAFE."""

import dagster as dg

from orchestration.assets.landing import RAW_OWNERS, fetch_calls, land_frame
from orchestration.assets.live.landing_rules import live_day, nothing_landed, with_landed_day
from orchestration.lib import trading_calendar
from orchestration.partitions import MONTHLY
from orchestration.resources import AkshareSource, RawZone

# eastmoney's central-parity series (market 120), CNY per 1 unit; SAFE names them 美元 / 港元.
PARITY_SYMBOLS = {"USDCNYC": "美元", "HKDCNYC": "港元"}


class MissingFixingError(RuntimeError):
    """A mainland trading day without a fixing in the response (not published yet?)."""


@dg.asset(
    key=["raw", "forex_hist_em"],
    group_name="live_fx",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    partitions_def=MONTHLY,
    description=(
        "Today's CNY central parity (in a run over the month partition holding today; one "
        "file per day), from akshare `forex_hist_em('USDCNYC')` and "
        "`forex_hist_em('HKDCNYC')`: CNY per 1 unit (SAFE's currency_boc_safe is per 100). "
        "No fixing on a mainland non-trading day: nothing lands. Live-only."
    ),
)
def forex_hist_em(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    day = live_day(context, akshare.now())
    calls = [{"symbol": symbol} for symbol in PARITY_SYMBOLS]
    # Each call returns the full history; the day's file keeps its own day.
    frame, load_metadata = fetch_calls(context, akshare, "forex_hist_em", calls)
    frame = frame[frame["日期"] == day].reset_index(drop=True)
    if frame.empty:
        if trading_calendar.is_session(trading_calendar.A_SHARE, day, raw_zone):
            raise MissingFixingError(f"forex_hist_em has no fixing for trading day {day} yet")
        reason = f"no central parity fixing on {day} (mainland non-trading day)"
        return with_landed_day(nothing_landed(reason), day)
    landed = land_frame(raw_zone, "forex_hist_em", frame, load_metadata, day.isoformat())
    return with_landed_day(landed, day)
