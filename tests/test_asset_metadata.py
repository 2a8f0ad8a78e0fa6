"""What a UI user sees on each asset after a build: row counts, date ranges, members, charts."""

import dagster as dg

from tests.conftest import check_evaluations, materializations, query

PNG_MAGIC = b"\x89PNG"


def test_every_asset_reports_its_row_count(build):
    metadata = materializations(build)
    assert "bi/trillion_club_bi" in metadata
    missing = [key for key, values in metadata.items() if "dagster/row_count" not in values]
    assert missing == []


def test_dbt_assets_report_the_date_range_of_their_rows(build):
    membership = materializations(build)["marts/club_membership_daily"]
    assert membership["date_column"].value == "trade_date"
    assert membership["first_date"].value == "2020-01-02"
    assert membership["last_date"].value >= "2025-06-30"
    assert membership["dagster/row_count"].value > 0


def test_the_club_report_shows_current_members_events_and_charts(build):
    report = materializations(build)["reports/trillion_club_report"]
    members = [row.data for row in report["current_members"].records]
    moutai = {row["club"]: row for row in members if row["company"] == "Kweichow Moutai"}
    assert moutai["company_trillion_cny"]["value (tn)"] >= 1
    # Each company at its own latest observation: Moutai's is the last day the data has it.
    [(latest,)] = query(
        build.warehouse,
        "select max(trade_date)::varchar from marts.fct_company_market_cap_daily"
        " where company_id = 'kweichow_moutai'",
    )
    assert moutai["company_trillion_cny"]["date"] == latest
    # Each club is "as of" its latest observed day; a member can be observed last before it.
    as_of = {row["club"]: row["club as of"] for row in members}
    expected = dict(
        query(
            build.warehouse,
            "select club_id, max(trade_date)::varchar from marts.club_membership_daily"
            " group by club_id having bool_or(is_member)",
        )
    )
    assert as_of == expected
    assert as_of["hk_trillion_hkd"] < as_of["a_share_trillion_cny"]
    for club, day in as_of.items():
        assert f"{club}: as of {day}," in report["as_of"].value
    assert "entry" in {row.data["event"] for row in report["recent_events"].records}
    # One timeline per club, then the make-up, tech seven and top movers charts, each a PNG.
    charts = [f"timeline_{club}" for club in as_of] + ["club_makeup", "tech_seven", "top_movers"]
    for name in charts:
        embedded = report[f"{name}_chart"].value
        assert embedded.startswith(f"![{name}](data:image/png;base64,")
        path = report[f"{name}_chart_path"].value
        assert path == str(build.reports_dir / f"{name}.png")
        with open(path, "rb") as png:
            assert png.read(4) == PNG_MAGIC
    # The page, linked from the metadata.
    page = build.reports_dir / "index.html"
    assert report["report_page_path"].value == str(page)
    assert report["report_page"].value == page.as_uri()
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_partitioned_mart_reports_the_rows_of_the_run_window(build):
    facts = materializations(build)["marts/fct_listing_market_cap_daily"]
    assert facts["window"].value.startswith("2020-01-01..")
    # The build ran over every partition, so its window holds every row of the table.
    assert facts["rows_in_window"].value == facts["dagster/row_count"].value > 0


def test_the_bi_asset_names_the_stable_path_and_the_published_version(build):
    bi_metadata = materializations(build)["bi/trillion_club_bi"]
    assert bi_metadata["bi_path"].value == str(
        build.warehouse.parent / "bi" / "trillion_club_bi.duckdb"
    )
    assert bi_metadata["version"].value in bi_metadata["published_file"].value
    assert isinstance(bi_metadata["tables"], dg.TableMetadataValue)
    tables = {row.data["table"]: row.data["rows"] for row in bi_metadata["tables"].records}
    assert tables["club_membership_daily"] > 0
    assert sum(tables.values()) == bi_metadata["dagster/row_count"].value
    # A build over every month publishes every table whole.
    assert bi_metadata["window"].value == "all"
    assert {row.data["copied"] for row in bi_metadata["tables"].records} == {"whole"}


def test_freshness_checks_pass_right_after_the_snapshot_build(build):
    evaluations = [
        evaluation
        for evaluation in check_evaluations(build.events)
        if evaluation.check_name == "freshness_check"
    ]
    assert len(evaluations) >= 8
    assert all(evaluation.passed for evaluation in evaluations)
