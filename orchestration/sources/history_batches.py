"""The whole market's per-listing history in batches of listings, for backfill_history (live).

A listing's batch is a hash of its code: it never changes as listings come and go, so a batch
re-landed later holds the same listings and replaces its own file only. 64 batches of the
~8,000 A-share and Hong Kong listings plan about 170 HTTP requests each (one per call: an
A share 1, a Hong Kong or US listing 2), well under a run's budget of 400 with room for retries.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow.parquet as pq

from orchestration.sources import calls, universe
from orchestration.sources.universe import Listing

BATCH_COUNT = 64
BATCH_KEYS = [f"batch-{number:02d}" for number in range(BATCH_COUNT)]
# The whole-market quote files whose listings join the seed's, per market.
QUOTE_DATASETS = {"a_share": "stock_zh_a_spot_em", "hong_kong": "stock_hk_spot_em"}
# Each history function, the market it serves and its calls; none of them pages, so a call is
# one HTTP request before retries.
HISTORY_FUNCTIONS = {
    "stock_value_em": ("a_share", calls.stock_value_em),
    "stock_hk_hist": ("hong_kong", calls.stock_hk_hist),
    "stock_hk_valuation_baidu": ("hong_kong", calls.stock_hk_valuation_baidu),
    "stock_us_hist": ("us", calls.stock_us_hist),
    "stock_us_valuation_baidu": ("us", calls.stock_us_valuation_baidu),
}


def batch_of(symbol: str) -> str:
    """The batch of a listing code: crc32 is the same in every process (hash() is salted)."""
    return BATCH_KEYS[zlib.crc32(symbol.encode("utf-8")) % BATCH_COUNT]


@dataclass(frozen=True)
class HistoryUniverse:
    """The listings whose history backfill_history lands, by market, and where they came from."""

    a_share: tuple[str, ...]
    hong_kong: tuple[str, ...]
    us: tuple[Listing, ...]
    quote_files: tuple[str, ...] = ()

    @classmethod
    def read(cls, raw_root: Path) -> HistoryUniverse:
        """The seed's listings plus every code in the newest landed whole-market quote file of
        each market (US: the seed's only; there is no whole-market US history to fetch)."""
        files = {market: newest_landing(raw_root / ds) for market, ds in QUOTE_DATASETS.items()}
        codes = {market: quote_codes(path) for market, path in files.items()}
        return cls(
            a_share=_union(universe.a_share_symbols(), codes["a_share"]),
            hong_kong=_union(universe.hk_symbols(), codes["hong_kong"]),
            us=tuple(universe.us_listings()),
            quote_files=tuple(str(path) for path in files.values() if path is not None),
        )

    def batch(self, key: str) -> HistoryUniverse:
        if key not in BATCH_KEYS:
            raise ValueError(f"no history batch {key!r}: batches are {BATCH_KEYS[0]}..")
        return replace(
            self,
            a_share=tuple(s for s in self.a_share if batch_of(s) == key),
            hong_kong=tuple(s for s in self.hong_kong if batch_of(s) == key),
            us=tuple(x for x in self.us if batch_of(x.symbol) == key),
        )

    def including(self, market: str, symbols: list[str]) -> HistoryUniverse:
        """These listings too: those a batch file already holds stay in it when re-landed,
        also once they are gone from the newest quotes (delisted, suspended)."""
        if market not in QUOTE_DATASETS:
            raise ValueError(f"only {sorted(QUOTE_DATASETS)} codes can be added, not {market!r}")
        return replace(self, **{market: _union(getattr(self, market), symbols)})

    def calls(self, function: str) -> list[dict]:
        market, make_calls = HISTORY_FUNCTIONS[function]
        return make_calls(list(getattr(self, market)))

    def planned_requests(self) -> int:
        """HTTP requests of landing every history function of these listings, before retries."""
        return sum(len(self.calls(function)) for function in HISTORY_FUNCTIONS)


def newest_landing(dataset_dir: Path) -> Path | None:
    """The newest partition file of a daily dataset: partition keys are dates, so by name."""
    files = sorted(dataset_dir.glob("*.parquet"))
    return files[-1] if files else None


def quote_codes(path: Path | None) -> list[str]:
    if path is None:
        return []
    return pq.read_table(path, columns=["代码"]).column("代码").to_pylist()


def landed_symbols(path: Path) -> list[str]:
    """The listings a landed history file holds (`_symbol`, the call's symbol)."""
    if not path.exists():
        return []
    return pq.read_table(path, columns=["_symbol"]).column("_symbol").unique().to_pylist()


def _union(*symbol_lists) -> tuple[str, ...]:
    return tuple(sorted({s for symbols in symbol_lists for s in symbols if s is not None}))
