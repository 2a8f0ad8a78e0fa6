"""FX: the CNY central parity (中间价) published by SAFE."""

import dagster as dg

from orchestration.assets.landing import RAW_OWNERS, land_calls
from orchestration.resources import AkshareSource, RawZone
from orchestration.sources import calls


@dg.asset(
    key=["raw", "currency_boc_safe"],
    group_name="raw_fx",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    description=(
        "CNY central parity history, as akshare `currency_boc_safe()` returns it: CNY per 100 "
        "units of each foreign currency (美元 = USD, 港元 = HKD), one row per mainland fixing day."
    ),
)
def currency_boc_safe(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    return land_calls(context, akshare, raw_zone, "currency_boc_safe", calls.currency_boc_safe())
