"""Project-side replacements for akshare functions that drop a field the warehouse needs.

They send akshare's own request through akshare's own pagination helper, so throttling, retries
and the recorded-response format stay those of akshare; only the parsing differs.
"""

from __future__ import annotations

import pandas as pd
from akshare.utils.func import fetch_paginated_data

from orchestration.sources.contracts import SchemaDriftError

HK_SPOT_URL = "https://72.push2.eastmoney.com/api/qt/clist/get"
# The parameters of akshare 1.19.5's stock_hk_spot_em: every HK board, 100 rows per page.
HK_SPOT_PARAMS = {
    "pn": "1",
    "pz": "100",
    "po": "1",
    "np": "1",
    "ut": "bd1d9ddb04089700cf9c27f6f7426281",
    "fltt": "2",
    "invt": "2",
    "fid": "f12",
    "fs": "m:128 t:3,m:128 t:4,m:128 t:1,m:128 t:2",
    "fields": "f1,f2,f3,f4,f5,f6,f7,f8,f9,f10,f12,f13,f14,f15,f16,f17,f18,f20,"
    "f21,f23,f24,f25,f22,f11,f62,f128,f136,f115,f152",
}
HK_SPOT_COLUMNS = {
    "index": "序号",
    "f12": "代码",
    "f14": "名称",
    "f2": "最新价",
    "f4": "涨跌额",
    "f3": "涨跌幅",
    "f17": "今开",
    "f15": "最高",
    "f16": "最低",
    "f18": "昨收",
    "f5": "成交量",
    "f6": "成交额",
    "f20": "总市值",
    "f21": "流通市值",
}


def stock_hk_spot_em() -> pd.DataFrame:
    """Every Hong Kong quote, as akshare's `stock_hk_spot_em` plus 总市值/流通市值 (HKD)."""
    # akshare's stock_hk_spot_em labels f20/f21 "_" and drops them, so we parse the same pages
    # ourselves, by key rather than by position.
    raw = fetch_paginated_data(HK_SPOT_URL, HK_SPOT_PARAMS)
    missing = [key for key in HK_SPOT_COLUMNS if key not in raw.columns]
    if missing:
        raise SchemaDriftError(
            f"stock_hk_spot_em (eastmoney clist {HK_SPOT_URL}): the response lacks the field(s) "
            f"{missing}; got {list(raw.columns)}"
        )
    frame = raw[list(HK_SPOT_COLUMNS)].rename(columns=HK_SPOT_COLUMNS)
    for column in frame.columns.drop(["代码", "名称"]):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


REPLACEMENTS = {"stock_hk_spot_em": stock_hk_spot_em}
