"""Industry: Shenwan (申万) classification of the tracked listings and of the whole market."""

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


@dg.asset(
    key=["raw", "industry_sw_a_share"],
    group_name="raw_industry",
    owners=RAW_OWNERS,
    kinds={"python", "parquet"},
    description=(
        "Shenwan industry (申万一级/二级) of every A share in the whole-market quotes of the "
        "snapshot (1,001 codes), as the vendor labelled them: reference/industry_sw_a_share_2026"
        ".csv, read from the snapshot in both source modes (PROVENANCE.md §9). 申万一级 is not "
        "always an SW-2021 level-1 name (14 codes, and 4 `--`); 申万二级 is often empty. Not "
        "modelled beyond staging yet."
    ),
)
def industry_sw_a_share(
    context: dg.AssetExecutionContext, akshare: AkshareSource, raw_zone: RawZone
) -> dg.MaterializeResult:
    return land_calls(context, akshare, raw_zone, "industry_sw_a_share", [{}])
