"""A full materialisation of every asset on the embedded snapshot, checked against public facts.

The expected figures are published market facts (SAFE central parity fixings, exchange closes
and share counts), not numbers read from the files the pipeline reads.
"""

import shutil
from decimal import Decimal
from pathlib import Path

import dagster as dg
import pytest

from orchestration import settings
from orchestration.assets.warehouse import full_refresh_run_config
from orchestration.cli.demo import failures, run_build
from orchestration.definitions import build_definitions
from orchestration.lib.dbt_steps import DAILY_UPDATE_SELECTOR, DAILY_UPDATE_STEPS, DBT_BUILD_FLAGS
from orchestration.lib.fingerprint import marts_fingerprint
from tests.conftest import (
    DAILY_MARTS,
    checks_without_result,
    published_marts,
    query,
    run_dbt,
    seed_listings,
    seed_rows,
    snapshot_a_share_quote_codes,
)


def test_every_mart_is_built_with_rows(built_warehouse):
    counts = marts_fingerprint(built_warehouse)
    for table in (
        "dim_company",
        "dim_listing",
        "fct_listing_market_cap_daily",
        "fct_company_market_cap_daily",
        "club_membership_daily",
        "club_events",
        "club_composition",
    ):
        assert counts[table][0] > 0, table
    # Every listing of the data or the seed; every seeded company and one per listing no seed
    # names (counted from the files, not the marts).
    seeded, seen = seed_listings(), snapshot_a_share_quote_codes()
    assert counts["dim_listing"][0] == len(seeded | seen)
    assert counts["dim_company"][0] == len(seed_rows("companies")) + len(seen - seeded)


def test_every_check_declared_on_a_built_asset_reports_a_result(build):
    # A blocking check that never runs cannot block: each dbt test and GX expectation declared
    # on an asset the build materialised must have evaluated in that run.
    assert checks_without_result(build.events) == set()
    assert [message for message in build.warnings if "emitted no result" in message] == []


def test_a_share_value_comes_through_in_yuan(built_warehouse):
    # CATL closed at 588.00 yuan on 2021-12-31 with 2,329,010,000 shares: 1.369 tn yuan.
    [(value, currency, rate)] = query(
        built_warehouse,
        "select market_cap_cny, currency, fx_cny_per_unit from marts.fct_listing_market_cap_daily"
        " where listing_id = 'SZSE:300750' and trade_date = '2021-12-31'",
    )
    assert value == Decimal("588.00") * 2_329_010_000
    assert (currency, rate) == ("CNY", 1)


def test_hong_kong_value_converts_at_the_safe_central_parity(built_warehouse):
    # SAFE's published fixing on 2024-12-31: 92.604 yuan per 100 HKD.
    [(native, rate, rate_date, cny)] = query(
        built_warehouse,
        "select market_cap_native, fx_cny_per_unit, fx_rate_date, market_cap_cny"
        " from marts.fct_listing_market_cap_daily"
        " where listing_id = 'HKEX:00700' and trade_date = '2024-12-31'",
    )
    assert rate == Decimal("0.92604")
    assert str(rate_date) == "2024-12-31"
    assert cny == native * Decimal("0.92604")


def test_hong_kong_trades_on_a_mainland_holiday_with_the_last_fixing(built_warehouse):
    # Shanghai was closed 2025-01-28 to 2025-02-04 for the Lunar New Year; Hong Kong reopened on
    # 2025-01-31. The last fixing before the holiday (2025-01-27) applies, and is not stale.
    [(rate_date, rate)] = query(
        built_warehouse,
        "select fx_rate_date, fx_cny_per_unit from marts.fct_listing_market_cap_daily"
        " where listing_id = 'HKEX:00700' and trade_date = '2025-02-04'",
    )
    assert str(rate_date) == "2025-01-27"
    assert rate is not None


