"""`make record` (orchestration/cli/record.py): live calls in, the exact snapshot files out."""

import json

import dagster as dg
import pandas as pd
import pytest

from orchestration.assets.raw.fx import currency_boc_safe
from orchestration.cli import record as record_command
from orchestration.resources import AkshareSource, RawZone
from orchestration.settings import snapshot_dir
from orchestration.sources import calls, record
from orchestration.sources.contracts import validate
from orchestration.sources.live import LiveFetchError
from orchestration.sources.snapshot import SnapshotSource, snapshot_file
from tests.live.conftest import landed, patch_baidu, serve_pages, serve_safe
from tests.live.test_history import HISTORY, serve_history

PLANNED = [(f, p) for f, make in calls.RECORDABLE.items() for p in make()]


@pytest.fixture
def recorded(http, monkeypatch, live, tmp_path):
    serve_history(http, monkeypatch)
    serve_safe(http, monkeypatch)
    out = tmp_path / "snapshot"
    record.record(out, live)
    return out


def test_it_writes_exactly_the_files_snapshot_mode_reads(recorded):
    written = {p.relative_to(recorded).as_posix() for p in recorded.rglob("*.csv")}
    expected = {"/".join(snapshot_file(f, **p)) for f, p in PLANNED}
    assert expected <= written
    assert written - expected == {"/".join(parts) for parts in record.SIDECAR_HEADERS}


def test_recorded_files_have_the_committed_snapshots_columns(recorded):
    for function, params in PLANNED:
        relative = snapshot_file(function, **params)
        committed = snapshot_dir().joinpath(*relative)
        if committed.exists():
            columns = pd.read_csv(recorded.joinpath(*relative), nrows=0).columns
            assert list(columns) == list(pd.read_csv(committed, nrows=0).columns), relative


def test_snapshot_mode_serves_the_recording_as_observed_rows(recorded):
    source = SnapshotSource(recorded)
    for function, params in PLANNED:
        frame, origin = source.fetch(function, **params)
        validate(function, frame, origin)
    value, _ = source.fetch("stock_value_em", symbol="600519")
    assert pd.to_numeric(value["总市值"]).tolist() == [2060164392000.0, 2072726370000.0]
    hk, _ = source.fetch("stock_hk_hist", symbol="00700")
    assert hk["_close_source"].isna().all()


def test_the_provenance_file_names_every_call(recorded):
    manifest = json.loads((recorded / "RECORDED.json").read_text(encoding="utf-8"))
    assert [(c["function"], c["parameters"]) for c in manifest["calls"]] == PLANNED
    assert all(c["retrieved_at"] for c in manifest["calls"])


def test_the_build_runs_on_the_recording(recorded, tmp_path):
    source = AkshareSource(mode="snapshot", snapshot_dir=str(recorded))
    raw_zone = RawZone(root=str(tmp_path / "raw-from-recording"))
    resources = {"akshare": source, "raw_zone": raw_zone}
    assert dg.materialize([*HISTORY, currency_boc_safe], resources=resources).success
    assert landed(raw_zone, "currency_boc_safe")["美元"].tolist()[-1] == 710.11


def test_a_failed_call_writes_nothing(http, monkeypatch, live, tmp_path):
    serve_pages(http, "datacenter_stock_value_em")
    serve_pages(http, "kline_stock_hk_hist")
    patch_baidu(monkeypatch)
    http.get("https://63.push2his.eastmoney.com/api/qt/stock/kline/get", status=503)
    out = tmp_path / "snapshot"
    with pytest.raises(LiveFetchError, match=r"akshare.stock_us_hist\(symbol='106.BABA'"):
        record.record(out, live)
    assert not out.exists()


def test_the_command_line_records_into_the_given_directory(http, monkeypatch, tmp_path, capsys):
    serve_history(http, monkeypatch)
    serve_safe(http, monkeypatch)
    requests = len(PLANNED) + 3  # one per call, but currency_boc_safe makes four
    record_command.main(["--out", str(tmp_path), "--min-interval", "0", "--budget", str(requests)])
    assert f"recorded {len(PLANNED)} calls" in capsys.readouterr().out
    assert (tmp_path / "fx" / "currency_boc_safe.csv").exists()
