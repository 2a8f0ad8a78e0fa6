"""A live trading day, from replayed HTTP through the daily live update to the marts.

2026-07-29 comes after every history in the snapshot ends, except the US prices and SAFE's
fixings (to 2026-07-28): its A-share and Hong Kong values can only come from the live quotes,
and its rates only from eastmoney's parity. The update runs the window the sensor that follows a
live landing asks for.
"""

import io
from datetime import date, datetime
from decimal import Decimal

import akshare.utils.func
import dagster as dg
import pandas as pd
import pytest
import responses
import yaml

from orchestration import settings
from orchestration.definitions import build_definitions
from orchestration.lib.trading_calendar import SHANGHAI
from orchestration.partitions import month_of, range_tags
from orchestration.resources import AkshareSource
from orchestration.sources.live import LiveSource
from orchestration.testing.akshare_replay import KLINE_URL, FakeTime, fixture
from tests.conftest import query, seed_rows
from tests.live.conftest import serve_pages, xls_body

# Its tests share a module-scoped fixture: one xdist worker runs them all, building it once.
pytestmark = pytest.mark.xdist_group("live_day")

LIVE_DAY = "2026-07-29"  # a Wednesday: Shanghai and Hong Kong trade, New York traded on the 28th
HISTORY_DAY = "2025-06-30"  # the last day of the snapshot's A-share history
LIVE_DATASETS = ("stock_zh_a_spot_em", "stock_hk_spot_em", "stock_us_spot_em", "forex_hist_em")
# The Shenwan classification and level-1 names land with the quotes of HISTORY_DAY, so the build
# of that day takes every quoted A share's sector from them.
SHENWAN_DATASETS = ("stock_industry_clf_hist_sw", "sw_index_first_info")
FACT = "marts.fct_listing_market_cap_daily"


