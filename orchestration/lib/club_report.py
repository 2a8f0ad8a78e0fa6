"""What the club marts look like to a person: tables, PNG charts and the report page.

Shown as metadata on the report asset in the Dagster UI and written to `reports/`. Tables name a
company by `name_en`, else (a company no seed names) its `name_zh` from the data. PNG charts use
`name_en`, else the ASCII company_id, since the default matplotlib fonts have no Chinese glyphs;
the page (`reports/index.html`, lib/report_page.py) shows the Chinese names too.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
from matplotlib.figure import Figure

from orchestration.lib import charts
from orchestration.lib.report_data import ReportData, load_report_data
from orchestration.lib.report_page import write_report_page
from orchestration.lib.ui_table import ui_table

TRILLION = 10**12

# Each company at its own latest observation in the club, a member if it was one that day:
# markets and series end on different days (A shares on 2026-07-29 in the snapshot's whole-market
# quotes, Hong Kong on 2025-07-18), so one common date would drop whole markets. Each row shows
# its date, and as_of_date the club's latest observed day: a member observed last before it (a
# Hong Kong company in the company club) is a member as of its own date, not as of the club's.
# Membership exists only on observed days. Only companies ever in a club are ranked by date: a
# company's latest row is a member only if it ever was one, and sorting every company's days of
# the whole market (21.6 M rows at bench scale under the 1 GB cap) took 27 s where this takes 3 s.
# The README's BI query "Who is in each club" is the plain form of it (a test holds their rows
# equal).
LATEST_MEMBERS_SQL = """
with as_of as (
    select club_id, max(trade_date) as as_of_date
    from marts.club_membership_daily
    group by club_id
),
ever_members as (
    select distinct club_id, company_id from marts.club_membership_daily where is_member
),
latest as (
    select membership.*
    from marts.club_membership_daily as membership
    semi join ever_members using (club_id, company_id)
    qualify
        row_number() over (
            partition by membership.club_id, membership.company_id
            order by membership.trade_date desc
        ) = 1
)
select
    latest.club_id,
    latest.trade_date,
    coalesce(companies.name_en, companies.name_zh, latest.company_id) as company,
    latest.market_cap_club_ccy,
    latest.club_currency,
    latest.is_derived,
    as_of.as_of_date
from latest
inner join as_of using (club_id)
left join marts.dim_company as companies using (company_id)
where latest.is_member
order by latest.club_id, latest.market_cap_club_ccy desc
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
    """Members, recent events, the charts as PNGs and the page (all also written to reports_dir)."""
    data = load_report_data(connection, LATEST_MEMBERS_SQL)
    events = connection.execute(RECENT_EVENTS_SQL).df()
    events.columns = ["date", "club", "company", "event", "re-entry", "after gap", "last seen"]
    page = write_report_page(data, reports_dir)
    return {
        "dagster/row_count": len(data.members),  # the current members of all clubs
        "as_of": dg.MetadataValue.md(as_of_text(data.members)),
        "current_members": ui_table(members_frame(data.members)),
        "recent_events": ui_table(events),
        "report_page": dg.MetadataValue.url(page.as_uri()),
        "report_page_path": dg.MetadataValue.path(str(page)),
        **png_charts(data, reports_dir),
    }


def png_charts(data: ReportData, reports_dir: Path) -> dict:
    """The charts with ASCII labels (name_en or id), as PNG files embedded in the metadata. The
    sector chart names sectors in Chinese only: it is on the page, not here."""
    as_of = data.as_of
    figures = {
        f"timeline_{club}": charts.membership_timeline(data.spans, data.events, club, as_of[club])
        for club in data.clubs
    }
    figures["club_makeup"] = charts.club_makeup(data.makeup, as_of)
    figures["tech_seven"] = charts.tech_seven(data.tech_index, data.tech_latest)
    figures["top_movers"] = charts.top_movers(data.movers)
    metadata = {}
    for name, figure in figures.items():
        metadata.update(chart_metadata(figure, reports_dir / f"{name}.png", name))
    return metadata


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


def chart_metadata(figure: Figure, path: Path, name: str) -> dict:
    """Write the chart to `path` and embed it in markdown, so the UI shows it inline."""
    png = charts.png_bytes(figure)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png)
    encoded = base64.b64encode(png).decode()
    return {
        f"{name}_chart": dg.MetadataValue.md(f"![{path.stem}](data:image/png;base64,{encoded})"),
        f"{name}_chart_path": dg.MetadataValue.path(str(path)),
    }
