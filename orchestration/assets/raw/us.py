"""US listings: Chinese ADRs and the Magnificent Seven, daily prices and market value."""

import dagster as dg

from orchestration.assets.landing import RAW_OWNERS, land_calls
from orchestration.resources import AkshareSource, RawZone
from orchestration.sources import calls


@dg.asset(
    key=["raw", "stock_us_hist"],
    group_name="raw_us",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    description=(
        "Daily unadjusted US prices per tracked listing, as akshare "
        "`stock_us_hist(symbol='106.BABA', adjust='')` returns them: USD per share or per ADS."
    ),
)
def stock_us_hist(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    return land_calls(context, akshare, raw_zone, "stock_us_hist", calls.stock_us_hist())


@dg.asset(
    key=["raw", "stock_us_valuation_baidu"],
    group_name="raw_us",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    description=(
        "Daily US market value per tracked listing, as akshare "
        "`stock_us_valuation_baidu(symbol, indicator='总市值')` returns it: value in 亿美元 "
        "(1e8 USD)."
    ),
)
def stock_us_valuation_baidu(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    return land_calls(
        context, akshare, raw_zone, "stock_us_valuation_baidu", calls.stock_us_valuation_baidu()
    )