def test_the_a_share_club_at_the_end_of_2020(built_warehouse):
    # Eight A shares were worth at least 1 trillion yuan at the 2020 close (exchange data).
    members = query(
        built_warehouse,
        "select company_id from marts.club_membership_daily where club_id = 'a_share_trillion_cny'"
        " and trade_date = '2020-12-31' and is_member order by company_id",
    )
    assert [m for (m,) in members] == sorted(
        [
            "kweichow_moutai",
            "icbc",
            "ping_an",
            "ccb",
            "wuliangye",
            "china_merchants_bank",
            "agricultural_bank",
            "china_life",
        ]
    )


def test_byd_joins_the_a_share_club_on_valentines_day_2025(built_warehouse):
    # BYD closed at 341.30 on 2025-02-13 and 356.05 on 2025-02-14, with 2,909,265,855 shares.
    events = query(
        built_warehouse,
        "select event_date::varchar, event_type from marts.club_events"
        " where club_id = 'a_share_trillion_cny' and company_id = 'byd'"
        " and event_date between '2025-02-13' and '2025-02-14' order by event_date",
    )
    assert events == [("2025-02-13", "exit"), ("2025-02-14", "entry")]


# BYD's 2024 profit distribution (送8股, 转增12股 per 10 shares: each share became three) went
# ex on 2025-06-10 for the H shares and on 2025-07-29 for the A shares. In between, the vendor's
# 总股本 already counts the tripled H shares while the A price is still cum-entitlement; the
# whole company at the A price is its 3,039,065,855 pre-issue shares (the announcement's base).
BYD_PRE_ISSUE_SHARES = 3_039_065_855
BYD_CLOSE_2025_06_30 = Decimal("331.91")
BYD_VENDOR_SHARES = 5_494_665_855  # the vendor's 总股本 from 2025-06-10 (PROVENANCE.md §2)


def test_byd_is_valued_at_its_pre_issue_shares_until_the_a_shares_go_ex(built_warehouse):
    [(value, is_derived, derivation)] = query(
        built_warehouse,
        "select market_cap_cny, is_derived, derivation from marts.fct_listing_market_cap_daily"
        " where listing_id = 'SZSE:002594' and trade_date = '2025-06-30'",
    )
    assert value == BYD_CLOSE_2025_06_30 * BYD_PRE_ISSUE_SHARES  # 1.009 tn, not 1.824 tn
    assert is_derived
    assert all(fact in derivation for fact in ("3039065855", "2025-06-10", "2025-07-29"))


def test_the_raw_zone_keeps_the_vendor_figure_for_byd(built_warehouse):
    raw = built_warehouse.parent / "raw" / "stock_value_em" / "*.parquet"
    [(landed,)] = query(
        built_warehouse,
        f"select \"总市值\"::decimal(38, 2) from read_parquet('{raw}')"
        " where _symbol = '002594' and \"数据日期\"::date = '2025-06-30'",
    )
    [(staged,)] = query(
        built_warehouse,
        "select vendor_market_cap_cny from staging.stg_a_share__market_value"
        " where symbol = '002594' and trade_date = '2025-06-30'",
    )
    assert landed == staged == BYD_CLOSE_2025_06_30 * BYD_VENDOR_SHARES


def test_byd_stays_in_the_a_share_club_through_june_2025_at_its_corrected_value(built_warehouse):
    # At the A price BYD was worth 1.009-1.100 tn every session of June 2025 (331.91 on 06-30 is
    # the low): a member throughout, with no exit or entry, at about half the vendor's figure.
    june = query(
        built_warehouse,
        "select trade_date::varchar, is_member, market_cap_club_ccy"
        " from marts.club_membership_daily"
        " where club_id = 'a_share_trillion_cny' and company_id = 'byd'"
        " and trade_date between '2025-06-01' and '2025-06-30' order by trade_date",
    )
    assert len(june) == 20 and all(is_member for _, is_member, _ in june)
    assert june[-1] == ("2025-06-30", True, BYD_CLOSE_2025_06_30 * BYD_PRE_ISSUE_SHARES)
    assert max(value for _, _, value in june) < Decimal("1.11e12")
    events = query(
        built_warehouse,
        "select event_date from marts.club_events where company_id = 'byd'"
        " and event_date between '2025-06-01' and '2025-06-30'",
    )
    assert events == []


