"""The replay kit for recorded akshare HTTP, shared by the tests (tests/live/) and the benchmark
(bench/live_requests.py).

Both run akshare's real request and parsing code while `responses` answers its HTTP requests
with the recorded fixtures in tests/fixtures/http/, so nothing leaves the machine. This module
holds what both need: the fixtures' loader, the URLs and the moment they replay, a fake clock
for LiveSource and a helper that materialises live assets with it. The pytest fixtures built on
these stay in tests/live/conftest.py.
"""

from __future__ import annotations

import json
from datetime import datetime

import dagster as dg

from orchestration.lib.trading_calendar import SHANGHAI
from orchestration.resources import AkshareSource, RawZone
from orchestration.settings import PROJECT_ROOT, snapshot_dir
from orchestration.sources.live import LiveSource

FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "http"
KLINE_URL = "https://push2his.eastmoney.com/api/qt/stock/kline/get"
# A Tuesday, 16:30 in Shanghai: A shares and Hong Kong have closed, the US Monday session too.
AFTER_CLOSE = datetime(2024, 5, 7, 16, 30, tzinfo=SHANGHAI)


def fixture(name: str) -> dict:
    """The recorded responses tests/fixtures/http/<name>.json."""
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


class FakeTime:
    """Sleep and monotonic clock for a LiveSource: sleeping advances the clock, instantly."""

    def __init__(self):
        self.now = 0.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


def materialize(assets, live: LiveSource, raw_zone: RawZone, partition: str | None = None):
    """Materialise `assets` in live mode through `live`, landing in `raw_zone`; errors are
    returned in the result, not raised."""
    source = AkshareSource.with_live_source(live, snapshot_dir=str(snapshot_dir()))
    return dg.materialize(
        assets,
        partition_key=partition,
        resources={
            "akshare": dg.ResourceDefinition.hardcoded_resource(source),
            "raw_zone": raw_zone,
        },
        raise_on_error=False,
    )
