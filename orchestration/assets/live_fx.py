"""Live-only: the day's CNY central parity from eastmoney, reconciled against SAFE."""

import dagster as dg
import duckdb

from orchestration import trading_calendar
from orchestration.assets.daily import nothing_landed, partition_date
from orchestration.assets.landing import RAW_OWNERS, fetch_calls, land_frame
from orchestration.partitions import DAILY
from orchestration.resources import AkshareSource, RawZone

# eastmoney's central-parity series (market 120), CNY per 1 unit; SAFE names them 美元 / 港元.
PARITY_SYMBOLS = {"USDCNYC": "美元", "HKDCNYC": "港元"}
# SAFE publishes CNY per 100 units to 4 decimals (港元 to 5 digits), so per unit they agree to
# 4 decimals; half a unit in the 4th decimal, plus float noise.
TOLERANCE = 0.5e-4 + 1e-9


class MissingFixingError(RuntimeError):
    """A mainland trading day without a fixing in the response (not published yet?)."""


@dg.asset(
    key=["raw", "forex_hist_em"],
    group_name="live_fx",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    partitions_def=DAILY,
    description=(
        "The partition day's CNY central parity, from akshare `forex_hist_em('USDCNYC')` and "
        "`forex_hist_em('HKDCNYC')`: CNY per 1 unit (SAFE's currency_boc_safe is per 100). "
        "No fixing on a mainland non-trading day: nothing lands. Live-only."
    ),
)
def forex_hist_em(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    day = partition_date(context)
    calls = [{"symbol": symbol} for symbol in PARITY_SYMBOLS]
    # Each call returns the full history; the partition keeps its own day.
    frame, load_metadata = fetch_calls(context, akshare, "forex_hist_em", calls)
    frame = frame[frame["日期"] == day].reset_index(drop=True)
    if frame.empty:
        if trading_calendar.is_session(trading_calendar.A_SHARE, day, raw_zone):
            raise MissingFixingError(f"forex_hist_em has no fixing for trading day {day} yet")
        return nothing_landed(f"no central parity fixing on {day} (mainland non-trading day)")
    return land_frame(raw_zone, "forex_hist_em", frame, load_metadata, context.partition_key)


@dg.asset_check(
    asset=forex_hist_em,
    description=(
        "eastmoney's parity (CNY per 1 unit) equals SAFE's currency_boc_safe / 100 to 4 decimals "
        "on every day both have landed."
    ),
)
def parity_matches_safe(raw_zone: RawZone) -> dg.AssetCheckResult:
    pairs = parity_pairs(raw_zone)
    if pairs is None or pairs.empty:
        return dg.AssetCheckResult(passed=True, metadata={"days_compared": 0})
    pairs["difference"] = (pairs["eastmoney"] - pairs["safe"] / 100).abs()
    worst = pairs.sort_values("difference").iloc[-1]
    return dg.AssetCheckResult(
        passed=bool(pairs["difference"].max() <= TOLERANCE),
        metadata={
            "days_compared": int(pairs["日期"].nunique()),
            "max_difference": float(worst["difference"]),
            "worst": f"{worst['代码']} {worst['日期']}: {worst['eastmoney']} vs "
            f"{worst['safe']}/100",
        },
    )


def parity_pairs(raw_zone: RawZone):
    """eastmoney and SAFE rates side by side, one row per (symbol, date) both have."""
    eastmoney = raw_zone.path("forex_hist_em").parent / "*.parquet"
    safe = raw_zone.path("currency_boc_safe")
    if not safe.exists() or not list(eastmoney.parent.glob("*.parquet")):
        return None
    cases = " ".join(
        f"when '{code}' then s.\"{column}\"" for code, column in PARITY_SYMBOLS.items()
    )
    return (
        duckdb.sql(
            f"""
        select e."代码", e."日期", e."最新价" as eastmoney, case e."代码" {cases} end as safe
        from read_parquet('{eastmoney}', union_by_name = true) e
        join read_parquet('{safe}') s on s."日期" = e."日期"
        """
        )
        .df()
        .dropna()
    )