@pytest.fixture(scope="module")
def live_day(tmp_path_factory) -> dict:
    """The warehouse after a live landing of LIVE_DAY and the update its sensor requests.

    Its own one-day build, not a copy of the shared build: the Shenwan files must land before
    the build that reads them, the build's checks are asserted, and the update writes."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        root = tmp_path_factory.mktemp("live_day")
        monkeypatch.setenv("WAREHOUSE_PATH", str(root / "trillion_club.duckdb"))
        monkeypatch.setenv("REPORTS_DIR", str(root / "reports"))
        for variable in ("RAW_ZONE_DIR", "SNAPSHOT_DIR", "BI_PATH"):
            monkeypatch.delenv(variable, raising=False)
        monkeypatch.setenv("SOURCE_MODE", "snapshot")
        monkeypatch.setattr(akshare.utils.func.time, "sleep", lambda seconds: None)  # pages
        instance = dg.DagsterInstance.ephemeral()
        # A quote of a day the history has, then the snapshot warehouse of that day's month (a
        # build of every partition would take minutes).
        assert land_live(instance, HISTORY_DAY, ["stock_zh_a_spot_em", *SHENWAN_DATASETS]).success
        defs = build_definitions()
        build = defs.resolve_job_def("build_warehouse")
        history_month = month_of(date.fromisoformat(HISTORY_DAY))
        one_month = range_tags(history_month, history_month)
        built = build.execute_in_process(instance=instance, tags=one_month)
        assert built.success

        landing = land_live(instance, LIVE_DAY, LIVE_DATASETS)
        assert landing.success
        request = update_request(defs, instance, landing)
        update = defs.resolve_job_def("update_warehouse")
        assert update.execute_in_process(instance=instance, tags=request.tags).success
        checks = {e.check_name: e for e in built.get_asset_check_evaluations()}
        return {"warehouse": settings.warehouse_path(), "request": request, "checks": checks}


def land_live(instance, day: str, datasets) -> dg.ExecuteInProcessResult:
    """The daily live update of `day` (a run over its month, at 16:30 that day), every request
    answered from tests/fixtures/http."""
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
        shenwan = fixture("shenwan_stock_industry_clf_hist_sw")
        legulegu = fixture("legulegu_sw_index_first_info")
        http.get(shenwan["url"], body=xls_body(), content_type="application/vnd.ms-excel")
        http.get(legulegu["url"], body=legulegu["html"], content_type="text/html; charset=utf-8")
        return job.execute_in_process(
            instance=instance,
            partition_key=month_of(date.fromisoformat(day)),
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


def test_the_sensor_rebuilds_the_month_of_the_landed_day_and_the_us_session_before_it(live_day):
    # 2026-07-29 and the US session of 07-28 are both in July.
    tags = live_day["request"].tags
    assert tags["dagster/asset_partition_range_start"] == "2026-07-01"
    assert tags["dagster/asset_partition_range_end"] == "2026-07-01"


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


def test_the_days_update_brings_the_dimensions_up_to_the_landed_day(live_day):
    # dim_listing is a table: unless the update rebuilds it, it still says the build's day.
    quoted = {
        (market, row["f12"])
        for market, name in (("a_share", "stock_zh_a_spot_em"), ("hong_kong", "stock_hk_spot_em"))
        for page in fixture(f"clist_{name}")["pages"]
        for row in page["data"]["diff"]
        if row["f20"] != "-"
    }
    last_seen = query(
        live_day["warehouse"],
        "select market, symbol, last_seen_date from marts.dim_listing"
        " where market in ('a_share', 'hong_kong')",
    )
    assert {(market, symbol) for market, symbol, _ in last_seen} >= quoted
    stale = {
        (market, symbol, seen)
        for market, symbol, seen in last_seen
        if (market, symbol) in quoted and seen != date.fromisoformat(LIVE_DAY)
    }
    assert not stale


def test_the_history_wins_over_a_live_quote_of_the_same_day(live_day):
    # Moutai's quote of HISTORY_DAY (1.884 trillion in the fixture) landed beside its history.
    moutai = listing_on(live_day["warehouse"], "SSE:600519", HISTORY_DAY)
    assert moutai["value_source"] == "history"
    assert moutai["market_cap_cny"] == Decimal("1770635923056")


def expected_shenwan_sectors(day: date) -> dict[str, str]:
    """The replayed file read on its own (xlrd, no akshare): each code's row with the latest
    start_date on or before `day`, named by its code's first 2 digits through the seed; a row
    of the older scheme (before the SW-2021 start the dbt project names) is unclassified."""
    frame = pd.read_excel(io.BytesIO(xls_body()), dtype=str)
    frame["计入日期"] = pd.to_datetime(frame["计入日期"]).dt.date
    in_force = frame[frame["计入日期"] <= day].sort_values("计入日期").groupby("股票代码").last()
    names = {row["code_prefix"]: row["sw_level1"] for row in seed_rows("sw2021_level1_codes")}
    project = yaml.safe_load((settings.DBT_PROJECT_DIR / "dbt_project.yml").read_text("utf-8"))
    sw2021_start = date.fromisoformat(project["vars"]["sw2021_first_start_date"])
    return {
        symbol: names[row["行业代码"][:2]] if row["计入日期"] >= sw2021_start else "unclassified"
        for symbol, row in in_force.iterrows()
    }


def test_every_quoted_a_share_takes_its_sector_from_the_live_shenwan_file(live_day):
    expected = expected_shenwan_sectors(date.fromisoformat(HISTORY_DAY))
    assert "unclassified" in expected.values() and len(set(expected.values())) > 2
    live_sectors = query(
        live_day["warehouse"],
        "select symbol, sector_l1 from intermediate.int_a_share_sw_sectors"
        " where classification_source = 'stock_industry_clf_hist_sw'",
    )
    assert dict(live_sectors) == expected  # every code of the file, in force on the landing day
    pages = fixture("clist_stock_zh_a_spot_em")["pages"]
    # A quote without 总市值 (a delisted code) gives no listing value, so no listing.
    quoted = {row["f12"] for page in pages for row in page["data"]["diff"] if row["f20"] != "-"}
    rows = query(
        live_day["warehouse"],
        """
        select listings.symbol, companies.sector_l1, companies.is_seeded
        from marts.dim_listing as listings
        join marts.dim_company as companies
          on listings.company_id = companies.company_id and listings.counts_toward_company
        where listings.market = 'a_share' and listings.symbol in (select unnest(?))
        """,
        sorted(quoted),
    )
    assert {symbol for symbol, _, _ in rows} == quoted
    assert any(not is_seeded for _, _, is_seeded in rows)
    for symbol, company_sector, is_seeded in rows:
        if not is_seeded:  # a seeded company's curated class wins (dim_company)
            assert company_sector == expected[symbol], symbol


def check(live_day, name: str):
    [evaluation] = [e for check, e in live_day["checks"].items() if name in check]
    return evaluation


def test_a_live_code_of_the_older_scheme_is_listed_by_a_warn_check(live_day):
    unmapped = check(live_day, "sw_codes_not_mapped_to_a_level1_name")
    assert not unmapped.passed and unmapped.severity == dg.AssetCheckSeverity.WARN
    # The replayed page's 31 level-1 indices agree with the seed's codes and names.
    assert check(live_day, "sw2021_level1_codes_match_sw_index_first_info").passed
