"""A SYNTHETIC full-market raw zone and the matching bench seeds, reproducible from a seed.

Every row is labelled synthetic (`_source_mode = 'synthetic'`, and the Parquet load metadata
says so); the files go under the bench directory only, never into data/snapshot or the default
warehouse. Values are simulated per listing on the union of the XSHG/XHKG/XNYS sessions and
kept on the days its own exchange traded and it was listed and not suspended, then written
straight into the raw-zone Parquet shapes the dbt sources read (akshare columns and units).

The last session is held back in `next_day/` so that the benchmark can append it and time a
one-day incremental build.
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from orchestration.lib import trading_calendar
from orchestration.settings import DBT_PROJECT_DIR
from orchestration.sources.history_batches import HISTORY_FUNCTIONS

SOURCE_MODE = "synthetic"
RETRIEVED_AT = "2025-06-30T10:00:00+00:00"
# The held-back day: a session of all three exchanges (1 July is a Hong Kong holiday).
LAST_DAY = date(2025, 6, 30)
HISTORY, NEXT_DAY = "all", LAST_DAY.isoformat()
STRING = pa.large_string()
# Real-market anchors: values at the start, in the listing's currency.
A_MEGACAPS_CNY = (2.2e12, 1.9e12, 1.6e12, 1.4e12, 1.2e12, 1.05e12, 0.95e12, 0.85e12)
HK_MEGACAPS_HKD = (3.5e12, 1.8e12, 1.3e12, 1.1e12, 0.9e12)
MAGNIFICENT_SEVEN = {"AAPL": 2.8e12, "MSFT": 2.5e12, "NVDA": 1.2e12, "GOOGL": 1.6e12,
                     "AMZN": 1.5e12, "META": 0.9e12, "TSLA": 0.7e12}  # fmt: skip
CHINESE_ADRS = {"SYNA": 1.6e11, "SYNB": 6.0e10, "SYNC": 2.0e10}
# Board, exchange, first code and share of the A-share market (SSE main, STAR, SZSE main,
# ChiNext, Beijing).
A_BOARDS = (
    ("600000", "SSE", 600000, 0.31),
    ("688000", "SSE", 688000, 0.11),
    ("000001", "SZSE", 1, 0.28),
    ("300000", "SZSE", 300000, 0.25),
    ("830000", "BSE", 830000, 0.05),
)


@dataclass(frozen=True)
class Scale:
    a_listings: int = 5400
    hk_listings: int = 2600
    years: float = 6.0
    seed: int = 20250630

    @property
    def dual_listings(self) -> int:
        """A+H companies: about 150 of 2,600 Hong Kong listings, as on the real market."""
        return max(2, min(self.a_listings, self.hk_listings) * 150 // 2600)


@dataclass(frozen=True)
class Calendar:
    days: np.ndarray  # datetime64[D], the union of the three exchanges' sessions
    open_on: dict[str, np.ndarray]  # exchange -> bool mask over days


def generate(bench_dir: Path, scale: Scale) -> dict:
    """Write `raw/`, `next_day/` and `seeds/` under bench_dir; return a summary."""
    rng = np.random.default_rng(scale.seed)
    calendar = _calendar(scale.years)
    fx = _fx_panel(rng, calendar)
    universe = _universe(rng, scale)
    panels = _panels(rng, universe, calendar, fx)
    writer = _Writer(bench_dir, scale)
    listing_days = 0
    for dataset, table in _tables(universe, panels, calendar, fx):
        listing_days += table.num_rows if dataset in _VALUE_DATASETS else 0
        writer.write(dataset, table)
    writer.write("industry_classification", _industry(universe), split=False)
    writer.write("industry_sw_a_share", _industry_sw_a_share(universe, calendar), split=False)
    writer.write("exchange_sessions", _sessions(calendar), split=False)
    _write_seeds(bench_dir / "seeds", universe)
    summary = {
        **asdict(scale),
        "listing_days": listing_days,
        "first_day": str(calendar.days[0]),
        "next_day": NEXT_DAY,
        "listings": len(universe),
    }
    (bench_dir / "SYNTHETIC.json").write_text(json.dumps(summary, indent=2))
    return summary


def append_next_day(bench_dir: Path) -> None:
    """Land the held-back session into the raw zone, as a landing of that day would: a file of
    its own for the FX fixings; for a per-listing history, a re-landing of the whole history
    (staging reads each listing from its newest landing only, which must hold all its days)."""
    for path in sorted((bench_dir / "next_day").glob("*/*.parquet")):
        dataset = path.parent.name
        if dataset in HISTORY_FUNCTIONS:
            landed = bench_dir / "raw" / dataset / f"{HISTORY}.parquet"
            history = pq.read_table(landed)
            day = pq.read_table(path).replace_schema_metadata(history.schema.metadata)
            pq.write_table(pa.concat_tables([history, day]), landed)
        else:
            shutil.copyfile(path, bench_dir / "raw" / dataset / path.name)


# --- calendar and FX ------------------------------------------------------------------------


def _calendar(years: float) -> Calendar:
    start = (LAST_DAY - timedelta(days=round(years * 365.25))).isoformat()
    sessions = {
        name: np.array(
            trading_calendar.sessions_between(name, start, LAST_DAY.isoformat()), "datetime64[D]"
        )
        for name in (trading_calendar.A_SHARE, trading_calendar.HONG_KONG, trading_calendar.US)
    }
    days = np.unique(np.concatenate(list(sessions.values())))
    # Start on a fixing day, so that every HK and US value has a central parity to convert at.
    days = days[days >= sessions[trading_calendar.A_SHARE][0]]
    return Calendar(days, {name: np.isin(days, s) for name, s in sessions.items()})


def _fx_panel(rng: np.random.Generator, calendar: Calendar) -> dict[str, np.ndarray]:
    """SAFE's central parity, CNY per 100 units, a slow random walk on every union day."""
    steps = rng.normal(0, 0.0015, len(calendar.days))
    usd = np.round(700 * np.exp(np.cumsum(steps)), 2)
    # The HKD peg: 7.8 HKD per USD, within its band.
    hkd = np.round(usd / 7.8 * rng.uniform(0.995, 1.005, len(calendar.days)), 3)
    return {"USD": usd, "HKD": hkd}


