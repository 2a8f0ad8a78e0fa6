"""The marts agree with each other on the real snapshot: what a BI user would cross-check."""

import csv
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml

from orchestration import settings
from orchestration.cli.demo import club_summary
from orchestration.lib.dbt_steps import DBT_BUILD_FLAGS
from tests.conftest import (
    check_evaluations,
    materializations,
    query,
    run_dbt,
    seed_listings,
    seed_rows,
    snapshot_a_share_quote_codes,
)


def test_company_value_is_the_sum_of_its_counting_listings(built_warehouse):
    mismatches = query(
        built_warehouse,
        """
        select c.company_id, c.trade_date, c.market_cap_cny, sum(l.market_cap_cny)
        from marts.fct_company_market_cap_daily c
        join marts.fct_listing_market_cap_daily l
          on l.company_id = c.company_id and l.trade_date = c.trade_date
         and l.counts_toward_company
        group by all
        having c.market_cap_cny <> sum(l.market_cap_cny)
        """,
    )
    assert mismatches == []


def test_every_company_with_values_has_exactly_one_counting_listing(built_warehouse):
    rows = query(
        built_warehouse,
        "select company_id, count(*) filter (where counts_toward_company) from marts.dim_listing"
        " group by 1 having count(*) filter (where counts_toward_company) <> 1",
    )
    assert rows == []


def test_membership_is_the_threshold_applied_to_the_facts(built_warehouse):
    # Recompute the A-share and Hong Kong clubs from the facts and the clubs seed, independently
    # of the membership model, and compare row for row.
    disagreements = query(
        built_warehouse,
        """
        with expected as (
            select clubs.club_id, f.trade_date, f.company_id,
                   case clubs.currency when 'CNY' then f.market_cap_cny
                                       when 'HKD' then f.market_cap_hkd end >= clubs.threshold
                       as is_member
            from marts.fct_listing_market_cap_daily f
            join marts.dim_listing l using (listing_id)
            join reference.clubs clubs on clubs.scope = l.market
        )
        select * from expected
        full join marts.club_membership_daily m using (club_id, trade_date, company_id)
        where m.club_id in (select club_id from reference.clubs where scope <> 'chinese_company')
          and expected.is_member is distinct from m.is_member
        """,
    )
    assert disagreements == []


def test_each_company_club_compares_the_company_value_on_its_basis(built_warehouse):
    # The clubs seed's basis says which column of the company fact a company club compares.
    disagreements = query(
        built_warehouse,
        """
        select m.club_id, m.trade_date, m.company_id
        from marts.club_membership_daily m
        join reference.clubs clubs using (club_id)
        left join marts.fct_company_market_cap_daily f using (company_id, trade_date)
        where clubs.scope = 'chinese_company'
          and m.market_cap_club_ccy is distinct from case clubs.basis
              when 'company_market_value' then f.market_cap_cny
              when 'company_own_price_market_value' then f.own_price_market_cap_cny end
        """,
    )
    assert disagreements == []


# The A+H companies of the data (an H listing that does not count toward its company) on each
# day their A and H listings both have a value in CNY and both a close: the two company bases,
# and the A/H prices they should differ by. Days inside a sourced correction window are left
# out: there the A price is cum-entitlement and the H price is not, so they are not comparable.
A_PLUS_H_DAYS = """
with pairs as (
    select a.company_id, a.listing_id as a_listing_id, a.symbol as a_symbol,
           h.listing_id as h_listing_id, h.symbol as h_symbol
    from marts.dim_listing h
    join marts.dim_listing a
      on a.company_id = h.company_id and a.market = 'a_share' and a.counts_toward_company
    where h.share_class = 'H' and not h.counts_toward_company
)
select
    pairs.company_id,
    a.trade_date,
    company.market_cap_cny::double as total_basis_cny,
    company.own_price_market_cap_cny::double as own_price_cny,
    a_close.close_cny::double as a_close_cny,
    (h_close.close_hkd * h.fx_cny_per_unit)::double as h_close_cny,
    h.market_cap_native::double / h_close.close_hkd::double as h_shares
from pairs
join marts.fct_listing_market_cap_daily a on a.listing_id = pairs.a_listing_id
join marts.fct_listing_market_cap_daily h
  on h.listing_id = pairs.h_listing_id and h.trade_date = a.trade_date
join staging.stg_a_share__market_value a_close
  on a_close.symbol = pairs.a_symbol and a_close.trade_date = a.trade_date
join staging.stg_hk__prices h_close
  on h_close.symbol = pairs.h_symbol and h_close.trade_date = a.trade_date
left join marts.fct_company_market_cap_daily company
  on company.company_id = pairs.company_id and company.trade_date = a.trade_date
where a.market_cap_cny is not null and h.market_cap_cny is not null
  and a.value_source = 'history'
  and not exists (
      select 1 from reference.market_value_corrections c
      where c.listing_id = pairs.a_listing_id and a.trade_date >= c.h_ex_date
        and a.trade_date < c.a_ex_date
  )
"""


