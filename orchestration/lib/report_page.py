"""`reports/index.html`: one self-contained page of the club report.

Charts are inline SVG (text left as text, so the browser draws Chinese names), tables are plain
HTML; no script, stylesheet, font or image is fetched, so the page opens from file:// offline.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from orchestration import settings
from orchestration.lib import charts
from orchestration.lib.report_data import ReportData, observation_gap_sessions

STYLE = """
body { font-family: sans-serif; margin: 1.5em auto; max-width: 1250px; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1em; display: block;
    overflow-x: auto; }
th, td { border: 1px solid #ddd; padding: 2px 8px; text-align: left; }
td.num { text-align: right; } figure.chart { margin: 0.5em 0; }
figure.chart svg { max-width: 100%; height: auto; }
.note { color: #555; font-size: 0.9em; }
"""


def write_report_page(data: ReportData, reports_dir: Path) -> Path:
    """Write index.html into reports_dir and return its path."""
    path = reports_dir / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page_html(data), encoding="utf-8")
    return path


def page_html(data: ReportData) -> str:
    as_of = data.as_of
    sections = [
        header(as_of),
        *[club_section(data, club, as_of[club]) for club in data.clubs],
        section(
            "Club make-up over time",
            chart("makeup", charts.club_makeup(data.makeup, as_of)),
            note(
                "Each bar: the club's members at the club's last trade date of the year (each "
                "member at its own last observation in the year), by sector group, as % of the "
                "club's combined value. The latest year runs to the date under it."
            ),
        ),
        events_section(data),
        tech_seven_section(data),
        sectors_section(data),
        provenance(data),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Trillion club report</title>"
        f"<style>{STYLE}</style></head><body>\n{''.join(sections)}\n</body></html>\n"
    )


def header(as_of: dict) -> str:
    bi, docs = settings.bi_path(), settings.DBT_PROJECT_DIR / "target" / "static_index.html"
    written = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    clubs = "".join(f"<li>{esc(club)}: as of {as_of[club]}</li>" for club in as_of)
    return (
        "<h1>Trillion club report</h1>"
        f'<p class="note">Written {written} from the warehouse marts. Each club is as of its own '
        f"latest observed day:</p><ul>{clubs}</ul>"
        f'<p>BI copy (open read-only): <a href="{bi.as_uri()}">{esc(str(bi))}</a> · '
        f'dbt docs (after <code>make docs</code>): <a href="{docs.as_uri()}">'
        f"{esc(str(docs))}</a></p>"
    )


def club_section(data: ReportData, club: str, as_of) -> str:
    rows = [row for row in data.members if row[0] == club]
    table = pd.DataFrame(
        [
            (company, data.chinese_names.get(company) or "", day, value / 10**12, ccy, derived)
            for _, day, company, value, ccy, derived, _ in rows
        ],
        columns=["company", "中文名", "date", "value (tn)", "currency", "derived"],
    )
    timeline = charts.membership_timeline(data.spans, data.events, club, as_of, label="full_label")
    return section(
        f"{club}, as of {as_of}",
        f"<p>{len(rows)} members, each at its own latest observation:</p>",
        frame_html(table),
        chart(f"timeline-{club}", timeline),
        note(
            "Bars: the days a company was a member, coloured by sector group. Hatched grey: a gap "
            "in the observations (more than "
            f"{observation_gap_sessions()} Shanghai sessions unobserved): whether it was in or out "
            "is unknown. Markers: entries, re-entries and exits from club_events; an event "
            "after a gap happened on some day inside it."
        ),
    )


def events_section(data: ReportData) -> str:
    events = data.events.sort_values("event_date", ascending=False).head(20)
    return section(
        "Latest entries and exits",
        frame_html(events),
        note("previous_observation_date: the last day seen before the event (after a gap)."),
    )


def tech_seven_section(data: ReportData) -> str:
    latest = data.tech_latest.drop(columns=["full_label"])
    return section(
        "Chinese tech seven vs US Magnificent Seven",
        chart("tech-seven", charts.tech_seven(data.tech_index, data.tech_latest, "full_label")),
        note(
            "Index: each basket's combined USD value on the dates every valued member of both "
            "baskets has a value, 100 on the first. Latest values from marts.tech_seven."
        ),
        frame_html(latest),
    )


def sectors_section(data: ReportData) -> str:
    return section(
        "Sector moves",
        chart("sectors", charts.sector_moves(data.sectors)),
        frame_html(data.sectors),
        chart("movers", charts.top_movers(data.movers, "full_label")),
        frame_html(data.movers.drop(columns=["full_label"])),
    )


def provenance(data: ReportData) -> str:
    derived = sum(1 for row in data.members if row[5])
    return section(
        "Provenance",
        note(
            f"{derived} of the {len(data.members)} current member rows are derived, not observed "
            "(reconstructed Hong Kong closes, share counts held as step functions, carried FX "
            "fixings): see data/snapshot/PROVENANCE.md. Every fact row carries is_derived and "
            "derivation; in the charts derived figures are hatched."
        ),
    )


def section(title: str, *parts: str) -> str:
    return f"<section><h2>{esc(title)}</h2>{''.join(parts)}</section>\n"


def chart(name: str, figure) -> str:
    return f'<figure class="chart" data-chart="{esc(name)}">{charts.svg_text(figure)}</figure>'


def note(text: str) -> str:
    return f'<p class="note">{esc(text)}</p>'


def frame_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, na_rep="", float_format=lambda v: f"{v:,.3f}", border=0)


def esc(text: str) -> str:
    return html.escape(text, quote=True)
