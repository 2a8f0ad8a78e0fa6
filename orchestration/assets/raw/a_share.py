"""A shares (Shanghai, Shenzhen, Beijing): daily market value history per tracked listing."""

import dagster as dg

from orchestration.assets.landing import RAW_OWNERS, land_calls
from orchestration.resources import AkshareSource, RawZone
from orchestration.sources import calls


@dg.asset(
    key=["raw", "stock_value_em"],
    group_name="raw_a_share",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    description=(
        "Daily A-share market value per tracked listing, as akshare `stock_value_em(symbol)` "
        "returns it: 总市值 and 流通市值 in 元 (yuan), 总股本 in shares. For A+H companies "
        "总市值 values every share, H shares included, at the A price."
    ),
)
def stock_value_em(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    return land_calls(context, akshare, raw_zone, "stock_value_em", calls.stock_value_em())
