"""Re-record the snapshot from live akshare: the logic of `make record`
(orchestration/cli/record.py).

It makes exactly the akshare calls the warehouse build makes (sources/calls.py) and writes each
answer to the file snapshot mode reads for that call (snapshot.snapshot_file), in akshare's own
columns. Every call is fetched and checked against its contract before anything is written, so
a failed recording leaves the snapshot as it was. Recorded rows are observed, so the provenance
sidecars are reset to their headers, and RECORDED.json lists each call with its parameters, file
and retrieval time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from orchestration.resources import utc_now
from orchestration.sources import calls
from orchestration.sources.contracts import validate
from orchestration.sources.live import LiveSource
from orchestration.sources.snapshot import RECORDED_MANIFEST, snapshot_file

# The warehouse reads the USD and HKD parity only; SAFE's other 22 currencies are not kept.
RECORDED_COLUMNS = {"currency_boc_safe": ["日期", "美元", "港元"]}
# Sidecars that mark derived rows; recorded rows are all observed, so only headers remain.
SIDECAR_HEADERS = {
    ("a_share", "stock_value_em_provenance.csv"): "代码,数据日期,close_source,shares_source",
    ("hk", "shares_outstanding.csv"): "code,effective_date,shares_outstanding_hk_listed,source",
    ("us", "stock_us_valuation_baidu_provenance.csv"): "ticker,date,shares_used,shares_source",
    ("fx", "currency_boc_safe_provenance.csv"): "日期,美元_来源,港元_来源,usdhkd_used",
}


def record(
    out: Path, live: LiveSource, plan: dict[str, Callable[[], list[dict]]] = calls.RECORDABLE
) -> list[dict]:
    """Fetch every planned call, then write the snapshot files and RECORDED.json under `out`."""
    answers = [
        _fetch(live, function, params) for function, make in plan.items() for params in make()
    ]
    for answer in answers:
        _write_csv(answer.pop("frame"), out / answer["file"])
    for parts, header in SIDECAR_HEADERS.items():
        _write_text(out.joinpath(*parts), header + "\n")
    manifest = {"recorded_at": utc_now(), "calls": answers}
    _write_text(out / RECORDED_MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return answers


def _fetch(live: LiveSource, function: str, params: dict) -> dict:
    frame, origin = live.fetch(function, **params)
    validate(function, frame, origin)  # fail before anything is written
    columns = RECORDED_COLUMNS.get(function, list(frame.columns))
    return {
        "function": function,
        "parameters": params,
        "file": "/".join(snapshot_file(function, **params)),
        "retrieved_at": utc_now(),
        "rows": len(frame),
        "frame": frame[columns],
    }


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    frame.to_csv(temporary, index=False)
    temporary.replace(path)


def _write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
