"""A whole build_warehouse in live mode: the real Dagster job, every HTTP request replayed from
tests/fixtures/http, through dbt to the marts.

Each endpoint has one recorded answer (2024-05-06 and 05-07), served for every listing's call,
so the build runs over their month only.
"""

from decimal import Decimal

import dagster as dg
import pandas as pd
import pytest

from orchestration import settings
from orchestration.cli.demo import failures
from orchestration.definitions import build_definitions
from orchestration.partitions import range_tags
from orchestration.resources import AkshareSource
from tests.conftest import query
from tests.live.conftest import patch_baidu, serve_pages, serve_safe

FACT = "marts.fct_listing_market_cap_daily"


@pytest.mark.slow
def test_a_live_build_warehouse_lands_every_raw_dataset_and_builds_the_marts(
    http, monkeypatch, live, tmp_path
):
    monkeypatch.setenv("SOURCE_MODE", "live")
    monkeypatch.setenv("WAREHOUSE_PATH", str(tmp_path / "trillion_club.duckdb"))
    monkeypatch.setenv("REPORTS_DIR", str(tmp_path / "reports"))
    for variable in ("RAW_ZONE_DIR", "SNAPSHOT_DIR", "BI_PATH"):
        monkeypatch.delenv(variable, raising=False)
    for name in ("datacenter_stock_value_em", "kline_stock_hk_hist", "kline_stock_us_hist"):
        serve_pages(http, name)
    patch_baidu(monkeypatch)
    serve_safe(http, monkeypatch)
    # The live source of SOURCE_MODE=live, with the test's clock so spacing and backoff are instant.
    source = AkshareSource.with_live_source(live, snapshot_dir=str(settings.snapshot_dir()))
    defs = build_definitions(akshare=dg.ResourceDefinition.hardcoded_resource(source))

    result = defs.resolve_job_def("build_warehouse").execute_in_process(
        instance=dg.DagsterInstance.ephemeral(),
        tags=range_tags("2024-05-01", "2024-05-01"),
        raise_on_error=False,
    )

    assert result.success and not failures(result), failures(result)
    warehouse = settings.warehouse_path()
    moutai = query(
        warehouse,
        f"select trade_date::text, market_cap_cny, is_derived from {FACT}"
        " where listing_id = 'SSE:600519' order by trade_date",
    )
    assert moutai == [  # 总市值 in 元 as eastmoney sent it; live rows are observed
        ("2024-05-06", Decimal("2060164392000"), False),
        ("2024-05-07", Decimal("2072726370000"), False),
    ]
    tencent = query(
        warehouse,
        f"select market_cap_native, fx_cny_per_unit from {FACT}"
        " where listing_id = 'HKEX:00700' and trade_date = '2024-05-07'",
    )
    assert tencent == [(Decimal("3361579000000"), Decimal("0.90825"))]  # 亿港元 × 1e8, SAFE
    members = query(
        warehouse,
        "select company_id from marts.club_membership_daily"
        " where club_id = 'a_share_trillion_cny' and trade_date = '2024-05-07' and is_member",
    )
    assert ("kweichow_moutai",) in members
    # The curated industry is project reference data, read from the snapshot in both modes.
    raw = settings.raw_zone_dir()
    landed_from = pd.read_parquet(raw / "industry_classification")["_source_mode"].unique()
    assert landed_from.tolist() == ["snapshot"]
    assert pd.read_parquet(raw / "stock_value_em")["_source_mode"].unique().tolist() == ["live"]
    sector = "select sector_source from marts.dim_company where company_id = 'kweichow_moutai'"
    assert query(warehouse, sector) == [("shenwan_2021",)]