def test_byd_2025_return_is_on_its_corrected_value(built_warehouse):
    [(start, return_pct)] = query(
        built_warehouse,
        "select start_value.market_cap_cny, movers.return_pct from marts.top_movers as movers"
        " join marts.fct_listing_market_cap_daily as start_value"
        "   on start_value.listing_id = movers.listing_id"
        "   and start_value.trade_date = '2024-12-31'"
        " where movers.listing_id = 'SZSE:002594' and movers.calendar_year = 2025",
    )
    end = BYD_CLOSE_2025_06_30 * BYD_PRE_ISSUE_SHARES
    assert float(return_pct) == pytest.approx(float((end / start - 1) * 100), abs=1e-4)


def test_xiaomi_joins_the_hong_kong_club_in_hkd(built_warehouse):
    [(first_day,)] = query(
        built_warehouse,
        "select min(trade_date)::varchar from marts.club_membership_daily"
        " where club_id = 'hk_trillion_hkd' and company_id = 'xiaomi' and is_member"
        " and trade_date >= '2025-01-01'",
    )
    assert first_day == "2025-02-06"


def test_derived_figures_stay_marked(built_warehouse):
    # Every Hong Kong close in the snapshot was rebuilt from adjusted prices (PROVENANCE.md §3);
    # the A-share closes of Moutai come straight from the exchange (Sina raw bars).
    [(hk_observed,)] = query(
        built_warehouse,
        "select count(*) from marts.fct_listing_market_cap_daily"
        " where listing_id like 'HKEX:%' and not is_derived",
    )
    [(moutai_derived,)] = query(
        built_warehouse,
        "select count(*) from marts.fct_listing_market_cap_daily"
        " where listing_id = 'SSE:600519' and is_derived",
    )
    assert (hk_observed, moutai_derived) == (0, 0)


def test_a_plus_h_company_value_is_not_double_counted(built_warehouse):
    # ICBC's A-share 总市值 already counts its H shares; the company equals that figure alone.
    [(company, a_share, h_share)] = query(
        built_warehouse,
        "select c.market_cap_cny, a.market_cap_cny, h.market_cap_cny"
        " from marts.fct_company_market_cap_daily c"
        " join marts.fct_listing_market_cap_daily a on a.trade_date = c.trade_date"
        "   and a.listing_id = 'SSE:601398'"
        " join marts.fct_listing_market_cap_daily h on h.trade_date = c.trade_date"
        "   and h.listing_id = 'HKEX:01398'"
        " where c.company_id = 'icbc' and c.trade_date = '2024-12-31'",
    )
    assert company == a_share
    assert h_share > 0


def test_successful_dbt_steps_leave_no_target_directory_behind(build):
    # dagster-dbt names a dbt call's directory <step>-<run id>-<uuid>; the run succeeded.
    run = build.run_id[:7]
    target = settings.DBT_PROJECT_DIR / "target"  # each xdist worker's under it
    assert [path.name for path in target.rglob(f"*{run}*")] == []


@pytest.mark.slow
def test_materialising_again_gives_the_same_marts(build_copy):
    # The copy is a first materialisation (the shared build's, from an empty directory). The
    # second run is incremental: every month's days deleted and rebuilt.
    first = marts_fingerprint(settings.warehouse_path())
    assert run_build(dg.DagsterInstance.ephemeral()).success
    assert marts_fingerprint(settings.warehouse_path()) == first


@pytest.mark.slow
def test_materialising_from_scratch_gives_the_same_marts(build_copy):
    # A full refresh, as the Launchpad's config asks for it, drops and rebuilds every table.
    first = marts_fingerprint(settings.warehouse_path())
    assert run_build(dg.DagsterInstance.ephemeral(), run_config=full_refresh_run_config()).success
    assert marts_fingerprint(settings.warehouse_path()) == first


