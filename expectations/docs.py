"""`make gx-docs`: validate every suite against the warehouse and build GX Data Docs (HTML).

Reads the warehouse read-only (build it first with `make demo`) and writes the site to
reports/gx-docs/ (gitignored); open reports/gx-docs/index.html. Each suite is validated on the
bounded sample its Dagster check hands to GX (expectations/gates.py), never on a whole fact:
the exact counts of failing rows are in the checks' metadata.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import great_expectations as gx
from great_expectations.checkpoint import UpdateDataDocsAction

from expectations import SUITES
from expectations.gates import ephemeral_context, sample_frame
from orchestration import settings

DOCS_DIR = settings.PROJECT_ROOT / "reports" / "gx-docs"
SITE = "trillion_club"


def build_data_docs(warehouse: Path, target: Path = DOCS_DIR) -> Path:
    context = ephemeral_context()
    context.add_data_docs_site(
        SITE,
        {
            "class_name": "SiteBuilder",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(target),
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    source = context.data_sources.add_pandas("warehouse")
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for suite in SUITES:
            batch = source.add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe(
                "whole_table"
            )
            validation = context.validation_definitions.add(
                gx.ValidationDefinition(
                    name=suite.name, data=batch, suite=context.suites.add(suite.gx_suite())
                )
            )
            checkpoint = context.checkpoints.add(
                gx.Checkpoint(
                    name=f"{suite.name}_docs",
                    validation_definitions=[validation],
                    actions=[UpdateDataDocsAction(name="data_docs", site_names=[SITE])],
                )
            )
            checkpoint.run(batch_parameters={"dataframe": sample_frame(connection, suite)})
    context.build_data_docs(site_names=[SITE])
    return target / "index.html"


def main() -> int:
    warehouse = settings.warehouse_path()
    if not warehouse.exists():
        print(f"no warehouse at {warehouse}: run `make demo` first", file=sys.stderr)
        return 1
    print(f"GX Data Docs: {build_data_docs(warehouse)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
