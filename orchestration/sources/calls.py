"""The akshare calls the warehouse build makes, one list per function.

The raw assets make these calls in both modes, and `make record` makes the
same calls live to rewrite the snapshot, so the two can never disagree.
"""

from orchestration.sources import universe
from orchestration.sources.universe import Listing

# Each takes the listings to call for, by default the seed's (build_warehouse, `make record`);
# backfill_history passes one batch of the whole market (sources/history_batches.py).


def stock_value_em(symbols: list[str] | None = None) -> list[dict]:
    symbols = universe.a_share_symbols() if symbols is None else symbols
    return [{"symbol": symbol} for symbol in symbols]


def stock_hk_hist(symbols: list[str] | None = None) -> list[dict]:
    symbols = universe.hk_symbols() if symbols is None else symbols
    return [{"symbol": s, "period": "daily", "adjust": ""} for s in symbols]


def stock_hk_valuation_baidu(symbols: list[str] | None = None) -> list[dict]:
    symbols = universe.hk_symbols() if symbols is None else symbols
    return [{"symbol": s, "indicator": "总市值", "period": "全部"} for s in symbols]


def stock_us_hist(listings: list[Listing] | None = None) -> list[dict]:
    listings = universe.us_listings() if listings is None else listings
    return [
        {"symbol": universe.eastmoney_us_symbol(x), "period": "daily", "adjust": ""}
        for x in listings
    ]


def stock_us_valuation_baidu(listings: list[Listing] | None = None) -> list[dict]:
    listings = universe.us_listings() if listings is None else listings
    return [{"symbol": x.symbol, "indicator": "总市值", "period": "全部"} for x in listings]


def currency_boc_safe() -> list[dict]:
    return [{}]


# Every akshare function the snapshot answers (industry_classification is a curated file, not
# an akshare call, so it is not recorded).
RECORDABLE = {
    "stock_value_em": stock_value_em,
    "stock_hk_hist": stock_hk_hist,
    "stock_hk_valuation_baidu": stock_hk_valuation_baidu,
    "stock_us_hist": stock_us_hist,
    "stock_us_valuation_baidu": stock_us_valuation_baidu,
    "currency_boc_safe": currency_boc_safe,
}
