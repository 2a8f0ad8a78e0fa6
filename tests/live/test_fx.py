"""The day's central parity from eastmoney, and its reconciliation against SAFE."""

from datetime import datetime

import pandas as pd

from orchestration.assets.live.fx import forex_hist_em
from orchestration.assets.raw.fx import currency_boc_safe
from orchestration.checks.fx_parity import parity_matches_safe
from orchestration.lib.trading_calendar import SHANGHAI
from orchestration.testing.akshare_replay import KLINE_URL, fixture, materialize
from tests.live.conftest import failure_message, landed, serve_safe


def serve_parity(http) -> None:
    # Both symbols share one URL; akshare asks for USDCNYC first, then HKDCNYC.
    for name in ("kline_forex_USDCNYC", "kline_forex_HKDCNYC"):
        http.get(KLINE_URL, json=fixture(name)["pages"][0])


def test_todays_file_keeps_its_own_fixing_in_cny_per_unit(http, live, raw_zone):
    serve_parity(http)
    assert materialize([forex_hist_em], live, raw_zone, "2024-05-01").success
    frame = landed(raw_zone, "forex_hist_em", "2024-05-07").set_index("代码")
    assert frame.loc["USDCNYC", "最新价"] == 7.1006
    assert frame.loc["HKDCNYC", "最新价"] == 0.90825
    assert frame["日期"].astype(str).unique().tolist() == ["2024-05-07"]


def test_a_5xx_then_success_is_retried_and_counted(http, live, raw_zone):
    http.get(KLINE_URL, status=503)
    serve_parity(http)
    result = materialize([forex_hist_em], live, raw_zone, "2024-05-01")
    assert result.success
    metadata = result.asset_materializations_for_node("raw__forex_hist_em")[0].metadata
    assert metadata["live_requests_in_run"].value == 3  # USD twice, HKD once
    assert len(landed(raw_zone, "forex_hist_em", "2024-05-07")) == 2


def test_persistent_failure_lands_nothing_and_keeps_the_landed_day(http, live, raw_zone):
    serve_parity(http)
    assert materialize([forex_hist_em], live, raw_zone, "2024-05-01").success
    path = raw_zone.path("forex_hist_em", "2024-05-07")
    before = path.read_bytes()

    http.reset()
    http.get(KLINE_URL, json=fixture("kline_forex_USDCNYC")["pages"][0])  # USD fine ...
    http.get(KLINE_URL, status=500)  # ... HKD keeps failing
    result = materialize([forex_hist_em], live, raw_zone, "2024-05-01")
    assert not result.success
    assert "akshare.forex_hist_em(symbol='HKDCNYC') failed after 3 tries" in failure_message(result)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["2024-05-07.parquet"]  # no temp files


def test_a_mainland_holiday_has_no_fixing_and_lands_nothing(http, live, raw_zone):
    serve_parity(http)
    live.now = lambda: datetime(2024, 5, 4, 16, 30, tzinfo=SHANGHAI)  # Labour Day holiday
    result = materialize([forex_hist_em], live, raw_zone, "2024-05-01")
    assert result.success
    assert not raw_zone.path("forex_hist_em", "2024-05-04").exists()


def reconcile(http, monkeypatch, live, raw_zone, usd_override=None):
    serve_safe(http, monkeypatch, usd_override)
    assert materialize([currency_boc_safe], live, raw_zone).success
    serve_parity(http)
    live.now = lambda: datetime(2024, 5, 6, 16, 30, tzinfo=SHANGHAI)  # lands the 05-06 fixing
    result = materialize([forex_hist_em, parity_matches_safe], live, raw_zone, "2024-05-01")
    return result.get_asset_check_evaluations()[0]


def test_safe_is_read_through_akshare_per_100_units(http, monkeypatch, live, raw_zone):
    serve_safe(http, monkeypatch)
    assert materialize([currency_boc_safe], live, raw_zone).success
    frame = landed(raw_zone, "currency_boc_safe").set_index("日期")
    assert frame["美元"].tolist() == [710.02, 710.06, 710.11]  # xlsx rows + the POSTed tail
    assert pd.isna(frame["_usd_source"]).all()  # live rows are observed


def test_eastmoney_agrees_with_safe_to_four_decimals(http, monkeypatch, live, raw_zone):
    evaluation = reconcile(http, monkeypatch, live, raw_zone)
    assert evaluation.passed
    assert evaluation.metadata["days_compared"].value == 1


def test_a_disagreement_with_safe_fails_the_check(http, monkeypatch, live, raw_zone):
    evaluation = reconcile(http, monkeypatch, live, raw_zone, usd_override=710.20)
    assert not evaluation.passed
    assert "USDCNYC 2024-05-06" in evaluation.metadata["worst"].value