def test_an_a_plus_h_company_is_on_both_bases_apart_by_its_a_h_premium(built_warehouse):
    days = query(built_warehouse, A_PLUS_H_DAYS)
    assert len({company for company, *_ in days}) >= 2, "no A+H company with A and H data"
    # Both bases on every common day: the own-price value is not missing where its inputs are.
    assert [day[:2] for day in days if day[3] is None] == []
    gaps = []
    for company, day, total, own_price, a_close, h_close_cny, h_shares in days:
        # 总市值 values the H shares at the A close, the own-price basis at the H close: they
        # differ by the H shares times the H price's discount (an A premium) or premium.
        expected = h_shares * (h_close_cny - a_close)
        if abs(own_price - total - expected) > 1e-6 * total:
            gaps.append((company, day, own_price - total, expected))
    assert gaps == []
    premium_days = [day for day in days if day[4] > day[5]]
    assert premium_days, "no day with an A-share premium"
    assert all(own_price < total for _, _, total, own_price, *_ in premium_days)


def test_no_own_price_value_is_invented_for_a_day_without_h_data(built_warehouse):
    # After the Hong Kong history ends the A+H companies keep their 总市值 (the A-share quotes)
    # but have no own-price value: no H share count or price is carried across the gap.
    rows = query(
        built_warehouse,
        """
        select company.company_id, company.trade_date, company.own_price_market_cap_cny
        from marts.fct_company_market_cap_daily company
        join marts.dim_listing h
          on h.company_id = company.company_id and h.share_class = 'H'
         and not h.counts_toward_company
        anti join marts.fct_listing_market_cap_daily h_value
          on h_value.listing_id = h.listing_id and h_value.trade_date = company.trade_date
        """,
    )
    assert rows, "every A+H company-day has H data: nothing to check"
    assert [row for row in rows if row[2] is not None] == []
    # A company without an H listing has the same value on both bases.
    differ = query(
        built_warehouse,
        """
        select company_id, trade_date from marts.fct_company_market_cap_daily company
        where own_price_market_cap_cny is distinct from market_cap_cny
          and company_id not in (
              select company_id from marts.dim_listing
              where share_class = 'H' and not counts_toward_company
          )
        """,
    )
    assert differ == []


def test_events_match_the_membership_flags(built_warehouse):
    # Replaying a club's events from each company's first day reproduces its latest state.
    mismatched = query(
        built_warehouse,
        """
        with first_state as (
            select club_id, company_id, arg_min(is_member, trade_date) as first_member,
                   arg_max(is_member, trade_date) as last_member
            from marts.club_membership_daily group by all
        ),
        last_event as (
            select club_id, company_id, arg_max(event_type, event_date) as last_event_type
            from marts.club_events group by all
        )
        select * from first_state left join last_event using (club_id, company_id)
        where coalesce(last_event_type = 'entry', first_member) <> last_member
        """,
    )
    assert mismatched == []


