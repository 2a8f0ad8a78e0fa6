"""The BI copy of the marts: published after every build, read-only for BI tools."""

import dagster as dg
import duckdb

from orchestration import bi, settings
from orchestration.assets.warehouse import WAREHOUSE_OWNERS, warehouse_dbt_assets
from orchestration.club_reports import markdown_table
from orchestration.table_metadata import table_metadata

MART_KEYS = [key for layer in warehouse_dbt_assets for key in layer.keys if key.path[0] == "marts"]


@dg.asset(
    key=["bi", "trillion_club_bi"],
    group_name="bi",
    owners=WAREHOUSE_OWNERS,
    kinds={"duckdb"},
    deps=MART_KEYS,
    description=(
        "Every table of schema `marts`, copied into a new DuckDB file "
        "(`published/marts_<version>.duckdb`, storage format of DuckDB 1.0) and swapped in "
        "atomically at the stable BI path. BI tools open that path read-only; a rebuild never "
        "locks them out or shows them half a build. `marts._publication` names the version."
    ),
)
def trillion_club_bi() -> dg.MaterializeResult:
    publication = bi.publish_marts(
        settings.warehouse_path(), settings.published_dir(), settings.bi_path()
    )
    with duckdb.connect(str(publication.path), read_only=True) as connection:
        dates = table_metadata(connection, "marts", "club_membership_daily")
    counts = markdown_table(["table", "rows"], sorted(publication.row_counts.items()))
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": sum(publication.row_counts.values()),
            "first_date": dates["first_date"],
            "last_date": dates["last_date"],
            "version": publication.version,
            "bi_path": dg.MetadataValue.path(str(settings.bi_path())),
            "published_file": dg.MetadataValue.path(str(publication.path)),
            "storage_version": bi.BI_STORAGE_VERSION,
            "tables": dg.MetadataValue.md(counts),
        }
    )
