"""The per-listing history assets (backfill_history) in live mode, replayed through akshare."""

from orchestration.assets.raw.a_share import stock_value_em
from orchestration.assets.raw.hong_kong import stock_hk_hist, stock_hk_valuation_baidu
from orchestration.assets.raw.us import stock_us_hist, stock_us_valuation_baidu
from orchestration.sources import universe
from orchestration.testing.akshare_replay import materialize
from tests.live.conftest import failure_message, landed, patch_baidu, serve_pages

US_HIST_URL = "https://63.push2his.eastmoney.com/api/qt/stock/kline/get"
HISTORY = [
    stock_value_em,
    stock_hk_hist,
    stock_hk_valuation_baidu,
    stock_us_hist,
    stock_us_valuation_baidu,
]


def serve_history(http, monkeypatch) -> None:
    # One recorded answer per endpoint, served for every listing's call.
    serve_pages(http, "datacenter_stock_value_em")
    serve_pages(http, "kline_stock_hk_hist")
    serve_pages(http, "kline_stock_us_hist")
    patch_baidu(monkeypatch)


def test_every_history_asset_lands_akshare_values_and_units(http, monkeypatch, live, raw_zone):
    serve_history(http, monkeypatch)
    assert materialize(HISTORY, live, raw_zone).success
    value = landed(raw_zone, "stock_value_em")
    assert len(value) == 2 * len(universe.a_share_symbols())
    moutai = value[value["_symbol"] == "600519"].set_index("数据日期")
    assert moutai["总市值"].tolist() == [2060164392000.0, 2072726370000.0]  # 元, sorted by date
    assert moutai["总股本"].unique().tolist() == [1256197800.0]  # shares
    hk = landed(raw_zone, "stock_hk_hist")
    assert hk[hk["_symbol"] == "00700"]["收盘"].tolist() == [372.4, 380.2]  # HKD
    us = landed(raw_zone, "stock_us_hist")
    assert set(us["_symbol"]) == {universe.eastmoney_us_symbol(x) for x in universe.us_listings()}
    baidu = landed(raw_zone, "stock_hk_valuation_baidu")
    assert baidu[baidu["_symbol"] == "00700"]["value"].tolist() == [33563.13, 33615.79]  # 亿港元
    assert landed(raw_zone, "stock_us_valuation_baidu")["_shares_source"].isna().all()  # observed
    one_call_each = [universe.a_share_symbols(), *[universe.hk_symbols()] * 2]
    listings = sum(len(x) for x in one_call_each) + 2 * len(universe.us_listings())
    assert live.requests_made == listings


def test_an_empty_history_fails_naming_the_dataset_and_lands_nothing(http, live, raw_zone):
    http.get(US_HIST_URL, json={"rc": 0, "data": {"code": "BABA", "market": 106, "klines": []}})
    result = materialize([stock_us_hist], live, raw_zone)
    assert "stock_us_hist from akshare.stock_us_hist: no rows" in failure_message(result)
    assert not raw_zone.path("stock_us_hist").exists()
