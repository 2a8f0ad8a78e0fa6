"""Damaged snapshot files fail loudly, naming the file, the column and what was expected, and
leave what was landed before (raw zone and marts) exactly as it was."""

from pathlib import Path

import dagster as dg
import pytest

from orchestration import settings
from orchestration.cli.demo import failures, run_build
from orchestration.lib.fingerprint import marts_fingerprint

MOUTAI = Path("a_share") / "stock_value_em" / "600519.csv"


def damage_missing_column(path: Path) -> None:
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(header.replace(",总市值,", ",市值,") + "\n" + rest, encoding="utf-8")


def damage_non_numeric(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(",")
    cells[3] = "2.51万亿"  # 总市值 with a unit suffix, as a scraped page would show it
    lines[5] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def damage_empty(path: Path) -> None:
    path.write_text("", encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (damage_missing_column, ["600519.csv", "missing column", "总市值", "expected"]),
        (damage_non_numeric, ["600519.csv", "'总市值'", "row 5", "expected a number", "2.51万亿"]),
        (damage_empty, ["600519.csv", "no rows", "expected the columns"]),
    ],
    ids=["missing_column", "non_numeric", "empty_file"],
)
def test_bad_snapshot_file_fails_and_keeps_what_was_landed(
    build_copy, snapshot_copy, damage, expected
):
    # What was landed before: a copy of the shared build, which the failing run writes to.
    raw_file = settings.raw_zone_dir() / "stock_value_em" / "all.parquet"
    raw_before = raw_file.read_bytes()
    marts_before = marts_fingerprint(settings.warehouse_path())

    damage(snapshot_copy / MOUTAI)
    result = run_build(dg.DagsterInstance.ephemeral())

    assert not result.success
    [message] = failures(result)
    assert message.startswith("step raw__stock_value_em failed:")
    assert "RawDataError: stock_value_em from" in message
    for fragment in expected:
        assert fragment in message
    assert raw_file.read_bytes() == raw_before
    assert marts_fingerprint(settings.warehouse_path()) == marts_before