# --- the listings -----------------------------------------------------------------------------


def _universe(rng: np.random.Generator, scale: Scale) -> pd.DataFrame:
    a_share = _a_share_listings(rng, scale.a_listings)
    hong_kong = _hk_listings(rng, scale.hk_listings)
    _pair_dual_listings(rng, a_share, hong_kong, scale.dual_listings)
    us = _us_listings()
    universe = pd.concat([a_share, hong_kong, us], ignore_index=True)
    universe["sector_l1"] = rng.choice(_sector_names(), len(universe))
    # An H listing is classified like its A listing.
    basis = universe[universe["is_company_basis"]].set_index("company_id")["sector_l1"]
    universe["sector_l1"] = universe["company_id"].map(basis)
    _mark_tech_seven(universe)
    return universe


def _a_share_listings(rng: np.random.Generator, count: int) -> pd.DataFrame:
    per_board = np.floor([share * count for *_, share in A_BOARDS]).astype(int)
    per_board[0] += count - per_board.sum()
    symbols, exchanges = [], []
    for (_, exchange, first, _), n in zip(A_BOARDS, per_board, strict=True):
        codes = first + np.sort(rng.choice(3 * n + 10, n, replace=False))
        symbols += [f"{code:06d}" for code in codes]
        exchanges += [exchange] * n
    start_value = _lognormal_values(rng, count, median=8e9, sigma=1.0, megacaps=A_MEGACAPS_CNY)
    return pd.DataFrame(
        {
            "listing_id": [f"{e}:{s}" for e, s in zip(exchanges, symbols, strict=True)],
            "company_id": [f"a{s}" for s in symbols],
            "exchange": exchanges,
            "market": "a_share",
            "symbol": symbols,
            "currency": "CNY",
            "share_class": "A",
            "is_company_basis": True,
            "start_value": start_value,
            "start_price": np.clip(rng.lognormal(np.log(12), 0.8, count), 1.5, 2000),
        }
    )


def _hk_listings(rng: np.random.Generator, count: int) -> pd.DataFrame:
    symbols = [f"{code:05d}" for code in np.sort(rng.choice(9999, count, replace=False)) + 1]
    start_value = _lognormal_values(rng, count, median=1.5e9, sigma=1.8, megacaps=HK_MEGACAPS_HKD)
    return pd.DataFrame(
        {
            "listing_id": [f"HKEX:{s}" for s in symbols],
            "company_id": [f"hk{s}" for s in symbols],
            "exchange": "HKEX",
            "market": "hong_kong",
            "symbol": symbols,
            "currency": "HKD",
            "share_class": "ordinary",
            "is_company_basis": True,
            "start_value": np.maximum(start_value, 2e7),
            "start_price": np.clip(rng.lognormal(np.log(2), 1.2, count), 0.01, 800),
        }
    )


