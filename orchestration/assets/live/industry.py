"""Live-only: the Shenwan (申万) classification as published on the partition day."""

import dagster as dg

from orchestration.assets.landing import RAW_OWNERS, land_calls
from orchestration.assets.live.landing_rules import ensure_today_in_shanghai, partition_date
from orchestration.partitions import DAILY
from orchestration.resources import AkshareSource, RawZone


def land_current_state(context, akshare: AkshareSource, raw_zone: RawZone, function: str):
    ensure_today_in_shanghai(partition_date(context), akshare.now())
    return land_calls(context, akshare, raw_zone, function, [{}], context.partition_key)


@dg.asset(
    key=["raw", "stock_industry_clf_hist_sw"],
    group_name="live_industry",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    partitions_def=DAILY,
    description=(
        "Shenwan 2021 classification history of every A share, as akshare "
        "`stock_industry_clf_hist_sw()` returns it: symbol, level-3 industry_code and the "
        "start_date it applies from (codes only, no names). Each partition is the file as "
        "published that day. Live-only."
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
    partitions_def=DAILY,
    description=(
        "Shenwan level-1 industries, as akshare `sw_index_first_info()` returns them: 行业代码 "
        "(801010.SI), 行业名称, 成份个数 and valuation, as published on the partition day. "
        "Live-only."
    ),
)
def sw_index_first_info(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    return land_current_state(context, akshare, raw_zone, "sw_index_first_info")
