"""The great-expectations gates: each injected fault fails its gate and names the offending rows;
the clean snapshot passes every ERROR gate; a blocking failure in a real Dagster run stops the
club marts.

Faults are injected into a small DuckDB world with the warehouse's table names (fast); the
end-to-end test damages a copy of the snapshot and runs the real build_warehouse job.
"""

from __future__ import annotations

from datetime import date, timedelta

import dagster as dg
import duckdb
import pytest

from expectations import SUITES, conversion, fx_rates, thresholds
from expectations.docs import build_data_docs
from expectations.gates import ALL, ERROR, SAMPLE_ROWS, WARN, Suite, Window, run_suite
from orchestration.checks.gx import gx_checks
from orchestration.cli.demo import failures, run_build
from orchestration.partitions import every_partition, range_tags
from orchestration.resources import warehouse_reader
from tests.conftest import seed_rows

# A small world: March 2025 on the mainland calendar, with a 7-session mainland holiday
# (03-17 .. 03-25) during which Hong Kong trades on the last fixing before it.
SMALL_WORLD = """
create schema staging;
create schema intermediate;
create schema reference;
create schema marts;

create table staging.stg_calendar__sessions as
select 'XSHG' as exchange, day::date as session_date
from generate_series(date '2025-03-03', date '2025-03-31', interval 1 day) as t (day)
where isodow(day) <= 5 and day not between date '2025-03-17' and date '2025-03-25';

create table intermediate.int_fx_fixings as
with sessions as (
    select session_date, row_number() over (order by session_date) as n
    from staging.stg_calendar__sessions
),

rates as (
    select session_date, (7.17 + 0.001 * n)::decimal(18, 7) as cny_per_usd from sessions
)

select
    rates.session_date as rate_date,
    currencies.currency,
    case currencies.currency
        when 'USD' then rates.cny_per_usd
        else round(rates.cny_per_usd / 7.80, 5)::decimal(18, 7)
    end as fx_cny_per_unit,
    false as is_derived,
    null::varchar as derivation,
    (
        select min(later.session_date) from sessions as later
        where later.session_date > rates.session_date
    ) as next_fixing_due,
    'known' as calendar_status
from rates
cross join (values ('USD'), ('HKD')) as currencies (currency);

-- No sourced correction in this world: every value is the vendor's.
create table staging.stg_a_share__market_value (
    symbol varchar, trade_date date, vendor_market_cap_cny decimal(38, 2)
);

create table marts.dim_listing (listing_id varchar, market varchar, symbol varchar);
insert into marts.dim_listing values
    ('SSE:600519', 'a_share', '600519'), ('HKEX:00700', 'hong_kong', '00700');

create table reference.listings (listing_id varchar, company_id varchar, currency varchar);
insert into reference.listings values
    ('SSE:600519', 'moutai', 'CNY'), ('HKEX:00700', 'tencent', 'HKD');

create table reference.clubs (club_id varchar, threshold decimal(38, 2), currency varchar);
insert into reference.clubs values
    ('a_share_trillion_cny', 1000000000000, 'CNY'), ('hk_trillion_hkd', 1000000000000, 'HKD');

-- Moutai steps 0.98, 0.99, 1.00 (exactly the threshold), 1.01, 1.02 tn CNY and round again;
-- Tencent trades every weekday, on the mainland holiday too.
create table marts.fct_listing_market_cap_daily as
with days as (
    select day::date as trade_date, row_number() over (order by day) - 1 as i
    from generate_series(date '2025-03-03', date '2025-03-31', interval 1 day) as t (day)
    where isodow(day) <= 5
),

native as (
    select listing_id, company_id, currency, trade_date,
        case currency
            when 'CNY' then 1000000000000 + (i % 5 - 2) * 10000000000
            else 4000000000000 + i * 1000000000
        end::decimal(38, 2) as market_cap_native
    from days
    cross join reference.listings
    where
        currency = 'HKD'
        or trade_date in (select session_date from staging.stg_calendar__sessions)
),

as_of as (
    select native.*, fixings.rate_date, fixings.fx_cny_per_unit as rate
    from native
    asof left join intermediate.int_fx_fixings as fixings
        on native.currency = fixings.currency and native.trade_date >= fixings.rate_date
)

select
    listing_id,
    company_id,
    trade_date,
    market_cap_native,
    currency,
    case when currency = 'CNY' then 1 else rate end::decimal(18, 7) as fx_cny_per_unit,
    case when currency <> 'CNY' then rate_date end as fx_rate_date,
    (market_cap_native * case when currency = 'CNY' then 1 else rate end)::decimal(38, 4)
        as market_cap_cny,
    false as is_derived,
    null::varchar as derivation
from as_of;

create table marts.club_membership_daily as
select
    clubs.club_id,
    fct.trade_date,
    fct.company_id,
    fct.listing_id,
    fct.market_cap_native as market_cap_club_ccy,
    clubs.currency as club_currency,
    clubs.threshold,
    fct.market_cap_native >= clubs.threshold as is_member
from marts.fct_listing_market_cap_daily as fct
inner join reference.clubs on fct.currency = clubs.currency;

create table marts.club_events as
with flagged as (
    select *, lag(is_member) over (partition by club_id, company_id order by trade_date) as was
    from marts.club_membership_daily
)
select
    club_id, company_id, listing_id, trade_date as event_date,
    case when is_member then 'entry' else 'exit' end as event_type
from flagged
where is_member <> was;
"""


