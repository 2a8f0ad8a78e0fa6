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
