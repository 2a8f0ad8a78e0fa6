"""The live schedules run after each market's close on that exchange's trading days only."""

from datetime import datetime

import dagster as dg
import pytest

from orchestration.assets.live.landing_rules import LANDED_DAY
from orchestration.definitions import defs
from orchestration.lib.trading_calendar import SHANGHAI
from orchestration.partitions import MONTHLY
from orchestration.schedules import A_SHARE_CLOSE_ASSETS, HONG_KONG_CLOSE_ASSETS, US_CLOSE_ASSETS


def tick(schedule_name: str, day: str, hour: int, minute: int = 30):
    when = datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=SHANGHAI)
    schedule = defs.resolve_schedule_def(schedule_name)
    return schedule(dg.build_schedule_context(scheduled_execution_time=when))


@pytest.mark.parametrize(
    ("schedule", "day", "hour", "assets"),
    [
        # Lunar New Year 2025: Shanghai closed 01-28 to 02-04, Hong Kong reopened on 01-31.
        ("after_a_share_close", "2025-02-05", 15, A_SHARE_CLOSE_ASSETS),
        ("after_hong_kong_close", "2025-02-03", 16, HONG_KONG_CLOSE_ASSETS),
        # The file of 2025-01-22 holds the New York session of 2025-01-21.
        ("after_us_close", "2025-01-22", 6, US_CLOSE_ASSETS),
    ],
)
def test_a_session_day_lands_its_markets_assets_in_the_month_holding_it(
    schedule, day, hour, assets
):
    request = tick(schedule, day, hour)
    assert isinstance(request, dg.RunRequest)
    assert request.partition_key == day[:8] + "01"  # the month partition holding the day
    assert request.run_key == f"{schedule}:{day}"  # one run per day still
    assert request.asset_selection == assets
    assert request.job_name in (None, "daily_live_update")


@pytest.mark.parametrize(
    ("schedule", "day", "hour"),
    [
        ("after_a_share_close", "2025-02-03", 15),  # Hong Kong open, Shanghai closed
        ("after_hong_kong_close", "2025-01-30", 16),  # both closed
        ("after_us_close", "2025-01-21", 6),  # Martin Luther King Jr. Day, 2025-01-20
    ],
)
def test_a_non_trading_day_is_skipped_with_the_reason(schedule, day, hour):
    skip = tick(schedule, day, hour)
    assert isinstance(skip, dg.SkipReason)
    assert "is not a" in skip.skip_message


def test_scheduled_assets_are_live_assets_of_the_job():
    job_assets = defs.resolve_job_def("daily_live_update").asset_layer.executable_asset_keys
    for schedule in defs.schedules:
        assert schedule.job_name == "daily_live_update"
    assert set(A_SHARE_CLOSE_ASSETS + HONG_KONG_CLOSE_ASSETS + US_CLOSE_ASSETS) <= set(job_assets)


def test_every_raw_asset_has_a_freshness_check():
    graph = defs.resolve_asset_graph()
    # But backfill_history's batches: landed on demand, one run per batch, with no deadline.
    raw = {key for key in graph.get_all_asset_keys() if key.path[0] == "raw"}
    raw -= {key for key in raw if key.path[1] == "history_batches"}
    fresh = {key.asset_key for key in graph.asset_check_keys if key.name == "freshness_check"}
    assert raw == fresh


def sensor_after(landed_day: str | None):
    """What update_after_live_landing answers for a successful run whose one materialisation
    names `landed_day` (as every live asset's does), or names no day."""
    instance = dg.DagsterInstance.ephemeral()

    @dg.asset(partitions_def=MONTHLY)
    def live_landing():
        return dg.MaterializeResult(metadata={LANDED_DAY: landed_day} if landed_day else {})

    month = landed_day[:8] + "01" if landed_day else MONTHLY.get_first_partition_key()
    run = dg.materialize([live_landing], instance=instance, partition_key=month)
    [success] = [e for e in run.all_events if e.event_type_value == "PIPELINE_SUCCESS"]
    sensor = defs.resolve_sensor_def("update_after_live_landing")
    return sensor(
        dg.build_run_status_sensor_context(
            sensor_name=sensor.name,
            dagster_instance=instance,
            dagster_run=run.dagster_run,
            dagster_event=success,
        )
    )


@pytest.mark.parametrize(
    ("landed_day", "months"),
    [
        ("2026-07-29", ("2026-07-01", "2026-07-01")),
        # The first of a month: the US session of the day before is in the month before.
        ("2026-07-01", ("2026-06-01", "2026-07-01")),
    ],
)
def test_the_update_after_a_landing_rebuilds_the_months_of_that_day_and_the_day_before(
    landed_day, months
):
    request = sensor_after(landed_day)
    assert isinstance(request, dg.RunRequest)
    tags = request.tags
    assert (
        tags["dagster/asset_partition_range_start"],
        tags["dagster/asset_partition_range_end"],
    ) == months


def test_a_landing_that_names_no_day_requests_no_update():
    skip = sensor_after(None)
    assert isinstance(skip, dg.SkipReason)
    assert "names no landed day" in skip.skip_message