def _us_listings() -> pd.DataFrame:
    caps = {**MAGNIFICENT_SEVEN, **CHINESE_ADRS}
    return pd.DataFrame(
        {
            "listing_id": [f"NASDAQ:{t}" for t in caps],
            "company_id": [f"us_{t.lower()}" for t in caps],
            "exchange": "NASDAQ",
            "market": "us",
            "symbol": list(caps),
            "currency": "USD",
            "share_class": ["common"] * len(MAGNIFICENT_SEVEN) + ["ADS"] * len(CHINESE_ADRS),
            "is_company_basis": True,
            "start_value": list(caps.values()),
            "start_price": 150.0,
        }
    )


def _lognormal_values(rng, count: int, median: float, sigma: float, megacaps) -> np.ndarray:
    """A log-normal market, with the real market's handful of giants near or above 1 tn."""
    values = rng.lognormal(np.log(median), sigma, count)
    giants = min(len(megacaps), count)
    values[rng.choice(count, giants, replace=False)] = megacaps[:giants]
    return values


def _pair_dual_listings(rng, a_share: pd.DataFrame, hong_kong: pd.DataFrame, count: int) -> None:
    """Turn `count` HK listings into the H shares of large A-share companies (A+H), in place.

    The A listing's 总市值 already values the H shares, so the H listing does not count toward
    the company; its HK value is the H share count at an H price below the A price.
    """
    largest_a = a_share["start_value"].nlargest(count * 3).index
    a_rows = rng.choice(largest_a, count, replace=False)
    h_rows = rng.choice(hong_kong.index, count, replace=False)
    h_fraction = rng.uniform(0.1, 0.4, count)
    hong_kong.loc[h_rows, "company_id"] = a_share.loc[a_rows, "company_id"].to_numpy()
    hong_kong.loc[h_rows, "share_class"] = "H"
    hong_kong.loc[h_rows, "is_company_basis"] = False
    hong_kong.loc[h_rows, "start_value"] = (
        a_share.loc[a_rows, "start_value"].to_numpy() * h_fraction * 0.7 / 0.9
    )


def _mark_tech_seven(universe: pd.DataFrame) -> None:
    basis = universe[universe["is_company_basis"] & ~universe["company_id"].str.startswith("us_")]
    universe["is_tech_seven_candidate"] = universe["company_id"].isin(
        basis.nlargest(7, "start_value")["company_id"]
    )
    universe["is_us_magnificent_seven"] = universe["symbol"].isin(MAGNIFICENT_SEVEN) & (
        universe["market"] == "us"
    )


def _sector_names() -> list[str]:
    with (DBT_PROJECT_DIR / "seeds" / "sector_groups.csv").open(encoding="utf-8") as handle:
        return [row["sector_l1"] for row in csv.DictReader(handle)]


# --- the daily panels -------------------------------------------------------------------------


def _panels(rng, universe: pd.DataFrame, calendar: Calendar, fx) -> dict[str, np.ndarray]:
    """Daily close, share counts and the days each listing traded, as listings × days arrays."""
    days = len(calendar.days)
    market_factor = rng.normal(0.0002, 0.01, days)
    volatility = rng.uniform(0.012, 0.035, len(universe))
    shocks = rng.standard_normal((len(universe), days)) * volatility[:, None]
    shocks += market_factor
    shocks[:, 0] = 0
    growth = np.exp(np.cumsum(shocks, axis=1))
    close = universe["start_price"].to_numpy()[:, None] * growth
    _track_a_price_in_h_shares(universe, close, fx)
    shares = np.round(universe["start_value"].to_numpy() / universe["start_price"].to_numpy())
    return {
        "close": close,
        "shares": shares,
        "float_shares": np.round(shares * rng.uniform(0.3, 1.0, len(universe))),
        "traded": _traded(rng, universe, calendar),
        "turnover": rng.lognormal(np.log(0.004), 0.8, (len(universe), days)),
    }