@pytest.mark.slow
def test_a_month_partition_rebuilds_its_days_to_the_same_marts(build_copy):
    # A copy of the shared build: the update writes to it. The update reads nothing of the
    # build's Dagster instance, so a fresh one stands in for it.
    first = marts_fingerprint(settings.warehouse_path())
    update = build_definitions().resolve_job_def("update_warehouse")
    month = update.execute_in_process(
        instance=dg.DagsterInstance.ephemeral(), partition_key="2025-06-01"
    )
    assert month.success
    assert checks_without_result(month.all_events) == set()
    # Every day of the month rebuilt: its rows in the window metadata, and events/composition
    # rebuilt from its first day on.
    facts = materialization(month, "marts/fct_listing_market_cap_daily")
    assert facts["window"].value == "2025-06-01..2025-06-30"
    [(june_rows,)] = query(
        settings.warehouse_path(),
        "select count(*) from marts.fct_listing_market_cap_daily"
        " where trade_date between '2025-06-01' and '2025-06-30'",
    )
    assert facts["rows_in_window"].value == june_rows > 0
    assert june_rows < facts["dagster/row_count"].value / 50
    assert marts_fingerprint(settings.warehouse_path()) == first
    # The BI copy: the build's publication with the month's days of the daily marts replaced.
    bi = materialization(month, "bi/trillion_club_bi")
    assert bi["window"].value == "2025-06-01..2025-06-30"
    copied = {row.data["table"]: row.data["copied"] for row in bi["tables"].records}
    assert {table for table, how in copied.items() if how == "window"} == DAILY_MARTS
    assert published_marts(settings.bi_path()) == first
    # Its first dbt step parsed anew (another warehouse path than `make manifest` parsed with)
    # and left that parse for the next: a dbt call on this warehouse starts without parsing.
    listed = run_dbt(settings.warehouse_path(), settings.raw_zone_dir(), "ls", "-s", "dim_company")
    assert "Unable to do partial parsing" not in listed.stdout


@pytest.mark.slow
def test_a_range_of_months_across_a_year_end_rebuilds_in_one_run(build_copy):
    # A single-run backfill of a range of months, as the UI launches it.
    first = marts_fingerprint(settings.warehouse_path())
    update = build_definitions().resolve_job_def("update_warehouse")
    months = {
        "dagster/asset_partition_range_start": "2020-12-01",
        "dagster/asset_partition_range_end": "2021-03-01",
    }
    result = update.execute_in_process(instance=dg.DagsterInstance.ephemeral(), tags=months)
    assert result.success
    # One materialisation per month of the range, each of the one dbt call over all four.
    facts = materializations_of(result, "marts/fct_listing_market_cap_daily")
    windows = [metadata["window"].value for metadata in facts]
    assert windows == ["2020-12-01..2021-03-31"] * 4
    assert marts_fingerprint(settings.warehouse_path()) == first


@pytest.mark.slow
def test_a_full_refresh_of_only_some_months_is_refused_before_anything_is_dropped(build_copy):
    # A copy of the shared build: were the refusal broken, the run would drop tables of it.
    first = marts_fingerprint(settings.warehouse_path())
    update = build_definitions().resolve_job_def("update_warehouse")
    result = update.execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        partition_key="2025-06-01",
        run_config=full_refresh_run_config(DAILY_UPDATE_STEPS),
        raise_on_error=False,
    )
    assert not result.success
    assert "full_refresh needs every partition" in " ".join(failures(result))
    assert marts_fingerprint(settings.warehouse_path()) == first


