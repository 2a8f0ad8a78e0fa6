"""Snapshot mode: answer an akshare call from the embedded files in `data/snapshot/`.

Each reader takes the akshare function's own parameters and returns the frame that function
returns (same columns, same units). Where the snapshot keeps row-level provenance in a sidecar
file, the sidecar's columns are attached with a leading underscore (`_close_source`, ...), so
that a derived row stays marked all the way to the marts. Live akshare rows carry no such
columns: they are observed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from orchestration.settings import display_path
from orchestration.sources.contracts import RawDataError


class NotInSnapshot(LookupError):
    """The snapshot has no file for this call (a documented gap, see PROVENANCE.md)."""


# Every HK price in the snapshot was rebuilt from adjusted prices (PROVENANCE.md §3).
_HK_CLOSE_SOURCE = "derived: un-adjusted from yfinance adjusted closes (PROVENANCE.md §3)"


# Written by `make record`: which files were recorded from live akshare.
RECORDED_MANIFEST = "RECORDED.json"


def snapshot_file(function: str, **params) -> tuple[str, ...]:
    """Where, under the snapshot root, the answer to one akshare call is kept.

    The readers below and the recorder (sources/record.py) both use this, so the recorder
    writes exactly the files snapshot mode reads.
    """
    symbol = params.get("symbol", "")
    trade_date = params.get("trade_date", "")
    files = {
        "stock_value_em": ("a_share", "stock_value_em", f"{symbol}.csv"),
        "stock_hk_hist": ("hk", "stock_hk_hist", f"{symbol}.csv"),
        "stock_hk_valuation_baidu": ("hk", "stock_hk_valuation_baidu", f"{symbol}.csv"),
        # akshare takes "<market>.<ticker>" (106.BABA); the file is named by the ticker.
        "stock_us_hist": ("us", "stock_us_hist", f"{symbol.split('.', 1)[-1]}.csv"),
        "stock_us_valuation_baidu": ("us", "stock_us_valuation_baidu", f"{symbol}.csv"),
        "currency_boc_safe": ("fx", "currency_boc_safe.csv"),
        "industry_classification": ("reference", "industry.csv"),
        # Whole-market quotes, one file per trade date (PROVENANCE.md §9). akshare's call takes
        # no date (its quotes are "now"); the snapshot answers it as of a trade date.
        "stock_zh_a_spot_em": ("a_share", "stock_zh_a_spot_em", f"{trade_date}.csv"),
        "industry_sw_a_share": ("reference", "industry_sw_a_share_2026.csv"),
    }
    if function not in files:
        raise NotInSnapshot(f"the snapshot has no data for akshare function {function!r}")
    return files[function]


class SnapshotSource:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._recorded = _recorded_files(self.root)
        self._readers: dict[str, Callable[..., tuple[pd.DataFrame, Path]]] = {
            "stock_value_em": self._stock_value_em,
            "stock_hk_hist": self._stock_hk_hist,
            "stock_hk_valuation_baidu": self._stock_hk_valuation_baidu,
            "stock_us_hist": self._stock_us_hist,
            "stock_us_valuation_baidu": self._stock_us_valuation_baidu,
            "currency_boc_safe": self._currency_boc_safe,
            "industry_classification": self._industry_classification,
            "stock_zh_a_spot_em": self._stock_zh_a_spot_em,
            "industry_sw_a_share": self._industry_sw_a_share,
        }

    def fetch(self, function: str, **params) -> tuple[pd.DataFrame, str]:
        """Return (frame, origin): the frame akshare would return, and the file it came from."""
        if function not in self._readers:
            raise NotInSnapshot(f"the snapshot has no data for akshare function {function!r}")
        frame, path = self._readers[function](**params)
        return frame, display_path(path)

    def trade_dates(self, function: str) -> list[date]:
        """The trade dates a dated snapshot dataset (one file per day) has a file for."""
        folder = self.root.joinpath(*snapshot_file(function, trade_date="x")[:-1])
        if not folder.is_dir():
            return []
        return sorted(date.fromisoformat(path.stem) for path in folder.glob("*.csv"))

    # --- readers, one per akshare function -------------------------------------------------

    def _stock_value_em(self, symbol: str):
        path = self._file(*snapshot_file("stock_value_em", symbol=symbol))
        frame = _read_csv(path)
        sidecar = _read_csv(self.root / "a_share" / "stock_value_em_provenance.csv")
        sidecar = sidecar[sidecar["代码"] == symbol].rename(
            columns={"close_source": "_close_source", "shares_source": "_shares_source"}
        )
        return _attach(frame, sidecar.drop(columns="代码"), on="数据日期"), path

    def _stock_hk_hist(
        self,
        symbol: str,
        period: str = "daily",
        start_date: str = "19700101",
        end_date: str = "22220101",
        adjust: str = "",
    ):
        if period != "daily" or adjust != "":
            raise NotInSnapshot("the snapshot holds unadjusted daily HK prices only")
        path = self._file(*snapshot_file("stock_hk_hist", symbol=symbol))
        frame = _between(_read_csv(path), "日期", start_date, end_date)
        frame["_close_source"] = self._hk_close_source(path)
        return frame, path

    def _stock_hk_valuation_baidu(
        self, symbol: str, indicator: str = "总市值", period: str = "全部"
    ):
        if indicator != "总市值":
            raise NotInSnapshot("the snapshot holds the 总市值 indicator only")
        path = self._file(*snapshot_file("stock_hk_valuation_baidu", symbol=symbol))
        frame = _read_csv(path)
        anchors = _read_csv(self.root / "hk" / "shares_outstanding.csv")
        anchors = anchors[anchors["code"] == symbol]
        frame = _attach_share_anchor(frame, anchors, "shares_outstanding_hk_listed")
        frame["_close_source"] = self._hk_close_source(path)
        return frame, path

    def _stock_us_hist(
        self,
        symbol: str,
        period: str = "daily",
        start_date: str = "19700101",
        end_date: str = "22220101",
        adjust: str = "",
    ):
        if period != "daily" or adjust != "":
            raise NotInSnapshot("the snapshot holds unadjusted daily US prices only")
        path = self._file(*snapshot_file("stock_us_hist", symbol=symbol))
        return _between(_read_csv(path), "日期", start_date, end_date), path

    def _stock_us_valuation_baidu(
        self, symbol: str, indicator: str = "总市值", period: str = "全部"
    ):
        if indicator != "总市值":
            raise NotInSnapshot("the snapshot holds the 总市值 indicator only")
        path = self._file(*snapshot_file("stock_us_valuation_baidu", symbol=symbol))
        frame = _read_csv(path)
        sidecar = _read_csv(self.root / "us" / "stock_us_valuation_baidu_provenance.csv")
        sidecar = sidecar[sidecar["ticker"] == symbol].rename(
            columns={"shares_used": "_shares_used", "shares_source": "_shares_source"}
        )
        return _attach(frame, sidecar.drop(columns="ticker"), on="date"), path

    def _currency_boc_safe(self):
        path = self._file(*snapshot_file("currency_boc_safe"))
        frame = _read_csv(path)
        sidecar = _read_csv(self.root / "fx" / "currency_boc_safe_provenance.csv").rename(
            columns={"美元_来源": "_usd_source", "港元_来源": "_hkd_source"}
        )
        return _attach(frame, sidecar[["日期", "_usd_source", "_hkd_source"]], on="日期"), path

    def _industry_classification(self):
        path = self._file(*snapshot_file("industry_classification"))
        return _read_csv(path), path

    def _stock_zh_a_spot_em(self, trade_date: str):
        path = self._file(*snapshot_file("stock_zh_a_spot_em", trade_date=trade_date))
        frame = _read_csv(path)
        # The sidecar names, per day, the source commit the file was taken from (§9); every
        # figure is observed (亿 × 1e8 is exact), so it marks no row as derived.
        sidecar = _read_csv(self.root / "a_share" / "stock_zh_a_spot_em_provenance.csv")
        day = sidecar[sidecar["trade_date"] == trade_date]
        if len(day) == 1 and int(day["rows"].iloc[0]) != len(frame):
            raise RawDataError(
                f"stock_zh_a_spot_em from {display_path(path)}: {len(frame)} rows, but "
                f"stock_zh_a_spot_em_provenance.csv says {day['rows'].iloc[0]} for {trade_date}"
            )
        frame["_source_commit"] = day["source_commit"].iloc[0] if len(day) == 1 else None
        return frame, path

    def _industry_sw_a_share(self):
        path = self._file(*snapshot_file("industry_sw_a_share"))
        return _read_csv(path), path

    def _hk_close_source(self, path: Path) -> str | None:
        # Recorded from live akshare: observed. Otherwise rebuilt from adjusted prices.
        return (
            None if path.relative_to(self.root).as_posix() in self._recorded else _HK_CLOSE_SOURCE
        )

    def _file(self, *parts: str) -> Path:
        path = self.root.joinpath(*parts)
        if not path.is_file():
            raise NotInSnapshot(f"no snapshot file {path}")
        return path


def _recorded_files(root: Path) -> set[str]:
    manifest = root / RECORDED_MANIFEST
    if not manifest.is_file():
        return set()
    return {call["file"] for call in json.loads(manifest.read_text(encoding="utf-8"))["calls"]}


def _read_csv(path: Path) -> pd.DataFrame:
    # Everything is read as text and typed by the contract: codes keep their leading zeros, and a
    # damaged number is reported rather than silently turned into NaN. keep_default_na=False so
    # that a literal "NA" is not mistaken for a missing value; empty cells are still missing.
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    return frame


def _attach(frame: pd.DataFrame, sidecar: pd.DataFrame, on: str) -> pd.DataFrame:
    """Join a provenance sidecar; a damaged file is left as is for its contract to report."""
    if on not in frame.columns:
        return frame
    return frame.merge(sidecar, on=on, how="left")


def _between(frame: pd.DataFrame, column: str, start: str, end: str) -> pd.DataFrame:
    # akshare's hist functions download the full series and filter on YYYYMMDD bounds.
    if frame.empty:
        return frame
    days = frame[column].str.replace("-", "", regex=False)
    return frame[(days >= start) & (days <= end)].reset_index(drop=True)


def _attach_share_anchor(frame: pd.DataFrame, anchors: pd.DataFrame, shares_column: str):
    """Name, on every row, the share-count anchor the snapshot's value was computed with."""
    if frame.empty or anchors.empty or "date" not in frame.columns:
        return frame
    left = frame.assign(_date=pd.to_datetime(frame["date"], errors="coerce")).sort_values("_date")
    right = anchors.assign(_date=pd.to_datetime(anchors["effective_date"])).sort_values("_date")[
        ["_date", shares_column, "source", "effective_date"]
    ]
    merged = pd.merge_asof(left, right, on="_date", direction="backward")
    # Before the first anchor the snapshot backfilled the first anchor (PROVENANCE.md §3).
    first = right.iloc[0]
    before = merged[shares_column].isna()
    merged.loc[before, shares_column] = first[shares_column]
    merged["_shares_source"] = merged["source"].where(
        ~before, "backfilled from " + first["effective_date"] + ": " + first["source"]
    )
    merged = merged.rename(columns={shares_column: "_shares_used"})
    return merged.drop(columns=["_date", "source", "effective_date"]).reset_index(drop=True)