@pytest.fixture
def small_world() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute(SMALL_WORLD)
    yield connection
    connection.close()


def as_text(value) -> str:
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)


def outcome(connection, suite: Suite, window: Window = ALL) -> dict[str, tuple[bool, list[tuple]]]:
    """gate name -> (passed, the row keys of the failing rows it names)."""
    return {
        result.gate.name: (
            result.passed,
            [
                tuple(map(as_text, row))
                for row in result.failing_rows[list(suite.row_key)].itertuples(index=False)
            ],
        )
        for result in run_suite(connection, suite, window)
    }


@pytest.mark.parametrize("suite", SUITES, ids=lambda s: s.name)
def test_the_clean_small_world_passes_every_gate(small_world, suite):
    failed = {
        name: rows for name, (passed, rows) in outcome(small_world, suite).items() if not passed
    }
    assert failed == {}


def test_hong_kong_on_an_old_fixing_over_a_mainland_holiday_is_not_stale(small_world):
    # 2025-03-25 is 11 days after the last fixing (03-14), but no later fixing was due yet.
    [(rate_date, age)] = small_world.execute(
        "select fx_rate_date::varchar, trade_date - fx_rate_date"
        " from marts.fct_listing_market_cap_daily"
        " where listing_id = 'HKEX:00700' and trade_date = '2025-03-25'"
    ).fetchall()
    assert (rate_date, age) == ("2025-03-14", 11)
    assert outcome(small_world, conversion.SUITE)["fx_rate_is_fresh"] == (True, [])


FCT = "marts.fct_listing_market_cap_daily"
FIXINGS = "intermediate.int_fx_fixings"
MEMBERSHIP = "marts.club_membership_daily"
OLD_HKD = (
    f"select fx_cny_per_unit from {FIXINGS} where currency = 'HKD' and rate_date = '2025-03-03'"
)

