"""The report's charts, drawn from report_data's frames (no SQL here).

A bare matplotlib Figure renders with Agg; no pyplot state. Every chart takes the name of the
label column: `label` (ASCII: name_en or id) for PNGs, whose default fonts have no Chinese
glyphs, or `full_label` (with the Chinese name) for the page, whose SVG keeps text as text so the
browser draws it in its own fonts. Colours: one per sector group (tab10, the same in every
chart); derived figures are hatched.
"""

from __future__ import annotations

import io
import itertools
import logging
import warnings
from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.dates as mdates
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

UNKNOWN_COLOUR, UNKNOWN_HATCH, DERIVED_HATCH = "#d9d9d9", "////", "xx"
BASKET_COLOURS = {"china_tech_seven_candidates": "tab:red", "us_magnificent_seven": "tab:blue"}
DERIVED_NOTE = "hatched: derived figure (PROVENANCE.md), not observed"


MARK_NUMBERS = itertools.count()


def mark(artists, kind: str) -> None:
    """Name each drawn mark `mark-<kind>-<n>` (the SVG element's id, unique on the page): the
    browser test counts them to tell a drawn chart from an empty one. Marks lie inside their
    axes, so the layout need not measure each (a timeline has over a thousand)."""
    for artist in artists:
        artist.set_gid(f"mark-{kind}-{next(MARK_NUMBERS)}")
        artist.set_in_layout(False)


def value_bars(axes, rows: pd.DataFrame, label: str, value: str, colours: list, kind: str):
    """Horizontal bars of `value` per `label`, a derived figure hatched, each bar marked."""
    bars = axes.barh(
        rows[label],
        rows[value],
        color=colours,
        hatch=[DERIVED_HATCH if derived else "" for derived in rows["is_derived"]],
        edgecolor="white",
    )
    mark(bars, kind)


OTHER_COLOUR = (0.5, 0.5, 0.5)


def sector_colours(groups: Sequence[str]) -> dict[str, tuple]:
    """One distinct colour per sector group; past nine groups, the rest share grey as 'other'."""
    palette = colormaps["tab10"].colors[:9]  # tab10's tenth colour is close to grey
    ordered = sorted(set(groups))
    return {group: palette[i] if i < 9 else OTHER_COLOUR for i, group in enumerate(ordered)}


def sector_legend(colours: dict[str, tuple], groups: Sequence[str]) -> list[Patch]:
    """A legend entry per group shown, the grey ones as one 'other'."""
    patches: dict[str, Patch] = {}
    for group in sorted(set(groups)):
        label = "other" if colours[group] == OTHER_COLOUR else group
        patches.setdefault(label, Patch(color=colours[group], label=label))
    return list(patches.values())


def membership_timeline(
    spans: pd.DataFrame, events: pd.DataFrame, club: str, as_of, label: str = "label"
) -> Figure:
    """One row per company that was ever a member: bars while in, hatched grey where unknown."""
    rows = spans[spans["club_id"] == club]
    order = rows[rows["state"] == "member"].groupby(label)["start"].min().sort_values()
    companies = list(order.index)[::-1]  # earliest member on top
    position = {company: i for i, company in enumerate(companies)}
    colours = sector_colours(spans["sector_group"].fillna("unclassified"))
    figure = Figure(figsize=(11, 1.2 + 0.28 * len(companies)), layout="constrained")
    axes = figure.subplots()
    for state, spans_in_state in rows.groupby("state"):
        starts, ends = (
            pd.to_datetime(spans_in_state["start"]),
            pd.to_datetime(spans_in_state["end"]),
        )
        style = (
            {"color": UNKNOWN_COLOUR, "hatch": UNKNOWN_HATCH, "edgecolor": "grey", "linewidth": 0}
            if state == "unknown"
            else {"color": list(spans_in_state["sector_group"].fillna("unclassified").map(colours))}
        )
        bars = axes.barh(
            spans_in_state[label].map(position),
            (ends - starts).dt.days.clip(lower=1),
            left=starts,
            height=0.6,
            **style,
        )
        mark(bars, state)
    draw_event_markers(axes, events[events["club_id"] == club], rows, label, position)
    axes.set_yticks(range(len(companies)), companies, fontsize=8)
    axes.set_ylim(-0.7, len(companies) - 0.3)
    axes.grid(axis="x", alpha=0.3)
    concise_dates(axes)
    axes.set_title(f"{club}: when each company was a member (as of {as_of})")
    present = rows["sector_group"].fillna("unclassified")
    axes.legend(
        handles=[
            *sector_legend(colours, present),
            Patch(facecolor=UNKNOWN_COLOUR, hatch=UNKNOWN_HATCH, label="gap in the data: unknown"),
            Line2D([], [], marker=">", linestyle="", color="black", label="entry"),
            Line2D([], [], marker="D", linestyle="", color="black", label="re-entry"),
            Line2D([], [], marker="x", linestyle="", color="black", label="exit"),
        ],
        fontsize=7,
        loc="upper left",
        bbox_to_anchor=(1, 1),
    )
    return figure


def draw_event_markers(axes, events: pd.DataFrame, spans, label: str, position: dict) -> None:
    labels = spans.drop_duplicates("company_id").set_index("company_id")[label]
    markers = [
        "x" if event.event_type == "exit" else "D" if event.is_reentry else ">"
        for event in events.itertuples()
    ]
    for marker, rows in events.assign(marker=markers).groupby("marker"):
        y = rows["company_id"].map(labels).map(position)
        axes.plot(rows["event_date"], y, marker=marker, color="black", markersize=4, linestyle="")


