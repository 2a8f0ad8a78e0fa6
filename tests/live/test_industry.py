"""Shenwan classification (.xls through xlrd) and level-1 names (legulegu HTML)."""

from datetime import date, datetime

from orchestration.assets.live.industry import stock_industry_clf_hist_sw, sw_index_first_info
from orchestration.lib.trading_calendar import SHANGHAI
from orchestration.testing.akshare_replay import fixture, materialize
from tests.live.conftest import failure_message, landed, xls_body

XLS_URL = fixture("shenwan_stock_industry_clf_hist_sw")["url"]


def test_the_classification_history_lands_with_codes_as_text(http, live, raw_zone):
    http.get(XLS_URL, body=xls_body(), content_type="application/vnd.ms-excel")
    assert materialize([stock_industry_clf_hist_sw], live, raw_zone, "2024-05-01").success
    frame = landed(raw_zone, "stock_industry_clf_hist_sw", "2024-05-07")
    assert frame["symbol"].tolist()[:4] == ["600519", "600519", "000001", "000001"]  # zeros kept
    assert frame["industry_code"].tolist()[:4] == ["340501", "340501", "480101", "480301"]
    assert frame["start_date"].tolist()[0] == date(2014, 2, 21)


def test_a_renamed_column_fails_before_landing(http, live, raw_zone):
    body = xls_body("renamed_column_xls_base64")  # 行业代码 -> 行业编码
    http.get(XLS_URL, body=body, content_type="application/vnd.ms-excel")
    result = materialize([stock_industry_clf_hist_sw], live, raw_zone, "2024-05-01")
    message = failure_message(result)
    assert "stock_industry_clf_hist_sw from akshare.stock_industry_clf_hist_sw" in message
    assert "missing column(s) ['industry_code']" in message
    assert not raw_zone.path("stock_industry_clf_hist_sw", "2024-05-07").exists()


def test_current_state_lands_as_todays_file_and_not_for_another_month(http, live, raw_zone):
    http.get(XLS_URL, body=xls_body(), content_type="application/vnd.ms-excel")
    live.now = lambda: datetime(2024, 6, 3, 10, 0, tzinfo=SHANGHAI)
    result = materialize([stock_industry_clf_hist_sw], live, raw_zone, "2024-05-01")
    assert "does not hold today, 2024-06-03" in failure_message(result)
    assert not http.calls
    assert materialize([stock_industry_clf_hist_sw], live, raw_zone, "2024-06-01").success
    assert raw_zone.path("stock_industry_clf_hist_sw", "2024-06-03").exists()


def test_level_one_names_are_parsed_from_the_legulegu_page(http, live, raw_zone):
    page = fixture("legulegu_sw_index_first_info")
    http.get(page["url"], body=page["html"], content_type="text/html; charset=utf-8")
    assert materialize([sw_index_first_info], live, raw_zone, "2024-05-01").success
    frame = landed(raw_zone, "sw_index_first_info", "2024-05-07").set_index("行业代码")
    assert frame.loc["801120.SI", "行业名称"] == "食品饮料"
    assert frame.loc["801120.SI", "成份个数"] == 125.0
