"""Hong Kong: daily prices and market value history per tracked listing."""

import dagster as dg

from orchestration.assets.landing import RAW_OWNERS, land_calls
from orchestration.resources import AkshareSource, RawZone
from orchestration.sources import calls


@dg.asset(
    key=["raw", "stock_hk_hist"],
    group_name="raw_hong_kong",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    description=(
        "Daily unadjusted Hong Kong prices per tracked listing, as akshare "
        "`stock_hk_hist(symbol, adjust='')` returns them: prices in HKD, volume in shares."
    ),
)
def stock_hk_hist(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    return land_calls(context, akshare, raw_zone, "stock_hk_hist", calls.stock_hk_hist())


@dg.asset(
    key=["raw", "stock_hk_valuation_baidu"],
    group_name="raw_hong_kong",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    description=(
        "Daily Hong Kong market value per tracked listing, as akshare "
        "`stock_hk_valuation_baidu(symbol, indicator='总市值')` returns it: value in 亿港元 "
        "(1e8 HKD), counting the Hong Kong-listed shares only (H shares for A+H companies)."
    ),
)
def stock_hk_valuation_baidu(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    return land_calls(
        context, akshare, raw_zone, "stock_hk_valuation_baidu", calls.stock_hk_valuation_baidu()
    )
