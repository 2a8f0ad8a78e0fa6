"""A live trading day, from replayed HTTP through the daily live update to the marts.

2026-07-29 comes after every history in the snapshot ends, except the US prices and SAFE's
fixings (to 2026-07-28): its A-share and Hong Kong values can only come from the live quotes,
and its rates only from eastmoney's parity. The update runs the window the sensor that follows a
live landing asks for.
"""

from datetime import datetime
from decimal import Decimal

import akshare.utils.func
import dagster as dg
import pytest
import responses

from orchestration import settings
from orchestration.definitions import build_definitions
from orchestration.lib.trading_calendar import SHANGHAI
from orchestration.partitions import range_tags
from orchestration.resources import AkshareSource
from orchestration.sources.live import LiveSource
from orchestration.testing.akshare_replay import KLINE_URL, FakeTime
from tests.conftest import query
from tests.live.conftest import serve_pages

LIVE_DAY = "2026-07-29"  # a Wednesday: Shanghai and Hong Kong trade, New York traded on the 28th
HISTORY_DAY = "2025-06-30"  # the last day of the snapshot's A-share history
LIVE_DATASETS = ("stock_zh_a_spot_em", "stock_hk_spot_em", "stock_us_spot_em", "forex_hist_em")
FACT = "marts.fct_listing_market_cap_daily"