def _track_a_price_in_h_shares(universe: pd.DataFrame, close: np.ndarray, fx) -> None:
    """An H share moves with its A share, in HKD, at a steady discount (the A/H premium)."""
    row_of = {cid: i for i, cid in enumerate(universe["company_id"]) if cid.startswith("a")}
    h_rows = np.flatnonzero(universe["share_class"].to_numpy() == "H")
    a_rows = np.array([row_of[cid] for cid in universe["company_id"].iloc[h_rows]], dtype=int)
    relative = close[a_rows] / close[a_rows, :1]
    cny_per_hkd = fx["HKD"] / 100
    close[h_rows] = close[h_rows, :1] * relative * (cny_per_hkd[0] / cny_per_hkd)


def _traded(rng, universe: pd.DataFrame, calendar: Calendar) -> np.ndarray:
    """Listed (IPOs and delistings inside the window) and not suspended, on its exchange's days."""
    count, days = len(universe), len(calendar.days)
    giant = universe["start_value"].to_numpy() >= 5e11
    first = np.where((rng.random(count) < 0.12) & ~giant, rng.integers(0, days, count), 0)
    delisted = (rng.random(count) < 0.03) & ~giant
    last = np.where(delisted, rng.integers(first, days), days)
    day = np.arange(days)
    traded = (day >= first[:, None]) & (day < last[:, None])
    traded &= ~_suspended(rng, count, days, giant)
    exchange_calendar = universe["market"].map(
        {"a_share": "XSHG", "hong_kong": "XHKG", "us": "XNYS"}
    )
    for name, is_open in calendar.open_on.items():
        traded[(exchange_calendar == name).to_numpy()] &= is_open
    return traded


def _suspended(rng, count: int, days: int, exempt: np.ndarray) -> np.ndarray:
    """Suspension spells: on average 0.4 per listing, 8 trading days long (geometric)."""
    spells = rng.poisson(0.4, count) * ~exempt
    rows = np.repeat(np.arange(count), spells)
    starts = rng.integers(0, days, len(rows))
    ends = np.minimum(starts + rng.geometric(1 / 8, len(rows)), days)
    edges = np.zeros((count, days + 1), dtype=np.int32)
    np.add.at(edges, (rows, starts), 1)
    np.add.at(edges, (rows, ends), -1)
    return np.cumsum(edges, axis=1)[:, :days] > 0


# --- the raw-zone tables ------------------------------------------------------------------------

_VALUE_DATASETS = ("stock_value_em", "stock_hk_valuation_baidu", "stock_us_valuation_baidu")


def _tables(universe: pd.DataFrame, panels, calendar: Calendar, fx):
    """(dataset, Arrow table) in the shapes akshare returns, listing by listing, oldest first."""
    market = universe["market"].to_numpy()
    for name, in_market in (("a", market == "a_share"), ("hk", market == "hong_kong")):
        rows, day_index = np.nonzero(panels["traded"] & in_market[:, None])
        frame = _DailyRows(universe, panels, calendar, rows, day_index)
        if name == "a":
            yield "stock_value_em", frame.stock_value_em()
        else:
            yield "stock_hk_valuation_baidu", frame.valuation_baidu()
            yield "stock_hk_hist", frame.hist()
    rows, day_index = np.nonzero(panels["traded"] & (market == "us")[:, None])
    us = _DailyRows(universe, panels, calendar, rows, day_index)
    yield "stock_us_valuation_baidu", us.valuation_baidu()
    yield "stock_us_hist", us.hist(symbol_prefix="105.")
    yield "currency_boc_safe", _fx_table(calendar, fx)


