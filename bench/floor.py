"""The floor: the SQL dbt compiled for the same models, run straight in one DuckDB connection.

Seeds are loaded with DuckDB's CSV reader (with the seeds' configured column types), then every
model's compiled SELECT becomes a CREATE VIEW or CREATE TABLE AS in dependency order: no tests,
no dbt, and the DuckDB settings of the dbt profile. Run as a child process
(`python -m bench.floor <project> <warehouse>`), so its time and memory are measured exactly like
dbt's. The compiled SQL names the database by the warehouse file's stem, so the floor's
warehouse must have the same file name as dbt's.
"""

from __future__ import annotations

import json
import sys
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import yaml

BUILT = ("model", "seed")


def statements(project: Path) -> list[str]:
    """The floor's SQL for every seed and model the project's last dbt build compiled, in order."""
    nodes = json.loads((project / "target" / "manifest.json").read_text())["nodes"]
    built = {key: node for key, node in nodes.items() if node["resource_type"] in BUILT}
    graph = {key: set(node["depends_on"].get("nodes", [])) for key, node in built.items()}
    graph = {key: parents & built.keys() for key, parents in graph.items()}
    ordered = [built[key] for key in TopologicalSorter(graph).static_order()]
    schemas = sorted({node["schema"] for node in ordered})
    return [f'create schema if not exists "{schema}"' for schema in schemas] + [
        _statement(project, node) for node in ordered
    ]


def _statement(project: Path, node: dict) -> str:
    relation = node["relation_name"]
    if node["resource_type"] == "seed":
        types = node["config"]["column_types"]
        path = project / node["original_file_path"]
        return f"create table {relation} as select * from read_csv('{path}', types = {types})"
    # Where the build wrote it: its calls write no manifest.json with compiled paths in it.
    compiled = project / "target" / "compiled" / node["package_name"] / node["original_file_path"]
    select = compiled.read_text()
    kind = "view" if node["config"]["materialized"] == "view" else "table"
    return f"create {kind} {relation} as (\n{select}\n)"


def duckdb_settings(project: Path) -> dict:
    """The DuckDB settings of the project's dbt profile, so the floor runs under the same ones."""
    profiles = yaml.safe_load((project / "profiles.yml").read_text())
    profile = profiles[yaml.safe_load((project / "dbt_project.yml").read_text())["profile"]]
    return profile["outputs"][profile["target"]].get("settings", {})


def build(project: Path, warehouse: Path) -> None:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    warehouse.unlink(missing_ok=True)
    with duckdb.connect(str(warehouse), config=duckdb_settings(project)) as connection:
        for statement in statements(project):
            connection.execute(statement)


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