FAULTS: dict[str, tuple[str, Suite, str, list[tuple]]] = {
    # fault: (SQL that injects it, suite, gate that must fail, rows it must name)
    "yuan_read_as_yi": (
        f"update {FCT} set market_cap_native = market_cap_native * 100000000,"
        " market_cap_cny = market_cap_cny * 100000000"
        " where listing_id = 'SSE:600519' and trade_date = '2025-03-10'",
        conversion.SUITE,
        "cny_value_within_1e5_to_1e14",
        [("SSE:600519", "2025-03-10")],
    ),
    "yi_read_as_yuan": (
        f"update {FCT} set market_cap_native = market_cap_native / 100000000,"
        " market_cap_cny = market_cap_cny / 100000000"
        " where listing_id = 'SSE:600519' and trade_date = '2025-03-10'",
        conversion.SUITE,
        "cny_value_within_1e5_to_1e14",
        [("SSE:600519", "2025-03-10")],
    ),
    "hkd_value_treated_as_cny": (
        f"update {FCT} set fx_cny_per_unit = 1, market_cap_cny = market_cap_native"
        " where listing_id = 'HKEX:00700' and trade_date = '2025-03-12'",
        conversion.SUITE,
        "rate_is_the_as_of_fixing_of_the_listing_currency",
        [("HKEX:00700", "2025-03-12")],
    ),
    "a_week_of_fixings_missing": (
        f"delete from {FIXINGS} where rate_date between '2025-03-10' and '2025-03-14'",
        fx_rates.SUITE,
        "no_two_sessions_in_a_row_without_fixing",
        [("2025-03-11",), ("2025-03-12",), ("2025-03-13",), ("2025-03-14",)],
    ),
    "a_stale_rate_used": (
        # 2025-03-31 converted at the 2025-03-03 fixing although fixings were due since.
        f"update {FCT} set fx_rate_date = '2025-03-03', fx_cny_per_unit = ({OLD_HKD}),"
        f" market_cap_cny = market_cap_native * ({OLD_HKD})"
        " where listing_id = 'HKEX:00700' and trade_date = '2025-03-31'",
        conversion.SUITE,
        "fx_rate_is_fresh",
        [("HKEX:00700", "2025-03-31")],
    ),
    "a_duplicated_fixing": (
        f"insert into {FIXINGS} select * from {FIXINGS}"
        " where currency = 'USD' and rate_date = '2025-03-12'",
        fx_rates.SUITE,
        "one_fixing_per_currency_and_date",
        [("2025-03-12",), ("2025-03-12",)],
    ),
    "threshold_applied_with_greater_than": (
        f"update {MEMBERSHIP} set is_member = market_cap_club_ccy > threshold",
        thresholds.MEMBERSHIP,
        "is_member_is_value_at_least_threshold",
        # Moutai is worth exactly 1 tn CNY on every fifth weekday from 2025-03-05.
        [
            ("a_share_trillion_cny", "2025-03-05", "moutai"),
            ("a_share_trillion_cny", "2025-03-12", "moutai"),
            ("a_share_trillion_cny", "2025-03-26", "moutai"),
        ],
    ),
    "a_member_flag_flipped": (
        f"update {MEMBERSHIP} set is_member = not is_member"
        " where company_id = 'tencent' and trade_date = '2025-03-20'",
        thresholds.MEMBERSHIP,
        "is_member_is_value_at_least_threshold",
        [("hk_trillion_hkd", "2025-03-20", "tencent")],
    ),
    "flag_flipped_without_events": (
        f"update {MEMBERSHIP} set is_member = not is_member"
        " where company_id = 'tencent' and trade_date = '2025-03-20'",
        thresholds.EVENTS,
        "events_match_membership_flags",
        [
            ("hk_trillion_hkd", "tencent", "2025-03-20"),
            ("hk_trillion_hkd", "tencent", "2025-03-21"),
        ],
    ),
    "an_exit_lost": (
        "delete from marts.club_events where event_date = '2025-03-10'",
        thresholds.EVENTS,
        "events_alternate_entry_exit",
        [("a_share_trillion_cny", "moutai", "2025-03-12")],
    ),
    "usd_rate_outside_the_peg_band": (
        # 2% more yuan per dollar: still a plausible USD rate, but no longer consistent with HKD.
        f"update {FIXINGS} set fx_cny_per_unit = fx_cny_per_unit * 1.02"
        " where currency = 'USD' and rate_date = '2025-03-07'",
        fx_rates.SUITE,
        "hkd_peg_holds",
        [("2025-03-07",)],
    ),
}


@pytest.mark.parametrize(("fault", "suite", "gate", "rows"), FAULTS.values(), ids=FAULTS.keys())
def test_each_fault_fails_its_gate_and_names_the_rows(small_world, fault, suite, gate, rows):
    small_world.execute(fault)
    passed, named = outcome(small_world, suite)[gate]
    assert not passed
    assert sorted(named) == sorted(rows)
    assert next(g for g in suite.gates if g.name == gate).severity == ERROR


WINDOWED_FAULTS = {name: fault for name, fault in FAULTS.items() if fault[1].windowed}
FIRST_DAY, LAST_DAY = date(2025, 3, 3), date(2025, 3, 31)  # of the small world


def day(text: str) -> date:
    return date.fromisoformat(text)


def fault_days(suite: Suite, rows: list[tuple]) -> list[date]:
    [position] = [i for i, column in enumerate(suite.row_key) if column.endswith("_date")]
    return sorted(day(row[position]) for row in rows)