class _DailyRows:
    """Columns for the (listing, day) pairs that traded, gathered from the panels."""

    def __init__(self, universe, panels, calendar: Calendar, rows, day_index):
        self.rows, self.day_index = rows, day_index
        self.symbols = pa.array(universe["symbol"].to_numpy(), STRING)
        self.dates = pa.array(calendar.days[day_index])
        self.close = np.round(panels["close"][rows, day_index], 3)
        previous = panels["close"][rows, np.maximum(day_index - 1, 0)]
        self.change_pct = np.round((self.close / previous - 1) * 100, 4)
        self.shares = panels["shares"][rows]
        self.float_shares = panels["float_shares"][rows]
        self.volume = np.round(self.shares * panels["turnover"][rows, day_index])

    def symbol(self, prefix: str = "") -> pa.Array:
        symbols = pc.take(self.symbols, pa.array(self.rows))
        if not prefix:
            return symbols
        no_separator = pa.scalar("", STRING)
        return pc.binary_join_element_wise(pa.scalar(prefix, STRING), symbols, no_separator)

    def stock_value_em(self) -> pa.Table:
        close = np.round(self.close, 2)
        return self._with_load_columns(
            {
                "数据日期": self.dates,
                "当日收盘价": close,
                "当日涨跌幅": self.change_pct,
                "总市值": np.round(close * self.shares, 2),
                "流通市值": np.round(close * self.float_shares, 2),
                "总股本": self.shares,
                "流通股本": self.float_shares,
            },
            lineage=("_close_source", "_shares_source"),
        )

    def valuation_baidu(self) -> pa.Table:
        # Baidu reports 亿 (1e8) of the listing's currency, to 2 decimals.
        value = np.maximum(np.round(self.close * self.shares / 1e8, 2), 0.01)
        return self._with_load_columns(
            {"date": self.dates, "value": value},
            lineage=("_shares_used", "_shares_source", "_close_source"),
        )

    def hist(self, symbol_prefix: str = "") -> pa.Table:
        wiggle = 1 + np.abs(np.sin(self.rows + self.day_index)) * 0.01
        return self._with_load_columns(
            {
                "日期": self.dates,
                "开盘": np.round(self.close / wiggle, 3),
                "收盘": self.close,
                "最高": np.round(self.close * wiggle, 3),
                "最低": np.round(self.close / wiggle**2, 3),
                "成交量": self.volume,
                "成交额": np.round(self.volume * self.close, 2),
                "涨跌幅": self.change_pct,
            },
            lineage=("_close_source",),
            symbol=self.symbol(symbol_prefix),
        )

    def _with_load_columns(self, columns: dict, lineage, symbol=None) -> pa.Table:
        count = len(self.rows)
        return pa.table(
            {
                **columns,
                # Observed, as live rows are: no snapshot sidecar.
                **{name: pa.nulls(count, STRING) for name in lineage},
                "_symbol": self.symbol() if symbol is None else symbol,
                "_source_mode": pa.repeat(pa.scalar(SOURCE_MODE, STRING), count),
                "_retrieved_at": pa.repeat(pa.scalar(RETRIEVED_AT, STRING), count),
            }
        )


def _fx_table(calendar: Calendar, fx) -> pa.Table:
    fixed = calendar.open_on[trading_calendar.A_SHARE]
    count = int(fixed.sum())
    return pa.table(
        {
            "日期": pa.array(calendar.days[fixed]),
            "美元": fx["USD"][fixed],
            "港元": fx["HKD"][fixed],
            "_usd_source": pa.nulls(count, STRING),
            "_hkd_source": pa.nulls(count, STRING),
            "_symbol": pa.nulls(count, STRING),
            "_source_mode": pa.repeat(pa.scalar(SOURCE_MODE, STRING), count),
            "_retrieved_at": pa.repeat(pa.scalar(RETRIEVED_AT, STRING), count),
        }
    )


def _industry_sw_a_share(universe: pd.DataFrame, calendar: Calendar) -> pa.Table:
    """The Shenwan file of the whole-market quotes (raw/industry_sw_a_share): every A share."""
    shares = universe[universe["market"] == "a_share"]
    frame = pd.DataFrame(
        {
            "代码": shares["symbol"],
            "交易所": np.where(shares["symbol"].str.startswith("6"), "SH", "SZ"),
            "名称": "合成A" + shares["symbol"],
            "申万一级": shares["sector_l1"],
            "申万二级": shares["sector_l1"] + "Ⅱ",
            "as_of": str(calendar.days[-1]),
            "_source_mode": SOURCE_MODE,
            "_retrieved_at": RETRIEVED_AT,
        }
    )
    return pa.Table.from_pandas(frame, preserve_index=False).cast(
        pa.schema([(name, STRING) for name in frame.columns])
    )


def _industry(universe: pd.DataFrame) -> pa.Table:
    listed = universe[universe["market"] != "us"]
    market = listed["market"].map({"a_share": "A", "hong_kong": "HK"})
    frame = pd.DataFrame(
        {
            "代码": listed["symbol"],
            "市场": market,
            "名称": "合成" + market + listed["symbol"],
            "申万一级": listed["sector_l1"],
            "申万二级": listed["sector_l1"] + "Ⅱ",
            "_symbol": None,
            "_source_mode": SOURCE_MODE,
            "_retrieved_at": RETRIEVED_AT,
        }
    )
    return pa.Table.from_pandas(frame, preserve_index=False).cast(
        pa.schema([(name, STRING) for name in frame.columns])
    )