@pytest.fixture(scope="module")
def live_day(tmp_path_factory) -> dict:
    """The warehouse after a live landing of LIVE_DAY and the update its sensor requests."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        root = tmp_path_factory.mktemp("live_day")
        monkeypatch.setenv("WAREHOUSE_PATH", str(root / "trillion_club.duckdb"))
        monkeypatch.setenv("REPORTS_DIR", str(root / "reports"))
        for variable in ("RAW_ZONE_DIR", "SNAPSHOT_DIR", "BI_PATH"):
            monkeypatch.delenv(variable, raising=False)
        monkeypatch.setenv("SOURCE_MODE", "snapshot")
        monkeypatch.setattr(akshare.utils.func.time, "sleep", lambda seconds: None)  # pages
        instance = dg.DagsterInstance.ephemeral()
        # A quote of a day the history has, then the snapshot warehouse of that day (a build of
        # every partition would take minutes).
        assert land_live(instance, HISTORY_DAY, ["stock_zh_a_spot_em"]).success
        defs = build_definitions()
        build = defs.resolve_job_def("build_warehouse")
        one_day = range_tags(HISTORY_DAY, HISTORY_DAY)
        assert build.execute_in_process(instance=instance, tags=one_day).success

        landing = land_live(instance, LIVE_DAY, LIVE_DATASETS)
        assert landing.success
        request = update_request(defs, instance, landing)
        update = defs.resolve_job_def("update_warehouse")
        assert update.execute_in_process(instance=instance, tags=request.tags).success
        return {"warehouse": settings.warehouse_path(), "request": request}


def land_live(instance, day: str, datasets) -> dg.ExecuteInProcessResult:
    """The daily live update of `day`, every request answered from tests/fixtures/http."""
    fake_time = FakeTime()
    after_close = datetime.fromisoformat(day).replace(hour=16, minute=30, tzinfo=SHANGHAI)
    live = LiveSource(sleep=fake_time.sleep, monotonic=fake_time.monotonic, now=lambda: after_close)
    source = AkshareSource.with_live_source(live, snapshot_dir=str(settings.snapshot_dir()))
    akshare = dg.ResourceDefinition.hardcoded_resource(source)  # keeps the injected LiveSource
    job = build_definitions(akshare=akshare).resolve_job_def("daily_live_update")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as http:
        for name in (
            "clist_stock_zh_a_spot_em",
            "clist_stock_hk_spot_em",
            "clist_stock_us_spot_em",
        ):
            serve_pages(http, name)
        for name in ("kline_forex_USDCNYC", "kline_forex_HKDCNYC"):
            serve_pages(http, name, KLINE_URL)
        return job.execute_in_process(
            instance=instance,
            partition_key=day,
            asset_selection=[dg.AssetKey(["raw", name]) for name in datasets],
        )


def update_request(defs, instance, landing: dg.ExecuteInProcessResult) -> dg.RunRequest:
    """What the update_after_live_landing sensor requests for the landing run."""
    sensor = defs.resolve_sensor_def("update_after_live_landing")
    [success] = [e for e in landing.all_events if e.event_type_value == "PIPELINE_SUCCESS"]
    context = dg.build_run_status_sensor_context(
        sensor_name=sensor.name,
        dagster_instance=instance,
        dagster_run=landing.dagster_run,
        dagster_event=success,
    )
    request = sensor(context)
    assert isinstance(request, dg.RunRequest)
    return request


def listing_on(warehouse, listing_id: str, day: str) -> dict:
    columns = "market_cap_native, fx_cny_per_unit, fx_rate_source, market_cap_cny, value_source"
    rows = query(
        warehouse, f"select {columns} from {FACT} where listing_id = ? and trade_date = ?",
        listing_id, day,
    )  # fmt: skip
    return dict(zip(columns.split(", "), rows[0], strict=True)) if rows else {}


def test_the_sensor_rebuilds_the_landed_day_and_the_us_session_before_it(live_day):
    tags = live_day["request"].tags
    assert tags["dagster/asset_partition_range_start"] == "2026-07-28"
    assert tags["dagster/asset_partition_range_end"] == LIVE_DAY


def test_an_a_share_live_quote_lands_in_yuan(live_day):
    moutai = listing_on(live_day["warehouse"], "SSE:600519", LIVE_DAY)
    assert moutai["value_source"] == "daily_quote"
    assert moutai["market_cap_cny"] == Decimal("1884296700000")  # 总市值 in 元, not 亿


def test_a_hong_kong_quote_converts_at_eastmoneys_parity_when_safe_has_none(live_day):
    tencent = listing_on(live_day["warehouse"], "HKEX:00700", LIVE_DAY)
    assert tencent["value_source"] == "daily_quote"
    assert tencent["market_cap_native"] == Decimal("3531000000000")
    assert (tencent["fx_cny_per_unit"], tencent["fx_rate_source"]) == (
        Decimal("0.86634"),
        "forex_hist_em",
    )
    assert tencent["market_cap_cny"] == Decimal("3531000000000") * Decimal("0.86634")


def test_an_h_share_quote_is_not_taken_for_the_listings_value(live_day):
    # eastmoney's H-share 总市值 may be the whole company's: unverified, so not used.
    assert listing_on(live_day["warehouse"], "HKEX:01398", LIVE_DAY) == {}


def test_a_us_quote_is_dated_with_its_us_session_and_uses_safes_fixing(live_day):
    alibaba = listing_on(live_day["warehouse"], "NYSE:BABA", "2026-07-28")
    assert alibaba["value_source"] == "daily_quote"
    assert alibaba["market_cap_native"] == Decimal("194000000000")
    assert alibaba["fx_rate_source"] == "currency_boc_safe"


def test_live_members_count_in_the_clubs(live_day):
    members = query(
        live_day["warehouse"],
        "select club_id, company_id from marts.club_membership_daily"
        " where trade_date = ? and is_member order by all",
        LIVE_DAY,
    )
    assert ("a_share_trillion_cny", "kweichow_moutai") in members
    assert ("hk_trillion_hkd", "tencent") in members


def test_the_history_wins_over_a_live_quote_of_the_same_day(live_day):
    # Moutai's quote of HISTORY_DAY (1.884 trillion in the fixture) landed beside its history.
    moutai = listing_on(live_day["warehouse"], "SSE:600519", HISTORY_DAY)
    assert moutai["value_source"] == "history"
    assert moutai["market_cap_cny"] == Decimal("1770635923056")
