"""HTTP requests of one live daily update of the A-share and Hong Kong whole markets.

The daily live assets run as in the replay tests (tests/live/), with their replay kit
(orchestration/testing/akshare_replay.py): akshare's real request and parsing code against
`responses`, with the committed clist fixtures grown to the full market (eastmoney pages 100
rows). The figure is LiveSource's count, the one its request budget bounds, checked against
`len(responses.calls)`, what the sites would see. The day's central parity (two kline requests)
is counted too: without it the HK values cannot be converted. Nothing leaves the machine.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from unittest import mock

import responses

from orchestration.assets.live.fx import forex_hist_em
from orchestration.assets.live.quotes import stock_hk_spot_em, stock_zh_a_spot_em
from orchestration.partitions import month_of
from orchestration.resources import RawZone
from orchestration.sources.live import LiveSource
from orchestration.testing.akshare_replay import (
    AFTER_CLOSE,
    KLINE_URL,
    FakeTime,
    fixture,
    materialize,
)

PAGE_ROWS = 100  # eastmoney's clist page size (pz=100 in akshare's parameters)
# The month partition holding the replayed day: a live run lands today's day of it.
PARTITION = month_of(AFTER_CLOSE.date())


def count_requests(a_listings: int, hk_listings: int) -> dict[str, int]:
    """Requests per daily asset and in total; fails unless every row of the market landed."""
    markets = [
        (stock_zh_a_spot_em, "clist_stock_zh_a_spot_em", a_listings),
        (stock_hk_spot_em, "clist_stock_hk_spot_em", hk_listings),
    ]
    counts: dict[str, int] = {}
    with (
        tempfile.TemporaryDirectory() as directory,
        responses.RequestsMock(assert_all_requests_are_fired=False) as http,
        mock.patch("time.sleep"),  # akshare sleeps up to 1.5 s between pages
    ):
        raw_zone = RawZone(root=str(Path(directory) / "raw"))
        for asset, name, rows in markets:
            for page in _market_pages(name, rows):
                http.get(fixture(name)["url"], json=page)
            counts[asset.key.path[-1]] = _run(asset, raw_zone, http, expected_rows=rows)
        for name in ("kline_forex_USDCNYC", "kline_forex_HKDCNYC"):
            http.get(KLINE_URL, json=fixture(name)["pages"][0])
        counts["forex_hist_em"] = _run(forex_hist_em, raw_zone, http, expected_rows=2)
    return {**counts, "total": sum(counts.values())}


def _run(asset, raw_zone: RawZone, http: responses.RequestsMock, expected_rows: int) -> int:
    before = len(http.calls)
    fake_time = FakeTime()
    live = LiveSource(sleep=fake_time.sleep, monotonic=fake_time.monotonic, now=lambda: AFTER_CLOSE)
    result = materialize([asset], live, raw_zone, PARTITION)
    name = asset.key.to_user_string()
    if not result.success:
        raise RuntimeError(f"the replayed live update of {name} failed")
    metadata = result.asset_materializations_for_node(asset.node_def.name)[0].metadata
    if metadata["dagster/row_count"].value != expected_rows:
        raise RuntimeError(f"{name}: landed {metadata} rows")
    if live.requests_made != len(http.calls) - before:
        raise RuntimeError(
            f"{name}: LiveSource counted {live.requests_made} HTTP requests, "
            f"responses answered {len(http.calls) - before}"
        )
    return live.requests_made


def _market_pages(fixture_name: str, rows: int) -> list[dict]:
    """The fixture's first page as a template, repeated with distinct codes up to `rows`."""
    template = fixture(fixture_name)["pages"][0]
    row = template["data"]["diff"][0]
    pages = []
    for start in range(0, rows, PAGE_ROWS):
        page = copy.deepcopy(template)
        page["data"]["total"] = rows
        page["data"]["diff"] = [
            {**row, "f12": f"{code:06d}", "f3": round((code % 200 - 100) / 10, 2)}
            for code in range(start, min(start + PAGE_ROWS, rows))
        ]
        pages.append(page)
    return pages
