"""The akshare calls the warehouse build makes, one list per function.

The raw assets make these calls in both modes, and `make record` makes the
same calls live to rewrite the snapshot, so the two can never disagree.
"""

from orchestration.sources import universe


def stock_value_em() -> list[dict]:
    return [{"symbol": symbol} for symbol in universe.a_share_symbols()]


def stock_hk_hist() -> list[dict]:
    return [{"symbol": s, "period": "daily", "adjust": ""} for s in universe.hk_symbols()]


def stock_hk_valuation_baidu() -> list[dict]:
    return [{"symbol": s, "indicator": "总市值", "period": "全部"} for s in universe.hk_symbols()]


def stock_us_hist() -> list[dict]:
    return [
        {"symbol": universe.eastmoney_us_symbol(x), "period": "daily", "adjust": ""}
        for x in universe.us_listings()
    ]


def stock_us_valuation_baidu() -> list[dict]:
    return [
        {"symbol": x.symbol, "indicator": "总市值", "period": "全部"}
        for x in universe.us_listings()
    ]


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
