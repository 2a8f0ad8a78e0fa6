"""Industry: Shenwan (申万) classification of the tracked listings."""

import dagster as dg

from orchestration.assets.landing import RAW_OWNERS, land_calls
from orchestration.resources import AkshareSource, RawZone


@dg.asset(
    key=["raw", "industry_classification"],
    group_name="raw_industry",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    description=(
        "Shenwan 2021 level-1 and level-2 industry (申万一级/二级) of each tracked listing, from "
        "the snapshot's curated reference file in both source modes (a 2026-04-24 "
        "classification, not point-in-time; see data/snapshot/PROVENANCE.md §4). Hong "
        "Kong-only companies have no Shenwan industry."
    ),
)
def industry_classification(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    return land_calls(context, akshare, raw_zone, "industry_classification", [{}])