def test_events_on_the_first_day_after_the_gap_name_the_last_observation_before_it(
    built_warehouse,
):
    # Nothing is known between the end of the per-listing history (2025) and the first
    # whole-market quotes (2026-06-02, PROVENANCE §9), and no model fills those days. A change
    # first seen on 2026-06-02 happened on an unknown day inside the gap: every event of that
    # day is after a gap and names the company's last observation in the club before it, found
    # here from the membership (2025-06-30, or 2025-05-23 for three codes).
    filled = query(
        built_warehouse,
        "select distinct trade_date from marts.club_membership_daily"
        " where club_id = 'a_share_trillion_cny' and (trade_date between '2025-07-01'"
        " and '2026-06-01' or trade_date in ('2026-06-25', '2026-07-07'))",
    )
    assert filled == []
    events = query(
        built_warehouse,
        """
        with last_before as (
            select club_id, company_id, max(trade_date) as last_observed
            from marts.club_membership_daily
            where trade_date < '2026-06-02'
            group by all
        )
        select events.club_id, events.company_id, events.is_after_gap,
            events.previous_observation_date, last_before.last_observed
        from marts.club_events as events
        left join last_before using (club_id, company_id)
        where events.event_date = '2026-06-02'
        """,
    )
    assert {club for club, *_ in events} >= {"a_share_trillion_cny", "company_trillion_cny"}
    for club, company, is_after_gap, previous, last_observed in events:
        assert is_after_gap, (club, company)
        assert previous == last_observed and previous.year == 2025, (club, company, previous)
    # One missing day (2026-06-25, 2026-07-07) is no gap: no later event is after one.
    later = query(
        built_warehouse,
        "select count(*) from marts.club_events where event_date > '2026-06-02' and is_after_gap",
    )
    assert later == [(0,)]


def test_the_club_make_up_shares_add_up(built_warehouse):
    off = query(
        built_warehouse,
        "select club_id, period_grain, period_end, sum(share_of_club) from marts.club_composition"
        " group by all having abs(sum(share_of_club) - 1) > 1e-5",
    )
    assert off == []


def test_the_demo_summary_lists_each_market_at_its_own_latest_date(built_warehouse):
    # A-share data ends on 2026-07-29 (the snapshot's whole-market quotes, PROVENANCE §9) and
    # Hong Kong data on 2025-07-18: the company club must show both Moutai (A-share based) and
    # Tencent (Hong Kong based), each with its own date.
    summary = club_summary(str(built_warehouse))
    company_club = summary.split("company_trillion_cny")[1].split("\n\n")[0]
    moutai = [line for line in company_club.splitlines() if "Kweichow Moutai" in line]
    tencent = [line for line in company_club.splitlines() if "Tencent" in line]
    assert len(moutai) == 1 and moutai[0].endswith("on 2026-07-29")
    assert len(tencent) == 1 and "on 2025-07-18" in tencent[0]
    # Each club says what day it is as of: its latest observed day, in the header.
    headers = [section.splitlines()[0] for section in summary.strip().split("\n\n")]
    assert any(header.startswith("company_trillion_cny, as of 2026-07-29,") for header in headers)
    assert [header.split(",")[0] for header in headers] == sorted(
        row["club_id"] for row in seed_rows("clubs")
    )
    assert "hk_trillion_hkd, as of 2025-07-18," in summary


# Who is a member at each company's latest observation, straight from the membership mart.
LATEST_MEMBERS = """
select club_id, coalesce(name_en, name_zh, company_id), max(trade_date)::varchar
from marts.club_membership_daily left join marts.dim_company using (company_id)
group by all
having arg_max(is_member, trade_date)
"""


