"""The report's inputs: SQL over the marts (aggregated in DuckDB) into small frames.

No drawing here (lib/charts.py draws, lib/report_page.py writes the page). Each company carries
`label` (name_en, else its id: ASCII, for PNGs, whose default fonts have no Chinese glyphs) and
`name_zh` (shown by the browser).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import duckdb
import pandas as pd
import yaml

from orchestration import settings


@cache
def observation_gap_sessions() -> int:
    """The dbt var club_events measures a gap with, so the timeline draws the same gaps."""
    project = yaml.safe_load((settings.DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return int(project["vars"]["observation_gap_sessions"])


# Each ever-member's observed days cut into runs of one state (member or not) without a gap: more
# than observation_gap_sessions Shanghai sessions strictly between two observed days, the
# yardstick of club_events. A day past the calendar's last session cannot be measured: the step
# to it counts as a gap (unknown), never as a known state.
RUNS_SQL = """
with ever_members as (
    select distinct club_id, company_id from marts.club_membership_daily where is_member
),
sessions as (
    select session_date, row_number() over (order by session_date) as session_number
    from staging.stg_calendar__sessions
    where exchange = 'XSHG'
),
observed as (
    select
        membership.club_id, membership.company_id, membership.trade_date, membership.is_member,
        lag(membership.trade_date) over (
            partition by membership.club_id, membership.company_id order by membership.trade_date
        ) as previous_date,
        lag(membership.is_member) over (
            partition by membership.club_id, membership.company_id order by membership.trade_date
        ) as was_member
    from marts.club_membership_daily as membership
    semi join ever_members using (club_id, company_id)
),
measured as (
    select
        observed.*,
        before_day.session_number - coalesce(on_previous.session_number, 0) as sessions_missed,
        observed.trade_date > (select max(session_date) from sessions) as is_past_calendar
    from observed
    asof left join sessions as before_day on observed.trade_date > before_day.session_date
    asof left join sessions as on_previous on observed.previous_date >= on_previous.session_date
),
flagged as (
    select
        *,
        previous_date is not null
        and (sessions_missed > $gap_sessions or is_past_calendar) as is_after_gap
    from measured
),
numbered as (
    select
        *,
        sum(case when was_member is null or is_member <> was_member or is_after_gap then 1 end)
            over (partition by club_id, company_id order by trade_date) as run_number
    from flagged
)
select
    club_id, company_id, run_number, is_member,
    min(trade_date) as first_date,
    max(trade_date) as last_date,
    bool_or(is_after_gap and trade_date = first_day) as is_after_gap,
    any_value(previous_date) filter (where trade_date = first_day) as previous_date
from (
    select *, min(trade_date) over (partition by club_id, company_id, run_number) as first_day
    from numbered
)
group by club_id, company_id, run_number, is_member
order by club_id, company_id, run_number
"""

COMPANY_NAMES_SQL = """
select company_id, coalesce(name_en, company_id) as label, name_zh, sector_group
from marts.dim_company
"""


def timeline_spans(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Spans per club and company: `member` (in the club), `unknown` (a gap in the data).

    A member run lasts to the next run's first day when that follows without a gap (the day the
    company was first seen out), else to its own last observed day. Days out are not drawn.
    """
    runs = connection.execute(RUNS_SQL, {"gap_sessions": observation_gap_sessions()}).df()
    spans = []
    for (club, company), rows in runs.groupby(["club_id", "company_id"], sort=False):
        rows = rows.reset_index(drop=True)
        for index, run in rows.iterrows():
            following = rows.iloc[index + 1] if index + 1 < len(rows) else None
            if run["is_after_gap"]:
                spans.append((club, company, "unknown", run["previous_date"], run["first_date"]))
            if run["is_member"]:
                joined = following is not None and not following["is_after_gap"]
                end = following["first_date"] if joined else run["last_date"]
                spans.append((club, company, "member", run["first_date"], end))
    frame = pd.DataFrame(spans, columns=["club_id", "company_id", "state", "start", "end"])
    return with_names(connection, frame)


