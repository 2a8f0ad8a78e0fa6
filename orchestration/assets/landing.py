"""The one way a raw asset lands data: fetch every call, check it, then swap the file in."""

from __future__ import annotations

import json

import dagster as dg
import pandas as pd

from orchestration.resources import AkshareSource, RawZone, utc_now
from orchestration.sources.contracts import CONTRACTS
from orchestration.sources.snapshot import NotInSnapshot

RAW_OWNERS = ["team:data-engineering"]


def land_calls(
    context: dg.AssetExecutionContext,
    source: AkshareSource,
    raw_zone: RawZone,
    function: str,
    calls: list[dict],
    partition: str = "all",
) -> dg.MaterializeResult:
    """Fetch `function` once per parameter set in `calls` and land all rows as one partition.

    Every call is fetched and validated before anything is written, so a bad response or file
    fails the asset and leaves the partition landed before unchanged.
    """
    frame, load_metadata = fetch_calls(context, source, function, calls)
    return land_frame(raw_zone, function, frame, load_metadata, partition)


def fetch_calls(
    context: dg.AssetExecutionContext, source: AkshareSource, function: str, calls: list[dict]
) -> tuple[pd.DataFrame, dict]:
    """Fetch and validate every call; return the rows and the load metadata. Lands nothing."""
    frames, origins, not_in_snapshot = [], [], []
    for params in calls:
        try:
            batch = source.fetch(function, **params)
        except NotInSnapshot as gap:
            # A gap the snapshot documents (PROVENANCE.md §7); live mode never raises this.
            not_in_snapshot.append(params)
            context.log.warning(f"{function}({params}) is not in the snapshot: {gap}")
            continue
        frames.append(batch.frame.assign(_symbol=params.get("symbol")))
        origins.append(batch.origin)
    if not frames:
        raise NotInSnapshot(f"{function}: none of {len(calls)} calls is in the snapshot")

    frame = pd.concat(frames, ignore_index=True)
    retrieved_at, mode = utc_now(), source.mode_of(function)
    frame["_source_mode"] = mode
    frame["_retrieved_at"] = retrieved_at
    load_metadata = {
        "akshare_function": function,
        "parameters": calls,
        "mode": mode,
        "retrieved_at": retrieved_at,
        "row_count": len(frame),
        "origins": origins,
        "not_in_snapshot": not_in_snapshot,
    }
    if mode == "live":
        load_metadata["live_requests_in_run"] = source.live_source().requests_made
    return frame, load_metadata


def land_frame(
    raw_zone: RawZone, function: str, frame: pd.DataFrame, load_metadata: dict, partition: str
) -> dg.MaterializeResult:
    load_metadata = {**load_metadata, "row_count": len(frame), "partition": partition}
    path = raw_zone.land(function, frame, load_metadata, partition)
    return dg.MaterializeResult(metadata=_ui_metadata(function, frame, load_metadata, path))


def _ui_metadata(function, frame, load_metadata, path) -> dict:
    date_column = CONTRACTS[function].date_column
    metadata = {
        "dagster/row_count": len(frame),
        "akshare_function": function,
        "source_mode": load_metadata["mode"],
        "retrieved_at": load_metadata["retrieved_at"],
        "calls": len(load_metadata["parameters"]),
        "path": dg.MetadataValue.path(str(path)),
        "parameters": dg.MetadataValue.json(load_metadata["parameters"]),
    }
    if "live_requests_in_run" in load_metadata:
        metadata["live_requests_in_run"] = load_metadata["live_requests_in_run"]
    if load_metadata["not_in_snapshot"]:
        metadata["not_in_snapshot"] = dg.MetadataValue.text(
            json.dumps(load_metadata["not_in_snapshot"], ensure_ascii=False)
        )
    if date_column:
        metadata["first_date"] = str(frame[date_column].min())
        metadata["last_date"] = str(frame[date_column].max())
    return metadata
