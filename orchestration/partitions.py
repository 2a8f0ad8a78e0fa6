"""One partition per Asia/Shanghai calendar day, for the daily raw assets and the daily marts.

It starts with the embedded snapshot (its first trade date is 2020-01-02); end_offset=1 so that
today's partition exists and can be landed this afternoon, after the close. A day without a
session is a partition with no rows.
"""

import dagster as dg

DAILY = dg.DailyPartitionsDefinition(
    start_date="2020-01-01", timezone="Asia/Shanghai", end_offset=1
)


def range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags for one run over the partitions first..last, as a single-run backfill has."""
    return {
        "dagster/asset_partition_range_start": first,
        "dagster/asset_partition_range_end": last,
    }


def every_partition() -> dg.PartitionKeyRange:
    return dg.PartitionKeyRange(DAILY.get_first_partition_key(), DAILY.get_last_partition_key())


def run_window(
    context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext,
) -> dg.PartitionKeyRange | None:
    """The trade dates of the run, from its tags: also in a step or check that is not
    partitioned itself (the reports after the daily steps, the gates)."""
    if context.has_partition_key or context.has_partition_key_range:
        return context.partition_key_range
    return None
