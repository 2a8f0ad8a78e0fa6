"""What the club marts look like to a person: tables and PNG charts.

Shown as metadata on the club assets in the Dagster UI and written to `reports/`. Tables name a
company by `name_en`, else (a company no seed names) its `name_zh` from the data. Charts use
`name_en`, else the ASCII company_id, since the default matplotlib fonts have no Chinese glyphs.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure  # a bare Figure renders with Agg; no pyplot state

from orchestration.lib.ui_table import ui_table

TRILLION = 10**12

# Each company at its own latest observation in the club, a member if it was one that day:
# markets and series end on different days (A shares on 2026-07-29 in the snapshot's whole-market
# quotes, Hong Kong on 2025-07-18), so one common date would drop whole markets. Each row shows
# its date, and as_of_date the club's latest observed day: a member observed last before it (a
# Hong Kong company in the company club) is a member as of its own date, not as of the club's.
# Membership exists only on observed days. The README's BI query "Who is in each club" is this
# query (a test holds them equal).
LATEST_MEMBERS_SQL = """
select
    membership.club_id,
    membership.trade_date,
    coalesce(companies.name_en, companies.name_zh, membership.company_id) as company,
    membership.market_cap_club_ccy,
    membership.club_currency,
    membership.is_derived,
    max(membership.trade_date) over (partition by membership.club_id) as as_of_date
from marts.club_membership_daily as membership
left join marts.dim_company as companies using (company_id)
qualify
    row_number() over (
        partition by membership.club_id, membership.company_id
        order by membership.trade_date desc
    ) = 1
    and membership.is_member
order by membership.club_id, membership.market_cap_club_ccy desc
"""

# Companies that were ever members, month-end values, so the chart stays readable.
MEMBER_HISTORY_SQL = """
with ever_members as (
    select distinct club_id, company_id from marts.club_membership_daily where is_member
)
select
    membership.club_id,
    coalesce(companies.name_en, membership.company_id) as company,
    max(membership.trade_date) as trade_date,
    arg_max(membership.market_cap_club_ccy, membership.trade_date) / 1e12 as value_tn,
    any_value(membership.threshold) / 1e12 as threshold_tn,
    any_value(membership.club_currency) as currency
from marts.club_membership_daily as membership
inner join ever_members using (club_id, company_id)
left join marts.dim_company as companies using (company_id)
group by membership.club_id, company, date_trunc('month', membership.trade_date)
order by membership.club_id, company, trade_date
"""

YEARLY_COMPOSITION_SQL = """
select club_id, year(period_end) as year, sector_group, member_count,
    total_market_cap_club_ccy / 1e12 as value_tn, share_of_club
from marts.club_composition
where period_grain = 'year'
order by club_id, year, sector_group
"""

RECENT_EVENTS_SQL = """
select events.event_date, events.club_id,
    coalesce(companies.name_en, companies.name_zh, events.company_id),
    events.event_type, events.is_reentry, events.is_after_gap, events.previous_observation_date
from marts.club_events as events
left join marts.dim_company as companies using (company_id)
order by events.event_date desc, events.club_id
limit 15
"""


def club_report_metadata(connection: duckdb.DuckDBPyConnection, reports_dir: Path) -> dict:
    """Members, recent events and both charts (also written to reports_dir)."""
    members = connection.execute(LATEST_MEMBERS_SQL).fetchall()
    events = connection.execute(RECENT_EVENTS_SQL).df()
    events.columns = ["date", "club", "company", "event", "re-entry", "after gap", "last seen"]
    return {
        "dagster/row_count": len(members),  # the current members of all clubs
        "as_of": dg.MetadataValue.md(as_of_text(members)),
        "current_members": ui_table(members_frame(members)),
        "recent_events": ui_table(events),
        **chart_metadata(member_value_chart(connection), reports_dir / "club_members.png"),
        **chart_metadata(
            composition_chart(connection), reports_dir / "club_composition.png", "composition"
        ),
    }


def members_frame(members: Sequence[Sequence]) -> pd.DataFrame:
    rows = [
        (club, as_of, day, company, round(value / TRILLION, 3), currency, bool(derived))
        for club, day, company, value, currency, derived, as_of in members
    ]
    columns = ["club", "club as of", "date", "company", "value (tn)", "currency", "derived"]
    return pd.DataFrame(rows, columns=columns)


def clubs_as_of(members: Sequence[Sequence]) -> dict[str, object]:
    """Each club's latest observed day, from LATEST_MEMBERS_SQL's rows, in club order."""
    return {club: as_of for club, *_, as_of in members}


def as_of_text(members: Sequence[Sequence]) -> str:
    """One line per club: "<club>: as of <date>, <n> members"."""
    counts: dict[str, int] = {}
    for club, *_ in members:
        counts[club] = counts.get(club, 0) + 1
    return "\n".join(
        f"- {club}: as of {as_of}, {counts[club]} members"
        for club, as_of in clubs_as_of(members).items()
    )


def member_value_chart(connection: duckdb.DuckDBPyConnection) -> Figure:
    """Each club's members (ever) by month against the club's 1-trillion line."""
    frame = connection.execute(MEMBER_HISTORY_SQL).df()
    clubs = list(frame["club_id"].unique())
    figure = Figure(figsize=(11, 4 * len(clubs)), layout="constrained")
    for axes, club in zip(figure.subplots(len(clubs), 1, squeeze=False)[:, 0], clubs, strict=True):
        rows = frame[frame["club_id"] == club]
        axes.set_prop_cycle(color=colormaps["tab20"].colors)  # up to 20 distinct members
        for company, series in rows.groupby("company"):
            axes.plot(series["trade_date"], series["value_tn"], label=company, linewidth=1)
        axes.axhline(rows["threshold_tn"].iloc[0], color="black", linestyle="--", label="1 tn")
        axes.set_title(club)
        axes.set_ylabel(f"market value, tn {rows['currency'].iloc[0]}")
        axes.legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1, 1))
    return figure


def composition_chart(connection: duckdb.DuckDBPyConnection) -> Figure:
    """Each club's combined value at year end, stacked by sector group (club_composition)."""
    frame = connection.execute(YEARLY_COMPOSITION_SQL).df()
    clubs = list(frame["club_id"].unique())
    sectors = sorted(frame["sector_group"].unique())  # one colour per sector in every club
    figure = Figure(figsize=(11, 3.5 * len(clubs)), layout="constrained")
    for axes, club in zip(figure.subplots(len(clubs), 1, squeeze=False)[:, 0], clubs, strict=True):
        table = frame[frame["club_id"] == club].pivot_table(
            index="year", columns="sector_group", values="value_tn", fill_value=0
        )
        bottom = 0
        for sector in table.columns:
            color = f"C{sectors.index(sector)}"
            axes.bar(table.index, table[sector], bottom=bottom, label=sector, color=color)
            bottom = bottom + table[sector]
        axes.set_title(f"{club}: members' value at year end (latest date this year), by sector")
        axes.set_ylabel("tn, club currency")
        axes.set_xticks(table.index)
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    return figure


def chart_metadata(figure: Figure, path: Path, name: str = "members") -> dict:
    """Write the chart to `path` and embed it in markdown, so the UI shows it inline."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=72)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    encoded = base64.b64encode(buffer.getvalue()).decode()
    return {
        f"{name}_chart": dg.MetadataValue.md(f"![{path.stem}](data:image/png;base64,{encoded})"),
        f"{name}_chart_path": dg.MetadataValue.path(str(path)),
    }