def test_the_summary_the_report_and_the_bi_query_list_the_same_members(build):
    expected = set(query(build.warehouse, LATEST_MEMBERS))
    # Three A shares whose history ends on 2025-05-23 (PROVENANCE §2) are members again on the
    # last day of the whole-market quotes (§9), which reach every tracked A share.
    company_club = {name: day for club, name, day in expected if club == "company_trillion_cny"}
    for name in ("China Mobile", "Bank of China", "CNOOC"):
        assert company_club[name] == "2026-07-29"
    assert company_club["Tencent"] == "2025-07-18"  # Hong Kong: each company at its own date
    summary_rows = {
        (club, line[:40].strip(), line.rsplit(" on ", 1)[1].split()[0])
        for club, lines in summary_sections(club_summary(str(build.warehouse)))
        for line in lines
    }
    assert summary_rows == expected
    report = materializations(build)["reports/trillion_club_report"]["current_members"]
    report_rows = {
        (row.data["club"], row.data["company"], row.data["date"]) for row in report.records
    }
    assert report_rows == expected
    bi_rows = query(build.warehouse, readme_query("-- Who is in each club"))
    assert {(club, name, str(day)) for club, day, name, *_ in bi_rows} == expected


def summary_sections(summary: str) -> list[tuple[str, list[str]]]:
    """The demo summary as (club, member lines) per club."""
    sections = [section.strip().splitlines() for section in summary.split("\n\n")]
    return [(header.split(",")[0], [line.strip() for line in rows]) for header, *rows in sections]


def test_every_bi_query_of_the_readme_runs_and_finds_rows(built_warehouse):
    sql = (settings.PROJECT_ROOT / "README.md").read_text().split("```sql\n", 1)[1]
    statements = [part for part in sql.split("```", 1)[0].split(";") if part.strip()]
    assert len(statements) >= 6
    empty = [s.strip().splitlines()[0] for s in statements if not query(built_warehouse, s)]
    assert empty == []


def readme_query(opening: str) -> str:
    """The README's BI example query that starts with the comment `opening`."""
    sql = (settings.PROJECT_ROOT / "README.md").read_text().split("```sql\n", 1)[1]
    [statement] = [part for part in sql.split(";") if part.strip().startswith(opening)]
    return statement


def test_a_company_run_from_outside_the_mainland_is_never_in_the_chinese_company_club(
    built_warehouse,
):
    # HSBC Holdings is run from London and AIA from Hong Kong: the company club admits head
    # offices in mainland China only. Both stay in the Hong Kong club, which admits every
    # domicile (it is defined by listing market); HSBC has been worth over 1 tn HKD there.
    rows = query(
        built_warehouse,
        "select company_id, club_id, bool_or(is_member) from marts.club_membership_daily"
        " where company_id in ('hsbc', 'aia') group by all order by all",
    )
    assert [(company, club) for company, club, _ in rows] == [
        ("aia", "hk_trillion_hkd"),
        ("hsbc", "hk_trillion_hkd"),
    ]
    assert ("hsbc", "hk_trillion_hkd", True) in rows


def test_every_tech_seven_candidate_is_shown_with_its_tier_or_why_it_has_no_value(
    built_warehouse,
):
    # Huatai Securities' "Chinese tech seven" (February 2025) and the companies named alongside
    # it. ByteDance and Huawei are not listed; the snapshot has no share counts for NetEase, PDD
    # and JD.com (PROVENANCE.md), so they have no value, and say so, rather than go missing.
    rows = query(
        built_warehouse,
        "select company_id, candidate_tier, value_status, market_cap_usd is null"
        " from marts.tech_seven where basket = 'china_tech_seven_candidates'",
    )
    core = {"xiaomi", "byd", "smic", "alibaba", "tencent", "meituan"}
    assert {row[0]: row[1] for row in rows} == {
        **dict.fromkeys(core, "core"),
        **dict.fromkeys(["netease", "pdd", "bytedance", "huawei", "catl", "jd"], "also_named"),
    }
    statuses = {company: (status, no_value) for company, _, status, no_value in rows}
    assert statuses == {
        **dict.fromkeys([*core, "catl"], ("valued", False)),
        **dict.fromkeys(["bytedance", "huawei"], ("unlisted", True)),
        **dict.fromkeys(["netease", "pdd", "jd"], ("no_market_value_data", True)),
    }