def concise_dates(axes) -> None:
    locator = mdates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def club_makeup(makeup: pd.DataFrame, as_of: dict) -> Figure:
    """Each club's year-end members by sector group, as % of the club's combined value."""
    clubs = list(makeup["club_id"].unique())
    colours = sector_colours(makeup["sector_group"])
    figure = Figure(figsize=(11, 3.2 * len(clubs)), layout="constrained")
    for axes, club in zip(figure.subplots(len(clubs), 1, squeeze=False)[:, 0], clubs, strict=True):
        rows = makeup[makeup["club_id"] == club]
        table = rows.pivot_table(
            index="year", columns="sector_group", values="share_of_club", fill_value=0
        )
        bottom = 0
        for group in table.columns:
            bars = axes.bar(table.index, 100 * table[group], bottom=bottom, color=colours[group])
            mark(bars, "share")
            bottom = bottom + 100 * table[group]
        ends = rows.groupby("year")["period_end"].max()
        axes.set_xticks(table.index, [f"{year}\nto {ends[year]:%m-%d}" for year in table.index])
        axes.set_ylabel("% of club value")
        axes.set_title(
            f"{club}: make-up at each year end by sector group (as of {as_of.get(club)})"
        )
        axes.legend(
            handles=sector_legend(colours, table.columns),
            fontsize=7,
            loc="upper left",
            bbox_to_anchor=(1, 1),
        )
    return figure


def tech_seven(index: pd.DataFrame, latest: pd.DataFrame, label: str = "label") -> Figure:
    """The two baskets indexed on common dates, and each valued member's latest USD value."""
    figure = Figure(figsize=(12, 5), layout="constrained")
    left, right = figure.subplots(1, 2)
    for basket, rows in index.groupby("basket"):
        (line,) = left.plot(
            rows["trade_date"],
            rows["index_first_date_100"],
            color=BASKET_COLOURS[basket],
            label=basket,
        )
        mark([line], "index")
    start = index["trade_date"].min()
    derived = "; some members' values derived" if index["is_derived"].any() else ""
    # Two lines: one would run into the panel beside it at the default size.
    left.set_title(
        f"combined USD value, {start:%Y-%m-%d} = 100\n"
        f"on the dates every member has a value{derived}"
    )
    concise_dates(left)
    left.axhline(100, color="grey", linewidth=0.5)
    left.legend(fontsize=8)
    valued = latest[latest["value_status"] == "valued"].sort_values("market_cap_usd_bn")
    basket_colours = [BASKET_COLOURS[basket] for basket in valued["basket"]]
    value_bars(right, valued, label, "market_cap_usd_bn", basket_colours, "latest")
    right.set_xlabel("market value, bn USD")
    right.set_title(f"each member on {latest['as_of_date'].max():%Y-%m-%d} (latest common date)")
    right.tick_params(axis="y", labelsize=8)
    figure.suptitle(f"Chinese tech seven candidates vs US Magnificent Seven; {DERIVED_NOTE}")
    return figure


def sector_moves(sectors: pd.DataFrame, label: str = "sector_l1") -> Figure:
    """Shenwan level-1 sectors ranked by the latest year's change (year to date)."""
    rows = sectors.sort_values("return_pct")
    colours = sector_colours(sectors["sector_group"])
    figure = Figure(figsize=(10, 1.2 + 0.3 * len(rows)), layout="constrained")
    axes = figure.subplots()
    group_colours = [colours[group] for group in rows["sector_group"]]
    value_bars(axes, rows, label, "return_pct", group_colours, "sector")
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_xlabel("change in combined market value, %")
    axes.legend(
        handles=sector_legend(colours, rows["sector_group"]),
        fontsize=7,
        loc="lower right",
    )
    year, start, end = (
        rows["calendar_year"].max(),
        rows["period_start"].min(),
        rows["period_end"].max(),
    )
    period = "year to date" if (rows["period_type"] == "year_to_date").any() else "calendar year"
    axes.set_title(
        f"Shenwan level-1 sectors, {year} {period} ({start:%Y-%m-%d} to {end:%Y-%m-%d}); "
        f"{DERIVED_NOTE}",
        fontsize=9,
    )
    return figure


def top_movers(movers: pd.DataFrame, label: str = "label") -> Figure:
    """The latest year's best listings; doublers (>= +100 %) in their own colour."""
    rows = movers.sort_values("return_pct")
    figure = Figure(figsize=(10, 1.2 + 0.3 * len(rows)), layout="constrained")
    axes = figure.subplots()
    doubler_colours = ["tab:orange" if doubled else "tab:blue" for doubled in rows["is_doubler"]]
    value_bars(axes, rows, label, "return_pct", doubler_colours, "mover")
    axes.axvline(100, color="tab:orange", linestyle="--", linewidth=0.8, label="doubled (+100 %)")
    axes.set_xlabel("change in market value, % (native currency)")
    axes.legend(fontsize=8, loc="lower right")
    year, end = rows["calendar_year"].max(), rows["period_end"].max()
    axes.set_title(
        f"top {len(rows)} movers of {year} (to {end:%Y-%m-%d}); {DERIVED_NOTE}", fontsize=9
    )
    return figure


def png_bytes(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()


def svg_text(figure: Figure) -> str:
    """The chart as an inline <svg>, its text left as text for the browser to draw (Chinese
    names too). Layout is measured with matplotlib's own font, which lacks those glyphs: the
    missing-glyph warnings say nothing about the browser's rendering."""
    buffer = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none"}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        logging.getLogger("matplotlib.font_manager").disabled = True
        try:
            figure.savefig(buffer, format="svg")
        finally:
            logging.getLogger("matplotlib.font_manager").disabled = False
    text = buffer.getvalue()
    return text[text.index("<svg") :]
