"""backfill_history over a generated whole market: 5,400 A-share and 2,600 Hong Kong codes in the
newest landed quotes, plus the seed's listings, in batches, one run of the real job per batch.

Every call is answered through akshare's own request and parsing code with a small payload made
for the listing it asks for (its values derive from its code), so a row landed under the wrong
listing, or twice, or not at all, shows.
"""

import json
import re
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import dagster as dg
import pandas as pd
import pytest

from orchestration.assets.history_batches import history_batch_assets
from orchestration.jobs import backfill_history
from orchestration.resources import AkshareSource
from orchestration.settings import snapshot_dir
from orchestration.sources import universe
from orchestration.sources.history_batches import BATCH_KEYS, HISTORY_FUNCTIONS, HistoryUniverse
from orchestration.sources.live import LiveSource
from orchestration.testing.akshare_replay import AFTER_CLOSE, materialize
from tests.conftest import run_dbt
from tests.live.conftest import failure_message, patch_baidu, serve_pages

A_SHARE_CODES = [
    f"{prefix}{n:03d}"
    for prefix in ("600", "601", "603", "000", "002", "300")
    for n in range(100, 1000)
]
HK_CODES = [f"{n:05d}" for n in range(1, 2601)]
DAYS = ["2024-05-06", "2024-05-07"]
VALUE_EM_URL = "https://datacenter-web.eastmoney.com/api/data/v1/get"
HK_KLINE_URL = "https://33.push2his.eastmoney.com/api/qt/stock/kline/get"
BUDGET = AkshareSource(snapshot_dir="").request_budget  # the production budget of a run


def market_cap_cny(code: str, day: int) -> float:
    return float(int(code) * 1000 + day)


def close_hkd(code: str, day: int) -> float:
    return int(code) / 100 + day


def value_hkd_yi(code: str, day: int) -> float:
    return int(code) + day / 10


def value_em_answer(request, failing: set[str]):
    code = re.search(r'SECURITY_CODE="(\d+)"', parse_qs(urlsplit(request.url).query)["filter"][0])
    code = code.group(1)
    if code in failing:
        return 500, {}, "internal error"
    rows = [
        {
            "TRADE_DATE": f"{day} 00:00:00",
            "CLOSE_PRICE": 10.0,
            "CHANGE_RATE": 0.1,
            "TOTAL_MARKET_CAP": market_cap_cny(code, i),
            "NOTLIMITED_MARKETCAP_A": 1.0,
            "TOTAL_SHARES": 100,
            "FREE_SHARES_A": 100,
            "PE_TTM": 1.0,
            "PE_LAR": 1.0,
            "PB_MRQ": 1.0,
            "PEG_CAR": 1.0,
            "PCF_OCF_TTM": 1.0,
            "PS_TTM": 1.0,
        }
        for i, day in enumerate(DAYS)
    ]
    body = {"success": True, "code": 0, "result": {"pages": 1, "count": 2, "data": rows}}
    return 200, {}, json.dumps(body)


def hk_kline_answer(request):
    code = parse_qs(urlsplit(request.url).query)["secid"][0].split(".")[1]
    klines = [
        f"{day},1.0,{close_hkd(code, i)},1.0,1.0,100,1000.0,0.1,0.1,0.1,0.1"
        for i, day in enumerate(DAYS)
    ]
    return 200, {}, json.dumps({"rc": 0, "data": {"code": code, "market": 116, "klines": klines}})


def hk_baidu_answer(session, **kwargs):
    code = kwargs["params"]["code"]
    body = [[day, str(value_hkd_yi(code, i))] for i, day in enumerate(DAYS)]
    chart = {"chartInfo": [{"body": body, "header": ["日期", "总市值"]}]}
    result = {"DisplayData": {"resultData": {"tplData": {"result": chart}}}}
    return SimpleNamespace(json=lambda: {"Result": [result], "ResultCode": 0})


@pytest.fixture
def whole_market(http, monkeypatch, raw_zone) -> set[str]:
    """The newest quote files name the generated codes; every history call is answered. Returns
    the A-share codes whose calls fail (a 500 to every try) while they are in it."""
    for dataset, codes in (("stock_zh_a_spot_em", A_SHARE_CODES), ("stock_hk_spot_em", HK_CODES)):
        folder = raw_zone.path(dataset, DAYS[1]).parent
        folder.mkdir(parents=True)
        # An older file names a code the newest does not: only the newest counts.
        pd.DataFrame({"代码": ["688999"]}).to_parquet(folder / f"{DAYS[0]}.parquet")
        pd.DataFrame({"代码": codes}).to_parquet(folder / f"{DAYS[1]}.parquet")
    failing: set[str] = set()
    http.add_callback("GET", VALUE_EM_URL, callback=lambda r: value_em_answer(r, failing))
    http.add_callback("GET", HK_KLINE_URL, callback=hk_kline_answer)
    serve_pages(http, "kline_stock_us_hist")
    patch_baidu(monkeypatch)  # US valuation: one recorded answer for every call
    monkeypatch.setattr("curl_cffi.requests.Session._request_once", hk_baidu_answer)
    return failing