def dbt_test_after_insert(
    built_warehouse: Path, tmp_path: Path, selection: str, insert: str, params: list | None = None
) -> subprocess.CompletedProcess:
    """`dbt test --select selection` on a copy of the built warehouse once `insert` has run."""
    warehouse = tmp_path / built_warehouse.name
    shutil.copy(built_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(insert, params)
    raw = built_warehouse.parent / "raw"
    return run_dbt(warehouse, raw, "test", "--select", selection, check=False)


def test_a_duplicated_daily_value_fails_its_unique_key_test(built_warehouse, tmp_path):
    result = dbt_test_after_insert(
        built_warehouse,
        tmp_path,
        "fct_listing_market_cap_daily,test_name:unique_key",
        "insert into marts.fct_listing_market_cap_daily"
        " select * from marts.fct_listing_market_cap_daily"
        " where listing_id = 'HKEX:00700' and trade_date = '2024-12-31'",
    )
    assert result.returncode == 1, result.stdout
    assert "Got 1 result" in result.stdout  # the one duplicated key, not every row of the day
    assert "unique_key_fct_listing_market_cap_daily_listing_id__trade_date" in result.stdout


@pytest.mark.parametrize(
    ("listing_id", "company_id", "symbol", "failing_test"),
    [
        # The same Hong Kong symbol tracked twice: its raw rows would become two listings.
        ("HKEX:700", "tencent_duplicate", "00700", "unique_key_listings_market__symbol"),
        # Tencent's RMB counter: a second Hong Kong listing would put Tencent in that club twice.
        ("HKEX:80700", "tencent", "80700", "unique_key_listings_company_id__market"),
    ],
)
def test_a_listing_breaking_a_universe_rule_fails_its_seed_test(
    built_warehouse, tmp_path, listing_id, company_id, symbol, failing_test
):
    result = dbt_test_after_insert(
        built_warehouse,
        tmp_path,
        "listings,test_name:unique_key",
        "insert into reference.listings select ? as listing_id, ? as company_id, exchange,"
        " market, ? as symbol, currency, share_class, false as is_company_basis"
        " from reference.listings where listing_id = 'HKEX:00700'",
        [listing_id, company_id, symbol],
    )
    assert result.returncode == 1, result.stdout
    assert "PASS=1 " in result.stdout and "ERROR=1 " in result.stdout  # only the broken rule
    assert f"Failure in test {failing_test}" in result.stdout


def test_a_duplicated_raw_row_fails_the_key_test_before_anything_is_built(
    built_warehouse, tmp_path
):
    # The staging views have no key test of their own: their union's names the listing. The
    # row is doubled inside the landed file (a vendor answer with a repeated day): staging
    # reads each listing from its newest file only, so a second file could not double it.
    warehouse, raw = tmp_path / built_warehouse.name, tmp_path / "raw"
    shutil.copy(built_warehouse, warehouse)
    shutil.copytree(built_warehouse.parent / "raw", raw)
    landed = raw / "stock_value_em" / "all.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"copy (select * from '{landed}' union all select * from '{landed}'"
            " where _symbol = '600519' and 数据日期 = '2024-12-31')"
            f" to '{landed}.doubled' (format parquet)"
        )
    landed.with_suffix(".parquet.doubled").replace(landed)
    # The views read the raw zone they were created with: build them anew on the copy.
    build = ["build", "--select", "+fct_listing_market_cap_daily", "--store-failures"]
    result = run_dbt(warehouse, raw, *build, *DBT_BUILD_FLAGS, check=False)
    assert result.returncode == 1, result.stdout
    assert "SKIP relation marts.fct_listing_market_cap_daily" in result.stdout
    [(schema, table)] = query(
        warehouse,
        "select table_schema, table_name from information_schema.tables"
        " where table_schema like '%dbt_test__audit'"
        " and table_name like 'unique_key_int_listing_market_cap_native%'",
    )
    assert query(warehouse, f'select listing_id from "{schema}"."{table}"') == [("SSE:600519",)]


def test_a_member_of_a_club_that_does_not_admit_its_domicile_fails_the_domicile_test(
    built_warehouse, tmp_path
):
    # HSBC (GB) slipped into the company club on one day, copied from its Hong Kong club row.
    result = dbt_test_after_insert(
        built_warehouse,
        tmp_path,
        "club_membership_daily,test_name:admitted_by_domicile",
        "insert into marts.club_membership_daily by name"
        " select * replace ('company_trillion_cny' as club_id)"
        " from marts.club_membership_daily"
        " where club_id = 'hk_trillion_hkd' and company_id = 'hsbc' and trade_date = '2024-12-31'",
    )
    assert result.returncode == 1, result.stdout
    assert "Got 1 result" in result.stdout  # one row per club and company: HSBC
    assert "admitted_by_domicile_club_membership_daily" in result.stdout


def test_every_dbt_unit_test_passes(build_copy):
    # Dagster's builds skip the unit tests (DBT_BUILD_FLAGS): this is where they run. On a copy:
    # dbt opens the warehouse to write, which the shared build's readers must not see.
    declared = [
        test["name"]
        for path in (settings.DBT_PROJECT_DIR / "models").rglob("*.yml")
        for test in (yaml.safe_load(path.read_text()) or {}).get("unit_tests", [])
    ]
    raw = build_copy.warehouse.parent / "raw"
    result = run_dbt(build_copy.warehouse, raw, "test", "--select", "test_type:unit", check=False)
    assert result.returncode == 0, result.stdout
    assert len(declared) >= 5
    assert f"PASS={len(declared)} " in result.stdout


def test_every_model_a_bi_exposure_reads_has_an_enforced_contract():
    # The marts are the BI interface: a change of a column's name or type must fail the build,
    # not reach a dashboard. Read from dbt's parse (`make test` parses first), so a contract set
    # in dbt_project.yml counts too, and a new exposure on an uncontracted model fails here.
    manifest = json.loads((settings.DBT_PROJECT_DIR / "target" / "manifest.json").read_text())
    exposed = [
        manifest["nodes"][unique_id]  # a source here (no contract possible) is a KeyError
        for unique_id in {
            unique_id
            for exposure in manifest["exposures"].values()
            for unique_id in exposure["depends_on"]["nodes"]
        }
    ]
    assert {node["name"] for node in exposed} >= {
        "club_membership_daily",
        "fct_listing_market_cap_daily",
        "dim_company",
    }
    uncontracted = {
        node["name"]: [name for name, column in node["columns"].items() if not column["data_type"]]
        for node in exposed
        if not node["config"]["contract"]["enforced"]
        or not node["columns"]
        or not all(column["data_type"] for column in node["columns"].values())
    }
    assert uncontracted == {}


# --- The whole-market A-share quotes of the snapshot (PROVENANCE.md §9), landed like live ones --

SPOT_DIR = settings.PROJECT_ROOT / "data" / "snapshot" / "a_share" / "stock_zh_a_spot_em"


def test_the_raw_zone_has_one_quote_partition_per_snapshot_day(built_warehouse):
    landed = sorted(p.stem for p in (built_warehouse.parent / "raw/stock_zh_a_spot_em").iterdir())
    assert landed == sorted(p.stem for p in SPOT_DIR.glob("*.csv"))
    assert len(landed) == 39
    # Two sessions the source lacks land nothing: no file, no empty partition.
    assert "2026-06-25" not in landed and "2026-07-07" not in landed
    stamped = query(
        built_warehouse,
        "select count(*) from read_parquet(?, filename = true)"
        " where \"交易日\"::varchar || '.parquet' <> parse_filename(filename)",
        str(built_warehouse.parent / "raw/stock_zh_a_spot_em/*.parquet"),
    )
    assert stamped == [(0,)]  # every row is stamped with its file's trade date


def test_the_spot_staging_holds_every_listing_of_the_snapshot_quotes(built_warehouse):
    codes = query(
        built_warehouse,
        "select count(distinct symbol), count(distinct trade_date), min(trade_date)::varchar,"
        " max(trade_date)::varchar from staging.stg_a_share__spot",
    )
    assert codes == [(1001, 39, "2026-06-02", "2026-07-29")]


def test_a_tracked_listing_takes_its_2026_value_from_the_quotes(built_warehouse):
    with (SPOT_DIR / "2026-07-29.csv").open(encoding="utf-8") as file:
        [icbc] = [row for row in csv.DictReader(file) if row["代码"] == "601398"]
    expected = Decimal(icbc["总市值"])  # 元, as the snapshot has it: 28,334.24 亿 × 1e8
    assert expected == Decimal("2833424000000")
    fact = query(
        built_warehouse,
        "select market_cap_cny, value_source, is_derived"
        " from marts.fct_listing_market_cap_daily"
        " where listing_id = 'SSE:601398' and trade_date = '2026-07-29'",
    )
    assert fact == [(expected, "daily_quote", False)]


def test_the_shenwan_reference_of_the_whole_market_is_staged_with_its_codes_as_text(
    built_warehouse,
):
    rows = query(
        built_warehouse,
        "select count(*), count(distinct symbol), min(symbol), count(*) filter (exchange = 'BJ')"
        " from staging.stg_reference__industry_sw_a_share",
    )
    assert rows == [(1001, 1001, "000001", 3)]
    ping_an = query(
        built_warehouse,
        "select exchange, name_zh, sw_level1_label, sw_level2_label, as_of::varchar"
        " from staging.stg_reference__industry_sw_a_share where symbol = '000001'",
    )
    assert ping_an == [("SZ", "平安银行", "银行", "股份制银行Ⅱ", "2026-07-29")]


# The universe from the data (issue 17): every listing of the landed files, whether a seed names
# it or not; the expectations are counted from the snapshot files and the seeds, never from a
# list of codes.


def test_dim_listing_holds_every_listing_of_the_data_and_of_the_seed(built_warehouse):
    listings = set(query(built_warehouse, "select market, symbol from marts.dim_listing"))
    assert listings == seed_listings() | snapshot_a_share_quote_codes()
    # A seeded listing keeps its id and company: the id derived from the data is the seed's.
    seeded = {(row["listing_id"], row["company_id"]) for row in seed_rows("listings")}
    ids = set(query(built_warehouse, "select listing_id, company_id from marts.dim_listing"))
    assert seeded <= ids
    # Each listing says when and where it was seen; only a seeded listing may lack data.
    unseen = query(
        built_warehouse,
        "select listing_id from marts.dim_listing where first_seen_date is null and not is_seeded",
    )
    assert unseen == []


def test_members_no_seed_names_enter_from_the_data_with_the_data_s_names(built_warehouse):
    raw = built_warehouse.parent / "raw" / "stock_zh_a_spot_em" / "*.parquet"
    rows = query(
        built_warehouse,
        f"""
        select membership.club_id, membership.trade_date, membership.company_id,
               companies.name_zh, quotes."名称"
        from marts.club_membership_daily as membership
        join marts.dim_company as companies using (company_id)
        join marts.dim_listing as listings
          on listings.company_id = membership.company_id and listings.counts_toward_company
        left join read_parquet('{raw}') as quotes
          on quotes."代码" = listings.symbol and quotes."交易日"::date = membership.trade_date
        where membership.is_member
          and membership.company_id not in (select company_id from reference.companies)
        """,
    )
    assert rows, "no company that the seeds do not name is in any club"
    wrong = [row for row in rows if row[3] is None or row[3] != row[4]]
    assert wrong == []
    # Those that are members at their latest observation are in the demo summary under the
    # data's name (a company that left before its latest day, such as one that fell below the
    # threshold, is not).
    latest = query(
        built_warehouse,
        """
        select club_id, any_value(company_id), arg_max(is_member, trade_date)
        from marts.club_membership_daily
        where company_id not in (select company_id from reference.companies)
        group by club_id, company_id
        having bool_or(is_member)
        """,
    )
    current = {company for _, company, is_member in latest if is_member}
    assert current
    summary = club_summary(str(built_warehouse))
    for _, _, company, name, _ in rows:
        assert (name in summary) == (company in current), company


def test_a_mainland_only_company_no_seed_names_reaches_the_company_club(built_warehouse):
    # Its only listing is an A share, so it is run from the mainland (inferred, never from a
    # seed): on every day it is in the A-share club by 总市值 it is in the company club too.
    def members(club: str) -> set:
        return set(
            query(
                built_warehouse,
                f"""
                select company_id, trade_date from marts.club_membership_daily
                join marts.dim_company using (company_id)
                where club_id = '{club}' and is_member and not is_seeded
                  and domicile_source = 'inferred_mainland_listing'
                """,
            )
        )

    assert members("a_share_trillion_cny")
    assert members("company_trillion_cny") == members("a_share_trillion_cny")
    # The README's BI query lists them, with the day each first was a member.
    listed = query(built_warehouse, readme_query("-- New members that no seed names"))
    first = {(club, company): day for club, company, _, _, day, _ in listed}
    for company, day in members("company_trillion_cny"):
        assert first[("company_trillion_cny", company)] <= day
    # A Hong Kong or US company no seed places has no domicile: not inferred.
    unplaced = query(
        built_warehouse,
        """
        select company_id from marts.dim_company join marts.dim_listing using (company_id)
        where not dim_company.is_seeded and market <> 'a_share' and domicile is not null
        """,
    )
    assert unplaced == []


def test_sector_performance_counts_the_whole_market(built_warehouse):
    # Every A-share company seen in the latest year, seeded or not, counts in its sector.
    [(year, counted, seedless)] = query(
        built_warehouse,
        """
        select calendar_year, sum(listing_count),
            (select count(distinct company_id) from marts.dim_company
             join marts.dim_listing using (company_id)
             where market = 'a_share' and not dim_company.is_seeded
               and last_seen_date >= make_date(
                (select max(calendar_year) from marts.sector_performance)::int, 1, 1))
        from marts.sector_performance
        where calendar_year = (select max(calendar_year) from marts.sector_performance)
        group by calendar_year
        """,
    )
    assert seedless == len(snapshot_a_share_quote_codes() - seed_listings())
    assert counted >= seedless, (year, counted, seedless)


def test_every_a_share_company_has_its_shenwan_sector_or_unclassified(built_warehouse):
    level1 = {
        row["sector_l1"] for row in seed_rows("sector_groups") if row["is_sw2021_level1"] == "true"
    }
    assert len(level1) == 31
    corrections = {row["label"]: row["sw_level1"] for row in seed_rows("sw_label_corrections")}
    path = settings.snapshot_dir() / "reference" / "industry_sw_a_share_2026.csv"
    with path.open(encoding="utf-8-sig") as file:
        labels = {row["代码"]: row["申万一级"].strip() for row in csv.DictReader(file)}
    expected = {
        code: label if label in level1 else corrections.get(label, "unclassified")
        for code, label in labels.items()
    }
    rows = query(
        built_warehouse,
        """
        select listings.symbol, companies.sector_l1, companies.sector_group, companies.is_seeded
        from marts.dim_company as companies
        join marts.dim_listing as listings
          on listings.company_id = companies.company_id and listings.counts_toward_company
        where listings.market = 'a_share'
        """,
    )
    assert all(sector and group for _, sector, group, _ in rows)
    assert all(
        (sector == "unclassified") == (group == "unclassified") for _, sector, group, _ in rows
    )
    # Seedless companies take the whole-market file's class (the curated one wins for seeded).
    seedless = {symbol: sector for symbol, sector, _, is_seeded in rows if not is_seeded}
    assert seedless == {code: expected[code] for code in seedless}
    assert "unclassified" in seedless.values()


def test_the_warn_check_lists_the_shenwan_labels_that_are_not_level1_names(build):
    [evaluation] = [
        evaluation
        for evaluation in check_evaluations(build.events)
        if "sw_labels_not_a_level1_name" in evaluation.check_name
    ]
    assert not evaluation.passed
    assert evaluation.severity == dg.AssetCheckSeverity.WARN