@pytest.mark.slow
def test_the_first_day_of_a_year_turns_the_year_before_into_a_calendar_year(build, tmp_path):
    # Built through 2024-12-31, 2024 is each market's year to date; a one-day run on 2025-01-02
    # must turn it into a calendar year (int_listing_period_values rebuilds by year) and leave
    # every table as a build through 2025-01-02 does.
    day, full = tmp_path / "day" / build.warehouse.name, tmp_path / "full" / build.warehouse.name
    for warehouse in (day, full):
        warehouse.parent.mkdir()
        shutil.copy(build.warehouse, warehouse)
    raw = build.warehouse.parent / "raw"
    dbt_window(day, raw, "2020-01-01", "2024-12-31", "run", "--full-refresh")
    assert period_types(day, 2024) == {"year_to_date"}
    dbt_window(day, raw, "2025-01-02", "2025-01-02", "build", *DBT_BUILD_FLAGS)
    assert period_types(day, 2024) == {"calendar_year"}
    assert period_types(day, 2025) == {"year_to_date"}
    dbt_window(full, raw, "2020-01-01", "2025-01-02", "run", "--full-refresh")
    assert marts_fingerprint(day) == marts_fingerprint(full)
    assert query(day, PERIOD_VALUES) == query(full, PERIOD_VALUES)


@pytest.mark.slow
def test_a_day_after_the_gap_or_after_an_exit_rebuilds_to_the_same_events(build, tmp_path):
    # The whole-market quotes start on 2026-06-02, eleven months after the per-listing history
    # ends. A one-day run on that day finds each company's last 2025 observation through the
    # events already built, and must mark the same events after the gap as a build through it.
    # A one-day run on the last day dates an entry from the day before, also for a company that
    # left the club before the window (its last member day is not its last observation).
    day, full = tmp_path / "day" / build.warehouse.name, tmp_path / "full" / build.warehouse.name
    for warehouse in (day, full):
        warehouse.parent.mkdir()
        shutil.copy(build.warehouse, warehouse)
    raw = build.warehouse.parent / "raw"
    dbt_window(day, raw, "2020-01-01", "2026-06-01", "run", "--full-refresh")
    dbt_window(day, raw, "2026-06-02", "2026-06-02", "build", *DBT_BUILD_FLAGS)
    dbt_window(full, raw, "2020-01-01", "2026-06-02", "run", "--full-refresh")
    after_gap = query(day, EVENTS + " where event_date = '2026-06-02'")
    assert after_gap and all(is_after_gap for *_, is_after_gap in after_gap)
    assert marts_fingerprint(day) == marts_fingerprint(full)
    assert query(day, EVENTS + " order by all") == query(full, EVENTS + " order by all")
    dbt_window(day, raw, "2026-06-03", "2026-07-28", "build", *DBT_BUILD_FLAGS)
    dbt_window(day, raw, "2026-07-29", "2026-07-29", "build", *DBT_BUILD_FLAGS)
    assert marts_fingerprint(day) == marts_fingerprint(build.warehouse)
    assert query(day, EVENTS + " order by all") == query(build.warehouse, EVENTS + " order by all")


PERIOD_VALUES = "select * from intermediate.int_listing_period_values order by all"
EVENTS = (
    "select club_id, company_id, event_date, event_type, previous_observation_date, is_after_gap"
    " from marts.club_events"
)


def dbt_window(warehouse: Path, raw: Path, first: str, last: str, *command: str) -> None:
    """The daily update's dbt selection on `warehouse`, with the window first..last."""
    window = {"TRADE_DATE_FROM": first, "TRADE_DATE_TO": last}
    run_dbt(warehouse, raw, *command, "--selector", DAILY_UPDATE_SELECTOR, env=window)


def period_types(warehouse: Path, year: int) -> set[str]:
    rows = query(
        warehouse,
        "select distinct period_type from intermediate.int_listing_period_values"
        " where calendar_year = ?",
        year,
    )
    return {period_type for (period_type,) in rows}


def materialization(result: dg.ExecuteInProcessResult, key: str) -> dict:
    [metadata] = materializations_of(result, key)
    return metadata


def materializations_of(result: dg.ExecuteInProcessResult, key: str) -> list[dict]:
    """The metadata of each materialisation of asset `key` in the run (one per partition)."""
    return [
        event.materialization.metadata
        for event in result.get_asset_materialization_events()
        if event.asset_key.to_user_string() == key
    ]