class Backfill:
    """The real backfill_history job, one run per batch, each with its own LiveSource."""

    def __init__(self, raw_zone, fake_time):
        self.runs: list[tuple[str, LiveSource]] = []
        self.instance = dg.DagsterInstance.ephemeral()
        self.fake_time = fake_time
        akshare = dg.ResourceDefinition(resource_fn=lambda _: self._source())
        defs = dg.Definitions(
            assets=history_batch_assets,
            jobs=[backfill_history],
            resources={"akshare": akshare, "raw_zone": raw_zone},
        )
        self.job = defs.resolve_job_def("backfill_history")

    def _source(self) -> AkshareSource:
        live = LiveSource(
            attempts=3,
            request_budget=BUDGET,
            sleep=self.fake_time.sleep,
            monotonic=self.fake_time.monotonic,
            now=lambda: AFTER_CLOSE,
        )
        self.runs[-1] = (self.runs[-1][0], live)
        return AkshareSource.with_live_source(live, snapshot_dir=str(snapshot_dir()))

    def run(self, batch: str) -> dg.ExecuteInProcessResult:
        self.runs.append((batch, None))
        return self.job.execute_in_process(
            partition_key=batch, instance=self.instance, raise_on_error=False
        )

    def landed_batches(self, function: str) -> set[str]:
        key = dg.AssetKey(["raw", "history_batches", function])
        return set(self.instance.get_materialized_partitions(key))


def test_the_batches_split_the_whole_market_within_a_run_s_budget(whole_market, raw_zone):
    listings = HistoryUniverse.read(Path(raw_zone.root))
    assert "688999" not in listings.a_share  # only the newest quote file counts
    assert set(A_SHARE_CODES) <= set(listings.a_share) and set(HK_CODES) <= set(listings.hong_kong)
    batches = [listings.batch(batch) for batch in BATCH_KEYS]
    # Every listing in exactly one batch, so landing every batch lands every listing once.
    for market in ("a_share", "hong_kong"):
        in_batches = [s for batch in batches for s in getattr(batch, market)]
        assert sorted(in_batches) == sorted(getattr(listings, market)), market
    assert sorted(x.symbol for batch in batches for x in batch.us) == sorted(
        x.symbol for x in listings.us
    )
    planned = [batch.planned_requests() for batch in batches]
    assert sum(planned) == listings.planned_requests()
    # Each batch's calls fit a run, with room for retries (a failing call costs 12 requests:
    # akshare's own 3 tries, 4 times); the hash spreads them evenly.
    assert max(planned) <= BUDGET - 100
    assert max(planned) < 1.5 * listings.planned_requests() / len(BATCH_KEYS)


def test_a_batch_over_the_run_s_budget_is_refused_before_any_request(
    whole_market, raw_zone, fake_time
):
    live = LiveSource(request_budget=50, sleep=fake_time.sleep, monotonic=fake_time.monotonic)
    result = materialize(history_batch_assets[:1], live, raw_zone, BATCH_KEYS[0])
    assert "more than a run's live budget of 50: nothing was sent" in failure_message(result)
    assert live.requests_made == 0


