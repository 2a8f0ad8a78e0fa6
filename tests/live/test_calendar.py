"""Live mode: Shanghai's sessions from Sina through akshare, exchange-calendars as the fallback."""

from datetime import date

import pandas as pd
import pytest

from orchestration.assets.raw.calendars import exchange_sessions
from orchestration.lib.trading_calendar import offline_sessions
from orchestration.testing.akshare_replay import fixture, materialize
from tests.live.conftest import landed

SINA = fixture("sina_tool_trade_date_hist_sina")


@pytest.fixture(autouse=True)
def run_in_2026(monkeypatch):
    monkeypatch.setenv("RUN_DATE", "2026-12-01")


def landed_sessions(raw_zone, exchange: str) -> list[date]:
    frame = landed(raw_zone, "exchange_sessions")
    return [pd.Timestamp(d).date() for d in frame[frame["exchange"] == exchange]["session_date"]]


def test_shanghai_sessions_come_from_sina_through_akshares_decoder(http, live, raw_zone):
    http.get(SINA["url"], body=SINA["body"])
    result = materialize([exchange_sessions], live, raw_zone)
    assert result.success
    shanghai = landed_sessions(raw_zone, "XSHG")
    # Golden Week 2026: closed 10-01 to 10-07 (a Thursday), open again on Thursday 10-08.
    assert date(2026, 10, 8) in shanghai
    assert not {date(2026, 10, d) for d in range(1, 8)} & set(shanghai)
    assert (shanghai[0], shanghai[-1]) == (date(2019, 1, 2), date(2026, 12, 31))
    metadata = result.asset_materializations_for_node("raw__exchange_sessions")[0].metadata
    assert metadata["source_XSHG"].value == "akshare.tool_trade_date_hist_sina"
    assert metadata["source_XHKG"].value == "exchange_calendars"
    assert len(http.calls) == 1


def test_sina_failing_falls_back_to_exchange_calendars_and_says_so(http, live, raw_zone):
    http.get(SINA["url"], status=502)
    result = materialize([exchange_sessions], live, raw_zone)
    assert result.success
    assert landed_sessions(raw_zone, "XSHG") == list(offline_sessions("XSHG", date(2026, 12, 1)))
    metadata = result.asset_materializations_for_node("raw__exchange_sessions")[0].metadata
    assert metadata["source_XSHG"].value == "exchange_calendars"
    assert len(http.calls) == 3  # every try of the call, then the fallback
