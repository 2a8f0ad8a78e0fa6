"""The exchange calendar's horizon: sessions are known up to a day computed from the run date,
and past it every rule says "calendar unknown" instead of guessing that a weekday trades.

RUN_DATE stands the run on a chosen day; here mostly in January 2027, after the last Shanghai
session exchange-calendars 4.13 records (2026-12-31).
"""

from datetime import date, datetime

import dagster as dg
import pandas as pd
import pytest

from orchestration.assets.raw.calendars import exchange_sessions
from orchestration.assets.raw.fx import currency_boc_safe
from orchestration.checks.calendar import sessions_known_a_month_ahead
from orchestration.definitions import defs
from orchestration.lib.trading_calendar import SHANGHAI
from orchestration.resources import AkshareSource, RawZone
from orchestration.settings import snapshot_dir
from tests.conftest import query, run_dbt

SNAPSHOT = {"akshare": AkshareSource(mode="snapshot", snapshot_dir=str(snapshot_dir()))}


def land_calendar(run_date: str, raw_root, monkeypatch) -> dg.ExecuteInProcessResult:
    """Materialise raw/exchange_sessions and its horizon check in snapshot mode on `run_date`."""
    monkeypatch.setenv("RUN_DATE", run_date)
    monkeypatch.setenv("RAW_ZONE_DIR", str(raw_root))  # where the schedules read it
    result = dg.materialize(
        [exchange_sessions, sessions_known_a_month_ahead],
        resources={**SNAPSHOT, "raw_zone": RawZone(root=str(raw_root))},
    )
    assert result.success
    return result


def last_sessions(raw_root) -> dict[str, date]:
    frame = pd.read_parquet(RawZone(root=str(raw_root)).path("exchange_sessions"))
    return {
        exchange: pd.Timestamp(day).date()
        for exchange, day in frame.groupby("exchange")["session_date"].max().items()
    }


@pytest.fixture
def landed_in_2027(tmp_path, monkeypatch) -> dg.ExecuteInProcessResult:
    return land_calendar("2027-01-15", tmp_path / "raw", monkeypatch)


def test_the_horizon_follows_the_run_date_up_to_what_the_calendar_records(
    tmp_path, monkeypatch, landed_in_2027
):
    # Through the end of the year after the run date, where the calendar has the holidays.
    assert last_sessions(tmp_path / "raw") == {
        "XHKG": date(2028, 12, 29),
        "XNYS": date(2028, 12, 29),
        "XSHG": date(2026, 12, 31),  # exchange-calendars records no later Shanghai holidays
    }
    land_calendar("2026-06-01", tmp_path / "raw_2026", monkeypatch)
    assert last_sessions(tmp_path / "raw_2026")["XNYS"] == date(2027, 12, 31)


def test_the_horizon_check_warns_within_30_days_of_the_last_known_session(
    tmp_path, monkeypatch, landed_in_2027
):
    [late] = landed_in_2027.get_asset_check_evaluations()
    assert not late.passed
    assert late.severity == dg.AssetCheckSeverity.WARN  # flags, never blocks
    assert "XSHG" in late.description and "2026-12-31" in late.description
    assert late.metadata["days_left_XSHG"].value == -15

    [month_before] = land_calendar(
        "2026-12-01", tmp_path / "raw_dec", monkeypatch
    ).get_asset_check_evaluations()
    assert not month_before.passed  # 30 days left: time to upgrade or land the live calendar
    [two_months_before] = land_calendar(
        "2026-11-01", tmp_path / "raw_nov", monkeypatch
    ).get_asset_check_evaluations()
    assert two_months_before.passed


def tick(schedule_name: str, day: str, hour: int):
    when = datetime.fromisoformat(day).replace(hour=hour, minute=30, tzinfo=SHANGHAI)
    schedule = defs.resolve_schedule_def(schedule_name)
    return schedule(dg.build_schedule_context(scheduled_execution_time=when))


def test_a_schedule_past_the_horizon_says_calendar_unknown_instead_of_guessing(landed_in_2027):
    # Friday 2027-01-15: a weekday, but nothing says whether Shanghai trades.
    skip = tick("after_a_share_close", "2027-01-15", 15)
    assert isinstance(skip, dg.SkipReason)
    assert "calendar unknown" in skip.skip_message
    assert "2026-12-31" in skip.skip_message
    # Hong Kong's calendar reaches 2028: that schedule still runs on its sessions.
    assert isinstance(tick("after_hong_kong_close", "2027-01-15", 16), dg.RunRequest)
    assert isinstance(tick("after_a_share_close", "2026-12-31", 15), dg.RunRequest)


def land_live_parity(raw_zone: RawZone, day: str, cny_per_usd: float) -> None:
    """One day of eastmoney's parity as the live forex_hist_em asset lands it (CNY per unit)."""
    frame = pd.DataFrame(
        {
            "日期": [date.fromisoformat(day)] * 2,
            "代码": ["USDCNYC", "HKDCNYC"],
            "名称": ["美元人民币中间价", "港币人民币中间价"],
            "今开": [cny_per_usd, round(cny_per_usd / 7.8, 5)],
            "最新价": [cny_per_usd, round(cny_per_usd / 7.8, 5)],
            "最高": [cny_per_usd, round(cny_per_usd / 7.8, 5)],
            "最低": [cny_per_usd, round(cny_per_usd / 7.8, 5)],
            "_source_mode": "live",
            "_retrieved_at": f"{day}T08:00:00+00:00",
        }
    )
    raw_zone.land("forex_hist_em", frame, {"akshare_function": "forex_hist_em"}, day)


@pytest.mark.slow
def test_fx_fixings_past_the_last_known_session_read_unknown_calendar(tmp_path, landed_in_2027):
    raw_zone = RawZone(root=str(tmp_path / "raw"))
    assert dg.materialize([currency_boc_safe], resources={**SNAPSHOT, "raw_zone": raw_zone}).success
    for day, rate in (("2026-12-30", 7.05), ("2026-12-31", 7.06), ("2027-01-04", 7.07)):
        land_live_parity(raw_zone, day, rate)
    warehouse = tmp_path / "trillion_club.duckdb"
    models = "stg_calendar__sessions stg_fx__central_parity stg_fx__eastmoney_parity int_fx_fixings"
    run_dbt(warehouse, tmp_path / "raw", "build", "--select", *models.split())

    rows = query(
        warehouse,
        "select rate_date::varchar, next_fixing_due::varchar, calendar_status"
        " from intermediate.int_fx_fixings where currency = 'USD' and rate_date >= '2026-12-30'"
        " order by rate_date",
    )
    assert rows == [
        ("2026-12-30", "2026-12-31", "known"),
        ("2026-12-31", None, "unknown calendar"),  # when the next fixing is due is unknown
        ("2027-01-04", None, "unknown calendar"),
    ]
    # Within the horizon nothing changes: every SAFE fixing (2020 to mid-2025) has its due date.
    [(unknown_before_horizon,)] = query(
        warehouse,
        "select count(*) from intermediate.int_fx_fixings"
        " where rate_date < '2026-12-31'"
        " and (next_fixing_due is null or calendar_status <> 'known')",
    )
    assert unknown_before_horizon == 0