def with_names(connection: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> pd.DataFrame:
    names = connection.execute(COMPANY_NAMES_SQL).df()
    named = frame.merge(names, on="company_id", how="left")
    named["label"] = named["label"].fillna(named["company_id"])
    return named


TIMELINE_EVENTS_SQL = """
select club_id, company_id, event_date, event_type, is_reentry, is_after_gap,
    previous_observation_date
from marts.club_events
order by club_id, company_id, event_date
"""


def timeline_events(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Entries and exits as club_events has them, for the timeline's markers."""
    return connection.execute(TIMELINE_EVENTS_SQL).df()


# Each club at each year end (club_composition's year rows), by sector group, share of the club.
MAKEUP_SQL = """
select club_id, year(period_end) as year, period_end, sector_group, member_count,
    share_of_club, earliest_observed_date, latest_observed_date
from marts.club_composition
where period_grain = 'year'
order by club_id, year, sector_group
"""


def year_end_makeup(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return connection.execute(MAKEUP_SQL).df()


# The two baskets' combined USD value on the dates every valued member of both has a value (so
# the index never jumps because a member is missing that day), indexed to 100 on the first.
TECH_SEVEN_INDEX_SQL = """
with members as (
    select basket, company_id from marts.tech_seven where value_status = 'valued'
),
daily as (
    select company_values.trade_date, members.basket, company_values.company_id,
        company_values.market_cap_usd, company_values.is_derived
    from marts.fct_company_market_cap_daily as company_values
    inner join members using (company_id)
    where company_values.market_cap_usd is not null
),
common_dates as (
    select trade_date from daily
    group by trade_date
    having count(distinct company_id) = (select count(*) from members)
),
baskets as (
    select trade_date, basket, sum(market_cap_usd) as basket_market_cap_usd,
        bool_or(is_derived) as is_derived
    from daily semi join common_dates using (trade_date)
    group by trade_date, basket
)
select *,
    100 * basket_market_cap_usd / first_value(basket_market_cap_usd) over (
        partition by basket order by trade_date
    ) as index_first_date_100
from baskets
order by basket, trade_date
"""


def tech_seven_index(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return connection.execute(TECH_SEVEN_INDEX_SQL).df()


TECH_SEVEN_LATEST_SQL = """
select tech.basket, tech.company_id, coalesce(tech.name_en, tech.company_id) as label,
    companies.name_zh, tech.candidate_tier, tech.value_status, tech.value_date,
    tech.as_of_date, tech.market_cap_usd / 1e9 as market_cap_usd_bn, tech.return_pct,
    tech.return_start_date, tech.is_derived
from marts.tech_seven as tech
left join marts.dim_company as companies using (company_id)
order by tech.basket, tech.market_cap_usd desc nulls last
"""


def tech_seven_latest(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return connection.execute(TECH_SEVEN_LATEST_SQL).df()


SECTOR_YTD_SQL = """
select sector_l1, sector_group, calendar_year, period_type, period_start, period_end,
    listing_count, end_market_cap_cny / 1e12 as end_market_cap_cny_tn, return_pct, is_derived
from marts.sector_performance
where calendar_year = (select max(calendar_year) from marts.sector_performance)
order by return_pct desc
"""


def sector_year_to_date(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The Shenwan level-1 sectors in the latest year (year to date), best first."""
    return connection.execute(SECTOR_YTD_SQL).df()


TOP_MOVERS_SQL = """
select movers.listing_id, movers.company_id,
    coalesce(companies.name_en, movers.listing_id) as label,
    coalesce(companies.name_zh, listings.name_zh) as name_zh,
    movers.calendar_year, movers.period_type, movers.period_start, movers.period_end,
    movers.return_pct, movers.return_pct >= 100 as is_doubler, movers.rank_in_year,
    movers.is_derived
from marts.top_movers as movers
left join marts.dim_company as companies using (company_id)
left join marts.dim_listing as listings using (listing_id)
where movers.calendar_year = (select max(calendar_year) from marts.top_movers)
order by movers.rank_in_year
limit $top
"""


def top_movers_latest(connection: duckdb.DuckDBPyConnection, top: int = 15) -> pd.DataFrame:
    """The latest year's best `top` listings by change in market value."""
    return connection.execute(TOP_MOVERS_SQL, {"top": top}).df()


# What the page names each company by in tables: the label the demo prints -> the Chinese name.
CHINESE_NAMES_SQL = """
select coalesce(name_en, name_zh, company_id) as company, name_zh from marts.dim_company
"""


@dataclass(frozen=True)
class ReportData:
    """Every frame the report shows, read once."""

    members: list[tuple]  # LATEST_MEMBERS_SQL's rows: what the demo prints
    chinese_names: dict[str, str]
    spans: pd.DataFrame
    events: pd.DataFrame
    makeup: pd.DataFrame
    tech_index: pd.DataFrame
    tech_latest: pd.DataFrame
    sectors: pd.DataFrame
    movers: pd.DataFrame

    @property
    def as_of(self) -> dict:
        """Each club's latest observed day (as_of_date, the rows' last column), in club order."""
        return {row[0]: row[-1] for row in self.members}

    @property
    def clubs(self) -> list[str]:
        return list(self.as_of)


def load_report_data(connection: duckdb.DuckDBPyConnection, members_sql: str) -> ReportData:
    spans = timeline_spans(connection)
    spans["full_label"] = full_labels(spans)
    latest = tech_seven_latest(connection)
    latest["full_label"] = full_labels(latest)
    movers = top_movers_latest(connection)
    movers["full_label"] = full_labels(movers)
    return ReportData(
        members=connection.execute(members_sql).fetchall(),
        chinese_names=dict(connection.execute(CHINESE_NAMES_SQL).fetchall()),
        spans=spans,
        events=timeline_events(connection),
        makeup=year_end_makeup(connection),
        tech_index=tech_seven_index(connection),
        tech_latest=latest,
        sectors=sector_year_to_date(connection),
        movers=movers,
    )


def full_labels(frame: pd.DataFrame) -> pd.Series:
    """`label` with the Chinese name after it, where there is one that differs."""
    return [
        f"{label} {zh}" if isinstance(zh, str) and zh != label else label
        for label, zh in zip(frame["label"], frame["name_zh"], strict=True)
    ]