def test_a_failed_batch_loses_only_itself_and_a_re_run_resumes_it(
    whole_market, raw_zone, fake_time
):
    """The real job, one run per batch through akshare's parsing: a landed batch, a batch whose
    one listing fails every try, the batch after it, the failed batch again, and a re-run of
    the first. Each of the 64 batches takes the same path; running them all would take about
    7 minutes here (10,600 parsed answers), so the other batches are only planned (above)."""
    root = Path(raw_zone.root)
    listings = HistoryUniverse.read(root)
    victim = A_SHARE_CODES[100]
    failed = next(b for b in BATCH_KEYS if victim in listings.batch(b).a_share)
    first, last = (b for b in (BATCH_KEYS[0], BATCH_KEYS[-1]) if b != failed)
    backfill = Backfill(raw_zone, fake_time)

    assert backfill.run(first).success
    landed_first = landed_files(root)
    whole_market.add(victim)
    failure = backfill.run(failed)
    assert f"akshare.stock_value_em(symbol='{victim}') failed after" in failure_message(failure)
    assert backfill.run(last).success
    # The failure lost its own batch's file of the failing dataset only; the rest stayed.
    assert not raw_zone.path("stock_value_em", failed).exists()
    assert raw_zone.path("stock_hk_hist", failed).exists()
    assert landed_files(root).items() >= landed_first.items()
    assert backfill.landed_batches("stock_value_em") == {first, last}  # the UI's progress

    whole_market.clear()
    assert backfill.run(failed).success  # resumes: the re-run lands the batch
    # A listing gone from the newest quotes (delisted) stays in the batch file that holds it.
    gone = next(s for s in listings.batch(first).a_share if s not in universe.a_share_symbols())
    quotes = raw_zone.path("stock_zh_a_spot_em", DAYS[1])
    pd.DataFrame({"代码": [c for c in A_SHARE_CODES if c != gone]}).to_parquet(quotes)
    assert backfill.run(first).success  # re-landing a batch replaces its files
    for function in HISTORY_FUNCTIONS:
        assert backfill.landed_batches(function) == {first, failed, last}, function

    # Each run within its budget: a run sends one request per call of its batch; the failed run
    # sent the failing listing's tries and none of the calls after it.
    planned = {b: listings.batch(b).planned_requests() for b in (first, failed, last)}
    made = [(batch, live.requests_made) for batch, live in backfill.runs]
    assert all(requests <= BUDGET for _, requests in made)
    assert [b for b, n in made if n != planned[b]] == [failed]

    # Nothing lost, nothing twice: each listing of the landed batches in one file, each of its
    # days once, with the values of its own answer.
    landed = listings.batch(first), listings.batch(failed), listings.batch(last)
    a_share = [s for batch in landed for s in batch.a_share]
    hong_kong = [s for batch in landed for s in batch.hong_kong]
    value = each_listing_once(root, "stock_value_em", a_share)
    assert_values(value, "数据日期", "总市值", market_cap_cny)
    prices = each_listing_once(root, "stock_hk_hist", hong_kong)
    assert_values(prices, "日期", "收盘", close_hkd)
    baidu = each_listing_once(root, "stock_hk_valuation_baidu", hong_kong)
    assert_values(baidu, "date", "value", value_hkd_yi)


def landed_files(root: Path) -> dict[str, int]:
    return {str(f): f.stat().st_mtime_ns for f in root.glob("*/batch-*.parquet")}


def each_listing_once(root: Path, function: str, symbols) -> pd.DataFrame:
    """Every batch file of `function`; each listing of `symbols` in one file only, with each of
    its days exactly once, and no other listing."""
    files = sorted((root / function).glob("batch-*.parquet"))
    frame = pd.concat([pd.read_parquet(f).assign(file=f.stem) for f in files], ignore_index=True)
    assert set(frame["_symbol"]) == set(symbols)
    assert (frame.groupby("_symbol")["file"].nunique() == 1).all()
    assert frame.groupby("_symbol").size().eq(len(DAYS)).all()
    assert not frame.duplicated(["_symbol", frame.columns[0]]).any()
    return frame


def assert_values(frame: pd.DataFrame, date_column: str, column: str, rule) -> None:
    days = frame[date_column].astype(str).map(DAYS.index)
    expected = [rule(symbol, day) for symbol, day in zip(frame["_symbol"], days, strict=True)]
    assert frame[column].tolist() == pytest.approx(expected)


def test_a_listing_in_all_parquet_and_in_a_batch_file_is_read_from_the_newest_once(
    raw_zone, tmp_path
):
    # build_warehouse's all.parquet and a later batch file both hold 00700; 00005 is only in
    # all.parquet. Staging reads each listing's rows from its newest file, through this macro.
    def history(symbol: str, close_hkd: float) -> pd.DataFrame:
        days = pd.to_datetime(pd.Series(DAYS)).dt.date
        return pd.DataFrame({"日期": days, "收盘": close_hkd, "_symbol": symbol})

    older = pd.concat([history("00700", 370.0), history("00005", 60.0)])
    raw_zone.land("stock_hk_hist", older.assign(_retrieved_at="2025-07-01T08:00:00+00:00"), {})
    newer = history("00700", 380.0).assign(_retrieved_at="2026-07-01T08:00:00+00:00")
    raw_zone.land("stock_hk_hist", newer, {}, "batch-07")

    sql = "select _symbol, \"收盘\" from {{ newest_landing_per_listing('stock_hk_hist') }}"
    shown = run_dbt(
        tmp_path / "w.duckdb",
        Path(raw_zone.root),
        *("--quiet", "show", "--inline", sql, "--output", "json", "--limit", "-1"),
    )
    rows = pd.DataFrame(json.loads(shown.stdout)["show"])
    expected = pd.concat([older[older["_symbol"] == "00005"], newer])[["_symbol", "收盘"]]
    assert sorted(rows.itertuples(index=False)) == sorted(expected.itertuples(index=False))
