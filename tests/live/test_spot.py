"""Whole-market spot assets, replayed through akshare's parsing (and our HK parser)."""

import json
from datetime import date, datetime
from pathlib import Path

import dagster as dg
import pandas as pd

from orchestration.assets.live.quotes import stock_hk_spot_em, stock_us_spot_em, stock_zh_a_spot_em
from orchestration.lib.trading_calendar import SHANGHAI
from orchestration.partitions import range_tags
from orchestration.resources import AkshareSource
from orchestration.settings import snapshot_dir
from orchestration.testing.akshare_replay import fixture, materialize
from tests.live.conftest import failure_message, landed, serve_pages

A_URL = "https://82.push2.eastmoney.com/api/qt/clist/get"


def landed_files(raw_zone, dataset: str) -> list[str]:
    return sorted(path.name for path in (Path(raw_zone.root) / dataset).glob("*.parquet"))


def by_code(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("代码")  # eastmoney re-sorts rows by 涨跌幅: key on 代码


def test_a_share_spot_lands_the_whole_market_stamped_with_the_trade_date(http, live, raw_zone):
    serve_pages(http, "clist_stock_zh_a_spot_em")
    result = materialize([stock_zh_a_spot_em], live, raw_zone, "2024-05-01")
    assert result.success
    frame = by_code(landed(raw_zone, "stock_zh_a_spot_em", "2024-05-07"))
    assert len(frame) == 3
    assert frame.loc["600519", "总市值"] == 1_884_296_700_000.0  # 元, not 亿
    assert frame.loc["600519", "成交量"] == 32156.0  # 手
    assert frame.loc["600519", "名称"] == "贵州茅台"
    assert set(frame["交易日"]) == {date(2024, 5, 7)}
    assert frame["_source_mode"].unique().tolist() == ["live"]
    metadata = result.asset_materializations_for_node("raw__stock_zh_a_spot_em")[0].metadata
    assert metadata["live_requests_in_run"].value == 2  # one call, two pages


def test_a_budget_smaller_than_the_pages_stops_mid_pagination(http, live, raw_zone):
    serve_pages(http, "clist_stock_zh_a_spot_em")  # two pages
    live.request_budget = 1
    result = materialize([stock_zh_a_spot_em], live, raw_zone, "2024-05-01")
    assert not result.success
    message = failure_message(result)
    assert "akshare.stock_zh_a_spot_em(): HTTP request not sent" in message
    assert "budget of 1 HTTP requests" in message
    assert live.requests_made == len(http.calls) == 1  # page 2 refused, and not retried
    assert not raw_zone.path("stock_zh_a_spot_em", "2024-05-07").exists()


def test_dash_values_become_nulls_not_errors(http, live, raw_zone):
    serve_pages(http, "clist_stock_zh_a_spot_em")
    assert materialize([stock_zh_a_spot_em], live, raw_zone, "2024-05-01").success
    halted = by_code(landed(raw_zone, "stock_zh_a_spot_em", "2024-05-07")).loc["600074"]
    assert pd.isna(halted["最新价"]) and pd.isna(halted["总市值"])


def test_a_non_trading_day_lands_nothing_and_says_so(http, live, raw_zone):
    live.now = lambda: datetime(2024, 10, 1, 16, 30, tzinfo=SHANGHAI)  # National Day
    result = materialize([stock_zh_a_spot_em], live, raw_zone, "2024-10-01")
    assert result.success
    metadata = result.asset_materializations_for_node("raw__stock_zh_a_spot_em")[0].metadata
    assert metadata["landed"].value is False
    assert "not a XSHG trading day" in metadata["reason"].value
    assert not raw_zone.path("stock_zh_a_spot_em", "2024-10-01").exists()
    assert live.requests_made == 0 and not http.calls


def test_spot_quotes_land_as_todays_file_of_the_month_partition(http, live, raw_zone):
    serve_pages(http, "clist_stock_zh_a_spot_em")
    result = materialize([stock_zh_a_spot_em], live, raw_zone, "2024-05-01")
    assert result.success
    today = live.now().date().isoformat()
    metadata = result.asset_materializations_for_node("raw__stock_zh_a_spot_em")[0].metadata
    assert metadata["landed_day"].value == today
    assert landed_files(raw_zone, "stock_zh_a_spot_em") == [f"{today}.parquet"]


def test_spot_quotes_are_not_landed_for_a_month_that_does_not_hold_today(http, live, raw_zone):
    result = materialize([stock_zh_a_spot_em], live, raw_zone, "2024-04-01")  # today: 05-07
    assert not result.success
    message = failure_message(result)
    assert (
        "partition 2024-04-01 (2024-04-01..2024-04-30) does not hold today, 2024-05-07" in message
    )
    assert "live data cannot be backfilled" in message
    assert live.requests_made == 0 and not http.calls
    assert not (Path(raw_zone.root) / "stock_zh_a_spot_em").exists()


def test_spot_quotes_are_not_stamped_before_the_close(http, live, raw_zone):
    live.now = lambda: datetime(2024, 5, 7, 10, 0, tzinfo=SHANGHAI)  # the session is open
    result = materialize([stock_zh_a_spot_em], live, raw_zone, "2024-05-01")
    assert not result.success
    assert "would be intraday" in failure_message(result)
    assert not http.calls


def test_us_quotes_are_not_stamped_once_the_next_us_session_opened(http, live, raw_zone):
    # Today's file holds the US session of yesterday, 05-06; at 22:00 Shanghai New York trades
    # the 05-07 session.
    live.now = lambda: datetime(2024, 5, 7, 22, 0, tzinfo=SHANGHAI)
    result = materialize([stock_us_spot_em], live, raw_zone, "2024-05-01")
    assert not result.success
    assert "spot quotes cannot be backfilled" in failure_message(result)
    assert not http.calls


def test_a_live_run_over_more_than_one_partition_is_refused_before_any_request(
    http, live, raw_zone
):
    # The asset lands a range in one run (snapshot mode, build_warehouse); live quotes are now.
    source = AkshareSource.with_live_source(live, snapshot_dir=str(snapshot_dir()))
    result = dg.materialize(
        [stock_zh_a_spot_em],
        resources={
            "akshare": dg.ResourceDefinition.hardcoded_resource(source),
            "raw_zone": raw_zone,
        },
        tags=range_tags("2024-04-01", "2024-05-01"),
        raise_on_error=False,
    )
    assert not result.success
    message = failure_message(result)
    assert "this run asks for 2 partitions (2024-04-01..2024-05-01)" in message
    assert "live data cannot be backfilled" in message
    assert live.requests_made == 0 and not http.calls
    assert not (Path(raw_zone.root) / "stock_zh_a_spot_em").exists()


def test_an_empty_first_page_fails_clearly_and_lands_nothing(http, live, raw_zone):
    http.get(A_URL, json={"rc": 0, "data": {"total": 0, "diff": []}})
    result = materialize([stock_zh_a_spot_em], live, raw_zone, "2024-05-01")
    assert not result.success
    assert "akshare.stock_zh_a_spot_em() failed after 3 tries" in failure_message(result)
    assert not raw_zone.path("stock_zh_a_spot_em", "2024-05-07").exists()


def test_a_removed_field_is_schema_drift_naming_the_function(http, live, raw_zone):
    for page in fixture("clist_stock_zh_a_spot_em")["pages"]:
        for row in page["data"]["diff"]:
            del row["f20"]
        http.get(A_URL, json=page)
    result = materialize([stock_zh_a_spot_em], live, raw_zone, "2024-05-01")
    message = failure_message(result)
    assert "akshare.stock_zh_a_spot_em()" in message
    assert "no longer match the columns akshare assigns by position" in message
    assert live.requests_made == 2  # its two pages, once: drift is not retried
    assert not raw_zone.path("stock_zh_a_spot_em", "2024-05-07").exists()


def test_hong_kong_spot_keeps_total_market_value_in_hkd(http, live, raw_zone):
    serve_pages(http, "clist_stock_hk_spot_em")
    assert materialize([stock_hk_spot_em], live, raw_zone, "2024-05-01").success
    frame = by_code(landed(raw_zone, "stock_hk_spot_em", "2024-05-07"))
    assert frame.loc["00700", "总市值"] == 3_531_000_000_000.0
    assert pd.isna(frame.loc["01398", "流通市值"])
    assert set(frame["交易日"]) == {date(2024, 5, 7)}
    load = raw_zone.read_load_metadata("stock_hk_spot_em", "2024-05-07")
    assert load["origins"] == ["orchestration.sources.eastmoney.stock_hk_spot_em"]


def test_hong_kong_spot_without_f20_names_the_missing_field(http, live, raw_zone):
    page = fixture("clist_stock_hk_spot_em")["pages"][0]
    for row in page["data"]["diff"]:
        del row["f20"]
    http.get("https://72.push2.eastmoney.com/api/qt/clist/get", json=page)
    result = materialize([stock_hk_spot_em], live, raw_zone, "2024-05-01")
    assert "stock_hk_spot_em (eastmoney clist" in failure_message(result)
    assert "lacks the field(s) ['f20']" in failure_message(result)


def test_us_spot_keeps_the_tracked_tickers_of_the_previous_us_session(http, live, raw_zone):
    serve_pages(http, "clist_stock_us_spot_em")
    assert materialize([stock_us_spot_em], live, raw_zone, "2024-05-01").success
    frame = by_code(landed(raw_zone, "stock_us_spot_em", "2024-05-07"))
    assert sorted(frame.index) == ["105.PDD", "106.BABA"]
    assert frame.loc["106.BABA", "总市值"] == 194_000_000_000.0  # USD
    assert set(frame["交易日"]) == {date(2024, 5, 6)}  # Monday in New York
    load = raw_zone.read_load_metadata("stock_us_spot_em", "2024-05-07")
    assert json.dumps(load["parameters"]) == "[{}]"
