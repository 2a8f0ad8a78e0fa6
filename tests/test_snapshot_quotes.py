"""The snapshot's whole-market A-share quotes land through the live quote asset, one file per
snapshot day in the run's months (PROVENANCE.md §9): no warehouse build needed."""

from datetime import date
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from orchestration import settings
from orchestration.assets.live.quotes import stock_zh_a_spot_em
from orchestration.cli.demo import root_cause
from orchestration.partitions import range_tags
from orchestration.resources import AkshareSource, RawZone
from orchestration.sources.contracts import RawDataError, validate

DATASET = "stock_zh_a_spot_em"


def land(snapshot: Path, raw_zone: RawZone, first: str, last: str) -> dg.ExecuteInProcessResult:
    """One run of the quote asset over first..last, as build_warehouse runs it."""
    return dg.materialize(
        [stock_zh_a_spot_em],
        resources={"akshare": AkshareSource(snapshot_dir=str(snapshot)), "raw_zone": raw_zone},
        tags=range_tags(first, last),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def metadata(result: dg.ExecuteInProcessResult) -> dict:
    return result.asset_materializations_for_node(f"raw__{DATASET}")[-1].metadata


def failure(result: dg.ExecuteInProcessResult) -> str:
    [event] = result.get_step_failure_events()
    return root_cause(event.event_specific_data.error)


def landed_days(raw_zone: RawZone) -> list[str]:
    folder = Path(raw_zone.root) / DATASET
    return sorted(path.stem for path in folder.glob("*.parquet")) if folder.exists() else []


@pytest.fixture
def raw_zone(tmp_path: Path) -> RawZone:
    return RawZone(root=str(tmp_path / "raw"))


def test_a_range_lands_one_file_per_snapshot_day_stamped_with_its_trade_date(raw_zone):
    result = land(settings.snapshot_dir(), raw_zone, "2026-06-01", "2026-06-01")
    assert result.success
    days = landed_days(raw_zone)
    assert len(days) == 19 and days[0] == "2026-06-02" and days[-1] == "2026-06-30"
    assert "2026-06-25" not in days  # an XSHG session the source lacks: nothing lands
    frame = pd.read_parquet(raw_zone.path(DATASET, "2026-06-02"))
    assert set(frame["交易日"]) == {date(2026, 6, 2)}
    assert frame["_source_mode"].unique().tolist() == ["snapshot"]
    assert frame["_source_commit"].unique().tolist() == ["8a79a7ecab"]  # the sidecar's commit
    assert frame["代码"].str.len().eq(6).all()  # text, leading zeros kept
    info = metadata(result)
    assert info["days_landed"].value == 19
    assert info["sessions_without_file"].value == '["2026-06-25"]'
    load = raw_zone.read_load_metadata(DATASET, "2026-06-02")
    assert load["parameters"] == [{"trade_date": "2026-06-02"}]
    assert load["origins"] == ["data/snapshot/a_share/stock_zh_a_spot_em/2026-06-02.csv"]


def test_a_range_without_snapshot_days_lands_nothing_and_says_why(raw_zone):
    result = land(settings.snapshot_dir(), raw_zone, "2024-05-01", "2024-06-01")
    assert result.success
    info = metadata(result)
    assert info["landed"].value is False
    assert "the snapshot has no stock_zh_a_spot_em day" in info["reason"].value
    assert landed_days(raw_zone) == []


@pytest.mark.parametrize("column", ["总市值", "代码"])
def test_a_day_without_a_required_column_fails_naming_it_and_keeps_what_was_landed(
    snapshot_copy, raw_zone, column
):
    assert land(snapshot_copy, raw_zone, "2026-06-01", "2026-06-01").success
    june = {day: raw_zone.path(DATASET, day).read_bytes() for day in landed_days(raw_zone)}
    damaged = snapshot_copy / "a_share" / DATASET / "2026-07-01.csv"
    pd.read_csv(damaged, dtype=str).drop(columns=column).to_csv(damaged, index=False)

    result = land(snapshot_copy, raw_zone, "2026-06-01", "2026-07-01")

    assert not result.success
    message = failure(result)
    assert f"{DATASET} from " in message and "stock_zh_a_spot_em/2026-07-01.csv" in message
    assert f"missing column(s) ['{column}']" in message
    # Every day is checked before any file is written: June stays as landed, July lands nothing.
    assert {day: raw_zone.path(DATASET, day).read_bytes() for day in landed_days(raw_zone)} == june


def test_a_day_whose_optional_columns_are_empty_or_absent_lands(snapshot_copy, raw_zone):
    day_file = snapshot_copy / "a_share" / DATASET / "2026-07-29.csv"
    frame = pd.read_csv(day_file, dtype=str)
    assert frame[["涨跌幅", "成交量", "流通市值"]].isna().all().all()  # empty in the source
    frame.drop(columns=["成交量", "换手率"]).to_csv(day_file, index=False)

    assert land(snapshot_copy, raw_zone, "2026-07-01", "2026-07-01").success  # July, 07-29 in it

    landed = pd.read_parquet(raw_zone.path(DATASET, "2026-07-29"))
    assert landed["成交量"].isna().all() and landed["成交量"].dtype == "float64"
    assert landed["涨跌幅"].isna().all() and landed["流通市值"].dtype == "float64"
    assert landed.loc[landed["代码"] == "601398", "总市值"].tolist() == [2_833_424_000_000.0]


def test_the_contract_refuses_quotes_without_market_value_naming_the_file():
    frame = pd.DataFrame({"代码": ["601398"], "名称": ["工商银行"], "最新价": ["7.95"]})
    with pytest.raises(RawDataError, match=r"stock_zh_a_spot_em from x\.csv: missing column"):
        validate(DATASET, frame, "x.csv")