@pytest.mark.parametrize(
    ("fault", "suite", "gate", "rows"), WINDOWED_FAULTS.values(), ids=WINDOWED_FAULTS.keys()
)
def test_a_window_catches_a_fault_on_its_days_and_ignores_one_outside(
    small_world, fault, suite, gate, rows
):
    small_world.execute(fault)
    days = fault_days(suite, rows)
    # A window of just the faulty days: a change on its first day is found against the day
    # before it (flag_flipped_without_events: 03-20 against 03-19).
    passed, named = outcome(small_world, suite, Window(days[0], days[-1]))[gate]
    assert (passed, sorted(named)) == (False, sorted(rows))
    if days[-1] < LAST_DAY:
        outside = Window(days[-1] + timedelta(days=1), LAST_DAY)
    else:
        outside = Window(FIRST_DAY, days[0] - timedelta(days=1))
    assert outcome(small_world, suite, outside)[gate] == (True, [])


def test_a_window_compares_its_first_day_with_the_day_before_it(small_world):
    # Tencent's value tripled on 2025-03-12 alone: a jump that day and a fall the next.
    small_world.execute(
        f"update {FCT} set market_cap_native = market_cap_native * 3,"
        " market_cap_cny = market_cap_cny * 3"
        " where listing_id = 'HKEX:00700' and trade_date = '2025-03-12'"
    )
    gate = "day_over_day_change_within_50pct"
    jump, fall = ("HKEX:00700", "2025-03-12"), ("HKEX:00700", "2025-03-13")
    assert outcome(small_world, conversion.SUITE)[gate] == (False, [jump, fall])
    for rows in ([jump], [fall]):
        one_day = Window(day(rows[0][1]), day(rows[0][1]))
        assert outcome(small_world, conversion.SUITE, one_day)[gate] == (False, rows)


WEEKEND = Window(day("2025-03-08"), day("2025-03-09"))


@pytest.mark.parametrize("suite", SUITES, ids=lambda s: s.name)
def test_a_window_without_sessions_passes_every_gate(small_world, suite):
    assert all(r.passed for r in run_suite(small_world, suite, WEEKEND))


@pytest.mark.parametrize("suite", [conversion.SUITE, thresholds.MEMBERSHIP], ids=lambda s: s.name)
def test_a_window_without_sessions_checks_no_row(small_world, suite):
    assert {r.element_count for r in run_suite(small_world, suite, WEEKEND)} == {0}


def gate_result(connection, suite: Suite, gate: str, window: Window = ALL):
    return next(r for r in run_suite(connection, suite, window) if r.gate.name == gate)


@pytest.mark.parametrize(
    "window", [ALL, Window(day("2025-03-10"), day("2025-03-14"))], ids=["all", "window"]
)
def test_counts_are_exact_and_the_sample_bounded_when_a_gate_fails_on_many_rows(
    small_world, window
):
    # Every Tencent value in CNY doubled: the conversion fails on each of its days.
    small_world.execute(
        f"update {FCT} set market_cap_cny = market_cap_cny * 2 where listing_id = 'HKEX:00700'"
    )
    in_window = window.where("trade_date")
    rows = small_world.execute(f"select count(*) from {FCT} where {in_window}").fetchone()[0]
    tencent = [
        d
        for (d,) in small_world.execute(
            f"select trade_date::varchar from {FCT}"
            f" where listing_id = 'HKEX:00700' and {in_window} order by trade_date"
        ).fetchall()
    ]
    result = gate_result(small_world, conversion.SUITE, "cny_value_is_native_times_rate", window)
    assert not result.passed
    assert (result.element_count, result.unexpected_count) == (rows, len(tencent))
    sample = result.failing_rows["trade_date"].astype(str).str[:10].tolist()
    assert sample == tencent[:SAMPLE_ROWS]  # the first days in row-key order


def test_every_duplicate_is_counted_though_the_sample_holds_twenty(small_world):
    small_world.execute(f"insert into {FIXINGS} select * from {FIXINGS} where currency = 'USD'")
    [(usd_fixings, first_dates)] = small_world.execute(
        "select count(*), list(distinct rate_date::varchar order by rate_date::varchar)[1:10]"
        f" from {FIXINGS} where currency = 'USD'"
    ).fetchall()
    assert usd_fixings > SAMPLE_ROWS
    result = gate_result(small_world, fx_rates.SUITE, "one_fixing_per_currency_and_date")
    assert not result.passed and result.unexpected_count == usd_fixings
    # Each date twice, side by side: great-expectations sees the duplicates in the sample too.
    sample = result.failing_rows["rate_date"].astype(str).str[:10].tolist()
    assert sample == [d for d in first_dates for _ in range(2)]