def _sessions(calendar: Calendar) -> pa.Table:
    # Like the real calendars asset: every session of each exchange, past the data's last day.
    frames = [
        pd.DataFrame(
            {
                "exchange": name,
                "session_date": trading_calendar.sessions_between(
                    name, str(calendar.days[0]), "2026-12-31"
                ),
            }
        )
        for name in calendar.open_on
    ]
    frame = pd.concat(frames, ignore_index=True)
    return pa.Table.from_pandas(frame, preserve_index=False).cast(
        pa.schema([("exchange", STRING), ("session_date", pa.date32())])
    )


class _Writer:
    """Raw-zone layout (`<dataset>/<partition>.parquet`), history and the held-back day apart."""

    def __init__(self, bench_dir: Path, scale: Scale):
        self.bench_dir = bench_dir
        self.load_metadata = json.dumps(
            {"synthetic": True, "generator": "bench.generate", **asdict(scale)}
        ).encode()

    def write(self, dataset: str, table: pa.Table, split: bool = True) -> None:
        if not split:
            self._write(self.bench_dir / "raw", dataset, HISTORY, table)
            return
        date_column = table.column_names[0]
        is_next = pc.equal(table[date_column], pa.scalar(LAST_DAY, pa.date32()))
        self._write(self.bench_dir / "raw", dataset, HISTORY, table.filter(pc.invert(is_next)))
        self._write(self.bench_dir / "next_day", dataset, NEXT_DAY, table.filter(is_next))

    def _write(self, root: Path, dataset: str, partition: str, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        path = root / dataset / f"{partition}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        metadata = {**(table.schema.metadata or {}), b"load_metadata": self.load_metadata}
        pq.write_table(table.replace_schema_metadata(metadata), path)


# --- the bench seeds --------------------------------------------------------------------------


def _write_seeds(seeds_dir: Path, universe: pd.DataFrame) -> None:
    seeds_dir.mkdir(parents=True, exist_ok=True)
    listing_columns = ["listing_id", "company_id", "exchange", "market", "symbol", "currency"]
    listings = universe[[*listing_columns, "share_class", "is_company_basis"]]
    _to_csv(listings, seeds_dir / "listings.csv")
    basis = universe[universe["is_company_basis"]]
    is_us = basis["company_id"].str.startswith("us_")
    companies = pd.DataFrame(
        {
            "company_id": basis["company_id"],
            "name_en": "Synthetic " + basis["symbol"],
            "name_zh": "合成" + basis["symbol"],
            "is_listed": True,
            "is_us_magnificent_seven": basis["is_us_magnificent_seven"],
        }
    )
    _to_csv(companies, seeds_dir / "companies.csv")
    synthetic = "synthetic benchmark data (bench/generate.py)"
    domiciles = pd.DataFrame(
        {
            "company_id": basis["company_id"],
            "domicile": np.where(basis["is_us_magnificent_seven"], "US", "CN"),
            "source": synthetic,
        }
    )
    _to_csv(domiciles, seeds_dir / "company_domiciles.csv")
    candidates = basis[basis["is_tech_seven_candidate"]]
    tech_seven = pd.DataFrame(
        {"company_id": candidates["company_id"], "tier": "core", "source": synthetic}
    )
    _to_csv(tech_seven, seeds_dir / "tech_seven_candidates.csv")
    # US companies have no Shenwan row: the supplement classifies them, as in the real seeds.
    supplement = pd.DataFrame(
        {
            "company_id": basis.loc[is_us, "company_id"],
            "sector_l1": basis.loc[is_us, "sector_l1"],
            "sector_l2": basis.loc[is_us, "sector_l1"] + "Ⅱ",
            "source": synthetic,
        }
    )
    _to_csv(supplement, seeds_dir / "company_sector_supplement.csv")
    # Synthetic values have no vendor errors: no corrections (the real seed names real listings).
    corrections = pd.read_csv(DBT_PROJECT_DIR / "seeds" / "market_value_corrections.csv", nrows=0)
    _to_csv(corrections, seeds_dir / "market_value_corrections.csv")


def _to_csv(frame: pd.DataFrame, path: Path) -> None:
    flags = frame.select_dtypes("bool").columns
    frame = frame.astype({column: "string" for column in flags})
    frame[flags] = frame[flags].apply(lambda column: column.str.lower())
    frame.to_csv(path, index=False)
