"""The report page (reports/index.html) and the data its charts draw, on one snapshot build.

Expectations come from the marts: the timeline against club_events, the sector and mover charts
against sector_performance and top_movers. The page itself opens in headless Chromium from disk
(tests/browser.py), with no network.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from orchestration.lib import report_data
from orchestration.lib.club_report import LATEST_MEMBERS_SQL
from tests.browser import SCREENSHOTS
from tests.conftest import query

# Its tests share a module-scoped fixture: one xdist worker runs them all, building it once.
pytestmark = pytest.mark.xdist_group("report_page")


@pytest.fixture(scope="module")
def data(build) -> report_data.ReportData:
    with duckdb.connect(str(build.warehouse), read_only=True) as connection:
        return report_data.load_report_data(connection, LATEST_MEMBERS_SQL)


def spans_of(spans: pd.DataFrame, club: str, company: str, state: str) -> set[tuple]:
    rows = spans[
        (spans["club_id"] == club) & (spans["company_id"] == company) & (spans["state"] == state)
    ]
    return {(row.start, row.end) for row in rows.itertuples()}


def test_the_timeline_draws_every_entry_and_exit_of_club_events(data):
    assert len(data.events) > 0
    for event in data.events.itertuples():
        members = spans_of(data.spans, event.club_id, event.company_id, "member")
        unknown = spans_of(data.spans, event.club_id, event.company_id, "unknown")
        where = f"{event.event_type} of {event.company_id} in {event.club_id} on {event.event_date}"
        # After a gap (or, past the calendar's horizon, perhaps one: null) the change happened
        # somewhere in it: that span is unknown, never in or out.
        after_gap = pd.isna(event.is_after_gap) or bool(event.is_after_gap)
        if after_gap:
            assert (event.previous_observation_date, event.event_date) in unknown, where
        if event.event_type == "entry":
            assert event.event_date in {start for start, _ in members}, where
        else:
            last_in = event.previous_observation_date if after_gap else event.event_date
            assert last_in in {end for _, end in members}, where


def test_a_member_span_starts_at_an_entry_the_first_day_or_after_a_gap(build, data):
    first_member_days = dict(
        ((club, company), pd.Timestamp(day))
        for club, company, day in query(
            build.warehouse,
            "select club_id, company_id, min(trade_date) from marts.club_membership_daily"
            " group by all having arg_min(is_member, trade_date)",
        )
    )
    entries = {
        (row.club_id, row.company_id, row.event_date)
        for row in data.events.itertuples()
        if row.event_type == "entry"
    }
    unknown = data.spans[data.spans["state"] == "unknown"]
    gap_ends = {(row.club_id, row.company_id, row.end) for row in unknown.itertuples()}
    for span in data.spans[data.spans["state"] == "member"].itertuples():
        key = (span.club_id, span.company_id, span.start)
        starting_state = first_member_days.get((span.club_id, span.company_id)) == span.start
        assert key in entries or key in gap_ends or starting_state, key


def test_no_member_span_overlaps_a_gap(data):
    unknown = data.spans[data.spans["state"] == "unknown"]
    assert len(unknown) > 0  # the snapshot has a gap: per-listing history, then the quotes
    for gap in unknown.itertuples():
        members = spans_of(data.spans, gap.club_id, gap.company_id, "member")
        overlapping = [(s, e) for s, e in members if s < gap.end and e > gap.start]
        assert overlapping == [], (gap.club_id, gap.company_id, gap.start, gap.end)


def test_the_sector_chart_ranks_every_sector_of_the_latest_year(build, data):
    [(year, sectors)] = query(
        build.warehouse,
        "select calendar_year, count(*) from marts.sector_performance"
        " group by all order by calendar_year desc limit 1",
    )
    assert len(data.sectors) == sectors
    assert set(data.sectors["calendar_year"]) == {year}
    assert list(data.sectors["return_pct"]) == sorted(data.sectors["return_pct"], reverse=True)


def test_the_movers_chart_shows_the_best_of_the_latest_year_and_marks_doublers(build, data):
    best = query(
        build.warehouse,
        "select listing_id from marts.top_movers"
        " where calendar_year = (select max(calendar_year) from marts.top_movers)"
        " order by rank_in_year limit ?",
        len(data.movers),
    )
    assert list(data.movers["listing_id"]) == [listing for (listing,) in best]
    assert list(data.movers["is_doubler"]) == [pct >= 100 for pct in data.movers["return_pct"]]


def test_the_tech_seven_index_is_on_dates_every_valued_member_has(data):
    valued = data.tech_latest[data.tech_latest["value_status"] == "valued"]
    assert set(data.tech_index["basket"]) == set(valued["basket"])
    by_basket = data.tech_index.groupby("basket")
    assert by_basket["trade_date"].apply(list).map(tuple).nunique() == 1  # the same dates
    assert (by_basket["index_first_date_100"].first().round(9) == 100).all()


BROKEN_IMAGES_JS = (
    "return [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
    ".map(i => i.src.slice(0, 80));"
)
# Each chart: its size on screen and how many drawn marks (bars, lines: the gid'd artists) show.
CHARTS_JS = """
return [...document.querySelectorAll('figure.chart')].map(f => {
    const svg = f.querySelector('svg');
    const marks = svg ? [...svg.querySelectorAll('[id^="mark-"] path, [id^="mark-"] rect')]
        .filter(m => { const b = m.getBBox(); return b.width > 0 || b.height > 0; }) : [];
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    return [f.dataset.chart, box.width, box.height, marks.length];
});
"""
NETWORK_JS = (
    "return [...document.querySelectorAll('[src],[href],link,script[src]')]"
    ".map(e => e.getAttribute('src') || e.getAttribute('href'))"
    ".filter(u => /^(https?:)?\\/\\//.test(u));"
)


def test_the_page_opens_from_disk_with_every_chart_drawn(build, data, browser):
    page = build.reports_dir / "index.html"
    browser.get(page.as_uri())
    text = browser.find_element("tag name", "body").text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "report_page.png"))
    timeline = browser.find_element("css selector", "figure.chart")
    timeline.screenshot(str(SCREENSHOTS / "report_timeline.png"))
    print(f"screenshots: {SCREENSHOTS}")
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == []
    assert browser.execute_script(BROKEN_IMAGES_JS) == []
    assert browser.execute_script(NETWORK_JS) == []
    charts = browser.execute_script(CHARTS_JS)
    expected = [f"timeline-{club}" for club in data.clubs]
    expected += ["makeup", "tech-seven", "sectors", "movers"]
    assert [name for name, *_ in charts] == expected
    empty = [name for name, width, height, marks in charts if not (width and height and marks)]
    assert empty == []
    for club, *_, as_of in data.members:
        assert f"{club}: as of {as_of}" in text
    # The tables name members in Chinese too (the PNGs cannot).
    chinese = {data.chinese_names.get(company) for _, _, company, *_ in data.members}
    assert {name for name in chinese if name and name not in text} == set()