def test_each_suite_checks_the_days_its_asset_rebuilt():
    run = Window(day("2025-03-10"), day("2025-03-12"))
    assert fx_rates.SUITE.checked_window(run) == ALL  # int_fx_fixings is rebuilt whole
    assert conversion.SUITE.checked_window(run) == run
    assert thresholds.MEMBERSHIP.checked_window(run) == run
    # club_events rebuilds from the window's start on
    assert thresholds.EVENTS.checked_window(run) == Window(run.start, None)
    assert all(suite.checked_window(ALL) == ALL for suite in SUITES)


EVERY_MONTH = every_partition()
RUN_WINDOWS = {
    # run tags: (the window the check's metadata names, whether the fault of 03-10 is in it)
    "one_month_update": ({"dagster/partition": "2025-03-01"}, ("2025-03-01", "2025-03-31"), True),
    "backfill_range": (range_tags("2025-04-01", "2025-05-01"), ("2025-04-01", "2025-05-31"), False),
    "every_partition": (range_tags(EVERY_MONTH.start, EVERY_MONTH.end), "all", True),
    "unpartitioned": ({}, "all", True),
}


def run_conversion_check_on_yuan_read_as_yi(database, tags=None) -> dg.ExecuteInProcessResult:
    """The conversion suite's Dagster check, through its warehouse resource, on a small world
    written to `database` whose SSE:600519 value of 2025-03-10 was read in 亿 as if in 元."""
    with duckdb.connect(str(database)) as connection:
        connection.execute(SMALL_WORLD)
        connection.execute(FAULTS["yuan_read_as_yi"][0])
    [check] = [c for c in gx_checks if c.node_def.name == f"gx_{conversion.SUITE.name}"]
    return dg.materialize(
        [dg.AssetSpec(["marts", "fct_listing_market_cap_daily"]), check],
        selection=dg.AssetSelection.all_asset_checks(),
        resources={"warehouse": warehouse_reader(database)},
        tags=tags or {},
        raise_on_error=False,
    )


@pytest.mark.parametrize(("tags", "window", "caught"), RUN_WINDOWS.values(), ids=RUN_WINDOWS)
def test_a_gx_check_checks_the_run_window_and_names_it(tmp_path, tags, window, caught):
    result = run_conversion_check_on_yuan_read_as_yi(tmp_path / "small_world.duckdb", tags)

    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert set(evaluations) == {gate.name for gate in conversion.SUITE.gates}
    for evaluation in evaluations.values():
        metadata = {key: value.value for key, value in evaluation.metadata.items()}
        if window == "all":
            assert metadata["window"] == "all" and "window_start" not in metadata
        else:
            assert (metadata["window_start"], metadata["window_end"]) == window
    assert evaluations["cny_value_within_1e5_to_1e14"].passed is not caught


def test_a_gx_check_gates_the_database_its_warehouse_resource_names(tmp_path):
    database = tmp_path / "small_world.duckdb"
    result = run_conversion_check_on_yuan_read_as_yi(database)

    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    failed = evaluations["cny_value_within_1e5_to_1e14"]
    assert not failed.passed and failed.severity == dg.AssetCheckSeverity.ERROR
    assert failed.metadata["failing_rows"].value == 1
    sample = failed.metadata["failing_rows_sample"]
    assert [(row.data["listing_id"], row.data["trade_date"]) for row in sample.records] == [
        ("SSE:600519", "2025-03-10")
    ]
    assert {c.name: c.type for c in sample.schema.columns}["market_cap_cny"] == "float"
    assert not result.success  # blocking: the run stops here
    # Read-only, and closed once read: the next dbt step can write the file at once.
    with duckdb.connect(str(database)) as connection:
        connection.execute("create table marts.after_the_check (x int)")


def test_past_the_calendar_horizon_an_old_fixing_reads_unknown_calendar_not_stale(small_world):
    # As if the Shanghai calendar had ended on 2025-03-14: on that fixing no next due date is
    # known, so Hong Kong's 03-24 and 03-25 (10 and 11 days on) get no rate, as fresh_fx does.
    small_world.execute(
        f"update {FIXINGS} set next_fixing_due = null, calendar_status = 'unknown calendar'"
        " where rate_date = '2025-03-14';"
        f"update {FCT} set fx_cny_per_unit = null, market_cap_cny = null"
        " where listing_id = 'HKEX:00700' and trade_date in ('2025-03-24', '2025-03-25')"
    )
    results = outcome(small_world, conversion.SUITE)
    failed = {name: rows for name, (passed, rows) in results.items() if not passed}
    assert failed == {
        "fx_staleness_is_known": [("HKEX:00700", "2025-03-24"), ("HKEX:00700", "2025-03-25")]
    }
    assert (
        next(g for g in conversion.SUITE.gates if g.name == "fx_staleness_is_known").severity
        == WARN
    )


