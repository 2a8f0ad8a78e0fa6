"""One partition per Asia/Shanghai calendar month, for the live raw assets and the daily marts.

Monthly, not daily: Dagster records one materialisation per partition and asset, and a build over
daily partitions since 2020 wrote about 12,600 events, most of `make demo`'s time (README,
"Partitions and backfills"). One partitioning for every time-partitioned asset, because Dagster
refuses a job whose assets have different partitions definitions, and build_warehouse lands the
snapshot's quotes and builds the marts in one run. The raw zone stays one file per trade day.

It starts with the embedded snapshot (its first trade date is 2020-01-02); end_offset=1 so that
the current month's partition exists and today can be landed this afternoon, after the close.
"""

from datetime import date, timedelta

import dagster as dg

MONTHLY = dg.MonthlyPartitionsDefinition(
    start_date="2020-01-01", timezone="Asia/Shanghai", end_offset=1
)


def range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags for one run over the partitions first..last, as a single-run backfill has."""
    return {
        "dagster/asset_partition_range_start": first,
        "dagster/asset_partition_range_end": last,
    }


def month_of(day: date) -> str:
    """The key of the partition that holds `day`."""
    return day.replace(day=1).isoformat()


def every_partition() -> dg.PartitionKeyRange:
    return dg.PartitionKeyRange(MONTHLY.get_first_partition_key(), MONTHLY.get_last_partition_key())


def trade_dates(partitions: dg.PartitionKeyRange) -> tuple[date, date]:
    """The calendar days the partitions first..last hold, both inclusive: the trade-date window
    dbt rebuilds, the gates check and the metadata names."""
    first = month_window(partitions.start).start.date()
    # A window ends at the next month's midnight (exclusive).
    last = month_window(partitions.end).end.date() - timedelta(days=1)
    return first, last


def month_window(key: str) -> dg.TimeWindow:
    """The month partition `key`; a key that is not a month's first day (a run tagged with a
    day, from before the partitions were monthly) is refused rather than read as a month."""
    window = MONTHLY.time_window_for_partition_key(key)
    if window.start.date().isoformat() != key:
        raise ValueError(
            f"partition key {key!r} is not a month partition: expected the first day of a "
            f"month, YYYY-MM-01 (the partitions are months since 2020-01-01, Asia/Shanghai)"
        )
    return window


def run_window(
    context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext,
) -> dg.PartitionKeyRange | None:
    """The partitions of the run, from its tags: also in a step or check that is not
    partitioned itself (the reports after the daily steps, the gates)."""
    if context.has_partition_key or context.has_partition_key_range:
        return context.partition_key_range
    return None


def rebuilt_days(
    context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext,
) -> tuple[date, date] | None:
    """The trade dates a run rebuilt, for the steps after dbt that need only those (the gates,
    the BI publish); None for a run over every partition or none, which rebuilt everything."""
    window = run_window(context)
    if window is None or window == every_partition():
        return None
    return trade_dates(window)
