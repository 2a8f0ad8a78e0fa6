"""The clubs as a person reads them: current members, recent entries/exits and two charts.

One unpartitioned asset downstream of the club marts. Not metadata on those marts themselves:
they are partitioned by trade date, and a backfill's metadata is stored once per partition (six
years of charts, over 2,500 copies, made a 2 GB event log).
"""

import dagster as dg
import duckdb

from orchestration import settings
from orchestration.assets.warehouse import WAREHOUSE_OWNERS
from orchestration.club_reports import club_report_metadata

CLUB_MARTS = ["club_membership_daily", "club_events", "club_composition", "dim_company"]


@dg.asset(
    key=["reports", "trillion_club_report"],
    group_name="marts",
    owners=WAREHOUSE_OWNERS,
    kinds={"duckdb", "matplotlib"},
    deps=[dg.AssetKey(["marts", name]) for name in CLUB_MARTS],
    description=(
        "Each club's members at each company's latest date, the latest entries and exits, "
        "members' value against the 1-trillion line and the clubs' make-up by sector group "
        "per year. The charts are also written to reports/ (club_members.png, "
        "club_composition.png)."
    ),
)
def trillion_club_report() -> dg.MaterializeResult:
    with duckdb.connect(str(settings.warehouse_path()), read_only=True) as connection:
        metadata = club_report_metadata(connection, settings.reports_dir())
    return dg.MaterializeResult(metadata=metadata)