def test_fixings_past_the_calendar_horizon_are_flagged_not_called_holidays(small_world):
    # The calendar known only through 2025-03-26: the fixings of 03-27 to 03-31 are neither on
    # nor off a session.
    small_world.execute(
        "delete from staging.stg_calendar__sessions where session_date > '2025-03-26'"
    )
    results = outcome(small_world, fx_rates.SUITE)
    failed = {name: rows for name, (passed, rows) in results.items() if not passed}
    assert failed == {
        "fixings_within_the_known_calendar": [
            ("2025-03-27",),
            ("2025-03-28",),
            ("2025-03-31",),
        ]
    }


@pytest.mark.parametrize("suite", SUITES, ids=lambda s: s.name)
def test_every_error_gate_passes_on_the_snapshot(built_warehouse, suite):
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        results = run_suite(connection, suite)
    assert [r.gate.name for r in results if r.gate.severity == ERROR and not r.passed] == []


def test_known_snapshot_problems_warn_with_their_rows_and_an_explanation(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as connection:
        warnings = {
            r.gate.name: r
            for suite in (fx_rates.SUITE, conversion.SUITE)
            for r in run_suite(connection, suite)
            if r.gate.severity == WARN and not r.passed
        }
    missing = warnings["fixing_on_every_mainland_session"]
    assert missing.failing_rows["rate_date"].astype(str).str[:10].tolist() == ["2022-05-16"]
    assert "PROVENANCE.md" in missing.note
    carried = warnings["fixings_fall_on_mainland_sessions"]
    assert carried.unexpected_count == 9  # 8 carried holiday rows + 2024-02-09, none dropped
    # BYD's vendor 总市值 jumps 83 % on 2025-06-10 (PROVENANCE.md §2): the gate still shows it,
    # and its note says that the warehouse uses the sourced correction instead.
    # Among the seeded listings it is the one row; the gate also shows real one-day jumps of
    # listings no seed names (the whole-market quotes), for a person to judge.
    jump = warnings["day_over_day_change_within_50pct"]
    seeded = jump.failing_rows["listing_id"].isin(
        {row["listing_id"] for row in seed_rows("listings")}
    )
    tracked = jump.failing_rows[seeded]
    assert tracked["listing_id"].tolist() == ["SZSE:002594"]
    assert tracked["trade_date"].astype(str).str[:10].tolist() == ["2025-06-10"]
    assert "BYD" in jump.note and "market_value_corrections" in jump.note


def test_gx_data_docs_show_every_suite(built_warehouse, tmp_path):
    index = build_data_docs(built_warehouse, tmp_path / "gx-docs")
    html = index.read_text(encoding="utf-8")
    assert all(suite.name in html for suite in SUITES)


def damage_yuan_read_as_yi(snapshot) -> None:
    """Moutai's 总市值 on 2024-12-31 multiplied by 1e8, as if 元 had been read as 亿元."""
    path = snapshot / "a_share" / "stock_value_em" / "600519.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("2024-12-31,"))
    cells = lines[index].split(",")
    cells[3] = repr(float(cells[3]) * 1e8)
    lines[index] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.usefixtures("warehouse_env")
@pytest.mark.slow
def test_a_blocking_gx_failure_stops_the_club_marts_in_a_real_run(snapshot_copy):
    # Its own run from an empty directory, not a copy of the shared build: the run is what is
    # tested, and it would cost the same on a copy.
    damage_yuan_read_as_yi(snapshot_copy)

    result = run_build(dg.DagsterInstance.ephemeral())

    assert not result.success
    assert (
        "blocking check cny_value_within_1e5_to_1e14 on marts/fct_listing_market_cap_daily failed"
        in failures(result)
    )
    materialised = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "marts/fct_listing_market_cap_daily" in materialised
    assert not {"marts/club_membership_daily", "marts/club_events"} & materialised
    [evaluation] = [
        e
        for e in result.get_asset_check_evaluations()
        if e.check_name == "cny_value_within_1e5_to_1e14"
    ]
    sample = evaluation.metadata["failing_rows_sample"].records
    assert ("SSE:600519", "2024-12-31") in {
        (row.data["listing_id"], row.data["trade_date"]) for row in sample
    }
