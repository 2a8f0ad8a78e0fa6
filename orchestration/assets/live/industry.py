"""Live-only: the Shenwan (申万) classification as published today, one file per day."""

import dagster as dg

from orchestration.assets.landing import RAW_OWNERS, land_calls
from orchestration.assets.live.landing_rules import live_day, with_landed_day
from orchestration.partitions import MONTHLY
from orchestration.resources import AkshareSource, RawZone


def land_current_state(context, akshare: AkshareSource, raw_zone: RawZone, function: str):
    # The source publishes only its current state: today's file, in today's month.
    day = live_day(context, akshare.now())
    return with_landed_day(
        land_calls(context, akshare, raw_zone, function, [{}], day.isoformat()), day
    )


@dg.asset(
    key=["raw", "stock_industry_clf_hist_sw"],
    group_name="live_industry",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    partitions_def=MONTHLY,
    description=(
        "Shenwan 2021 classification history of every A share, as akshare "
        "`stock_industry_clf_hist_sw()` returns it: symbol, level-3 industry_code and the "
        "start_date it applies from (codes only, no names). One file per day, as "
        "published that day, landed on that day in the month partition holding it. Live-only."
    ),
)
def stock_industry_clf_hist_sw(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    return land_current_state(context, akshare, raw_zone, "stock_industry_clf_hist_sw")


@dg.asset(
    key=["raw", "sw_index_first_info"],
    group_name="live_industry",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    partitions_def=MONTHLY,
    description=(
        "Shenwan level-1 industries, as akshare `sw_index_first_info()` returns them: 行业代码 "
        "(801010.SI), 行业名称, 成份个数 and valuation, as published on the day landed (one "
        "file per day, in the month partition holding it). Live-only."
    ),
)
def sw_index_first_info(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    return land_current_state(context, akshare, raw_zone, "sw_index_first_info")
