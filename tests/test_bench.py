"""The benchmark's code at tiny scale (about 20 listings × 30 days): every step runs and the
report is complete and sane. No timings are asserted; `make bench` measures at full scale."""

import statistics
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from bench.generate import Scale, append_next_day, generate
from bench.run import HEADLINE_FIGURES, run_bench, table

# Its tests share a module-scoped fixture: one xdist worker runs them all, building it once.
pytestmark = pytest.mark.xdist_group("bench")

TINY = Scale(a_listings=12, hk_listings=8, years=0.12, seed=7)
REPORT_KEYS = {
    "listing_days",
    "dbt_build_s",
    "duckdb_sql_s",
    "ratio_dbt_to_sql",
    "full_rebuild_s",
    "incremental_s",
    "peak_rss_mb",
    "live_daily_requests",
    "dagster_build_s",
    "dagster_update_s",
    "gates_update_s",
    "publish_update_s",
    "peak_rss_mb_pipeline",
    "ratio_dagster_update_to_dbt_update",
    "materialization_events_build",
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    # One sample per step: each repeat is five more dbt calls, and their medians are
    # statistics.median's; `make bench` takes three.
    return run_bench(tmp_path_factory.mktemp("bench"), TINY, repeats=1)


def test_the_report_has_every_figure_with_sane_values(report):
    assert report.keys() >= REPORT_KEYS
    assert all(report[key] > 0 for key in REPORT_KEYS)
    assert report["data"]["synthetic"] is True
    assert report["ratio_dagster_update_to_dbt_update"] == pytest.approx(
        report["dagster_update_s"] / report["incremental_s"], abs=0.01
    )
    figures = [row.split("|")[1].strip() for row in table(report).splitlines()[2:]]
    assert figures == list(HEADLINE_FIGURES)
    assert report["smallest_dbt_call_s"] < report["full_rebuild_s"]
    # Each figure is the median of its step's samples, taken alternately with its counterpart.
    for key, step in (
        ("dbt_build_s", "build"),
        ("duckdb_sql_s", "sql"),
        ("incremental_s", "incremental"),
    ):
        assert len(report["samples_s"][step]) == report["repeats"] == 1
        assert report[key] == pytest.approx(statistics.median(report["samples_s"][step]), abs=0.01)
    # Read from each timed call's JSON log, as Dagster reads dbt's events.
    for step in ("first-build", "incremental"):
        assert len(report["slowest_dbt_nodes"][step]) == 8


def test_the_pipeline_figures_come_from_the_dagster_runs(report):
    steps = report["pipeline_steps_s"]
    # The gates and the publish are steps of the one-day run, inside its wall time.
    gates = {step for step in steps["update"] if step.startswith("gx_")}
    assert gates == {step for step in steps["build"] if step.startswith("gx_")} and gates
    assert report["gates_update_s"] == pytest.approx(sum(steps["update"][s] for s in gates))
    assert report["gates_update_s"] + report["publish_update_s"] < report["dagster_update_s"]
    # The build materialises every partition of each partitioned dbt model: more events than
    # the one-day update's run has steps.
    assert report["materialization_events_build"] > len(steps["build"])
    # Dagster and the dbt it starts, together: more than dbt alone, which runs inside.
    assert report["peak_rss_mb_pipeline"] > report["peak_rss_mb"]


def test_the_floor_builds_the_same_marts_as_dbt(report):
    assert report["floor_marts_match_dbt"] is True


def test_a_live_daily_update_makes_one_request_per_page_and_parity(report):
    # 12 A shares and 8 HK listings fit on one eastmoney page each; two central-parity series.
    assert report["live_requests_by_asset"] == {
        "stock_zh_a_spot_em": 1,
        "stock_hk_spot_em": 1,
        "forex_hist_em": 2,
        "total": 4,
    }


def test_generation_is_reproducible_and_labelled_synthetic(tmp_path: Path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert generate(first, TINY) == generate(second, TINY)
    for dataset in ("stock_value_em", "stock_hk_valuation_baidu"):
        rows = pq.read_table(first / "raw" / dataset / "all.parquet")
        assert rows.equals(pq.read_table(second / "raw" / dataset / "all.parquet"))
        assert set(rows["_source_mode"].to_pylist()) == {"synthetic"}
        assert (
            b"synthetic"
            in pq.read_schema(first / "raw" / dataset / "all.parquet").metadata[b"load_metadata"]
        )
    assert (first / "seeds" / "listings.csv").read_text() == (
        second / "seeds" / "listings.csv"
    ).read_text()


def test_appending_the_held_back_day_relands_each_history_whole(tmp_path: Path):
    # Staging reads a listing's history from its newest landing only: a file with the one day
    # would hide every earlier day, so the day joins the history's file, each row once.
    summary = generate(tmp_path, TINY)
    before = pq.read_table(tmp_path / "raw" / "stock_value_em" / "all.parquet")
    append_next_day(tmp_path)
    assert sorted(path.name for path in (tmp_path / "raw" / "stock_value_em").iterdir()) == [
        "all.parquet"
    ]
    after = pq.read_table(tmp_path / "raw" / "stock_value_em" / "all.parquet")
    days = [str(day) for day in after["数据日期"].to_pylist()]
    assert days.count(summary["next_day"]) == after.num_rows - before.num_rows > 0
    assert after.slice(0, before.num_rows).equals(before)
    fixings = tmp_path / "raw" / "currency_boc_safe" / f"{summary['next_day']}.parquet"
    assert fixings.exists()
