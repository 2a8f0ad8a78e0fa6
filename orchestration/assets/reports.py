"""What people read from the marts: the club report and the BI copy, both after the marts.

The report is one unpartitioned asset downstream of the club marts. Not metadata on those marts
themselves: they are partitioned, and a backfill's metadata is stored once per partition (with
daily partitions six years of charts, over 2,500 copies, made a 2 GB event log; months would
still store over 80).
"""

from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
from dagster_duckdb import DuckDBResource

from orchestration import settings
from orchestration.assets.warehouse import WAREHOUSE_OWNERS, warehouse_dbt_assets
from orchestration.lib import publication
from orchestration.lib.club_report import club_report_metadata
from orchestration.lib.table_metadata import table_metadata
from orchestration.lib.ui_table import ui_table
from orchestration.partitions import rebuilt_days
from orchestration.resources import reading

REPORT_MARTS = [
    "club_membership_daily",
    "club_events",
    "club_composition",
    "dim_company",
    "dim_listing",
    "fct_company_market_cap_daily",
    "tech_seven",
    "sector_performance",
    "top_movers",
]
MART_KEYS = [key for layer in warehouse_dbt_assets for key in layer.keys if key.path[0] == "marts"]


@dg.asset(
    key=["reports", "trillion_club_report"],
    group_name="marts",
    owners=WAREHOUSE_OWNERS,
    kinds={"duckdb", "matplotlib"},
    deps=[dg.AssetKey(["marts", name]) for name in REPORT_MARTS],
    description=(
        "Each club's members at each company's latest date, and the club's own latest observed "
        "day they are as of (`as_of`), the latest entries and exits (after a gap in the "
        "observations: the last day seen before it), and the charts: when each company was in "
        "each club (gaps in the data drawn as unknown), the clubs' make-up by sector group per "
        "year, the Chinese tech seven against the Magnificent Seven, the top movers. The charts "
        "are written to reports/ as PNG and, with the sector moves and the tables, as one "
        "self-contained page, reports/index.html (`report_page`)."
    ),
)
def trillion_club_report(warehouse: DuckDBResource) -> dg.MaterializeResult:
    with reading(warehouse) as connection:
        metadata = club_report_metadata(connection, settings.reports_dir())
    return dg.MaterializeResult(metadata=metadata)


@dg.asset(
    key=["bi", "trillion_club_bi"],
    group_name="bi",
    owners=WAREHOUSE_OWNERS,
    kinds={"duckdb"},
    deps=MART_KEYS,
    description=(
        "Every table of schema `marts`, published as a new DuckDB file "
        "(`published/marts_<version>.duckdb`, storage format of DuckDB 1.0) and swapped in "
        "atomically at the stable BI path. BI tools open that path read-only; a rebuild never "
        "locks them out or shows them half a build. `marts._publication` names the version. "
        "A run over some months starts from the last publication and replaces only their days "
        "of the daily marts (`window`; `tables` says what was copied), after checking each "
        "such table against the warehouse; every other table is copied whole."
    ),
)
def trillion_club_bi(
    context: dg.AssetExecutionContext, warehouse: DuckDBResource
) -> dg.MaterializeResult:
    # Publishing writes a new file: it reads the resource's warehouse through its own connection
    # (lib/publication.py says why).
    days = rebuilt_days(context)
    published = publication.publish_marts(
        Path(warehouse.database), settings.published_dir(), settings.bi_path(), days
    )
    # The file just published, not the warehouse the resource reads.
    config = settings.DUCKDB_CONFIG
    with duckdb.connect(str(published.path), read_only=True, config=config) as connection:
        dates = table_metadata(connection, "marts", "club_membership_daily")
    tables = pd.DataFrame(
        [
            (table, rows, "window" if table in published.windowed else "whole")
            for table, rows in sorted(published.row_counts.items())
        ],
        columns=["table", "rows", "copied"],
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": sum(published.row_counts.values()),
            "first_date": dates["first_date"],
            "last_date": dates["last_date"],
            "version": published.version,
            "window": "all" if days is None else f"{days[0]}..{days[1]}",
            "bi_path": dg.MetadataValue.path(str(settings.bi_path())),
            "published_file": dg.MetadataValue.path(str(published.path)),
            "storage_version": publication.BI_STORAGE_VERSION,
            "tables": ui_table(tables),
        }
    )
