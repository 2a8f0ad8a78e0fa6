"""The raw shapes we rely on, per akshare function, checked before anything lands.

A contract names only the columns the warehouse reads; akshare may return more (they are kept).
The same check runs on snapshot files and on live responses, so drift upstream and a damaged
snapshot file fail the same way: with the dataset, the column, the row and what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


class RawDataError(ValueError):
    """Raw data does not have the shape the warehouse expects. Nothing was landed."""


class SchemaDriftError(RawDataError):
    """The response no longer has the fields the parser expects; retrying cannot help."""


@dataclass(frozen=True)
class Contract:
    date_column: str | None
    numeric: tuple[str, ...] = ()
    # Numeric columns that must be filled on every row (the measures the marts are built from).
    required_values: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    # Numeric columns the warehouse does not read and a source may lack: absent, they land as an
    # all-null column; present, they are checked like `numeric` (empty cells are null).
    optional_numeric: tuple[str, ...] = ()
    # Row-level provenance the snapshot attaches (see sources/snapshot.py); null = observed.
    lineage: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c for c in (self.date_column, *self.text, *self.numeric) if c)


CONTRACTS: dict[str, Contract] = {
    # A-share daily market value; 总市值/流通市值 in 元, 总股本/流通股本 in shares.
    "stock_value_em": Contract(
        date_column="数据日期",
        numeric=("当日收盘价", "当日涨跌幅", "总市值", "流通市值", "总股本", "流通股本"),
        required_values=("当日收盘价", "总市值", "总股本"),
        lineage=("_close_source", "_shares_source"),
    ),
    # Hong Kong daily prices in HKD, volume in shares.
    "stock_hk_hist": Contract(
        date_column="日期",
        numeric=("开盘", "收盘", "最高", "最低", "成交量", "成交额", "涨跌幅"),
        required_values=("收盘",),
        lineage=("_close_source",),
    ),
    # Hong Kong market value (HK-listed shares only), in 亿港元.
    "stock_hk_valuation_baidu": Contract(
        date_column="date",
        numeric=("value",),
        required_values=("value",),
        lineage=("_close_source", "_shares_used", "_shares_source"),
    ),
    # US daily prices in USD (per ADS for ADRs).
    "stock_us_hist": Contract(
        date_column="日期",
        numeric=("开盘", "收盘", "最高", "最低", "成交量", "涨跌幅"),
        required_values=("收盘",),
    ),
    # US market value, in 亿美元.
    "stock_us_valuation_baidu": Contract(
        date_column="date",
        numeric=("value",),
        required_values=("value",),
        lineage=("_shares_used", "_shares_source"),
    ),
    # Central parity, CNY per 100 units of foreign currency.
    "currency_boc_safe": Contract(
        date_column="日期", numeric=("美元", "港元"), lineage=("_usd_source", "_hkd_source")
    ),
    # --- live-only (one file per day; the snapshot has none of these) --------------------
    # Whole-market quotes; 总市值/流通市值 in 元, 成交量 in 手 (lots of 100 shares), "-" -> null.
    # Live and snapshot (one file per day). The snapshot's source (PROVENANCE.md §9) has only
    # 代码, 名称, 最新价 and 总市值: the other columns are empty, so they are optional. A file
    # without 代码 or 总市值 is still refused: the marts are built from them. 总市值 may be null on
    # a row (a suspended listing quotes "-"); staging drops such rows.
    "stock_zh_a_spot_em": Contract(
        date_column=None,
        text=("代码", "名称"),
        numeric=("最新价", "总市值"),
        # The rest of akshare's numeric columns (../shared/akshare-reference.md §1.1), typed
        # as numbers so that snapshot and live files of the dataset agree.
        optional_numeric=(
            "序号",
            "涨跌幅",
            "涨跌额",
            "成交量",
            "成交额",
            "振幅",
            "最高",
            "最低",
            "今开",
            "昨收",
            "量比",
            "换手率",
            "市盈率-动态",
            "市净率",
            "流通市值",
            "涨速",
            "5分钟涨跌",
            "60日涨跌幅",
            "年初至今涨跌幅",
        ),
        lineage=("_source_commit",),
    ),
    # Whole-market Hong Kong quotes (project parser, see sources/eastmoney.py); HKD, shares.
    "stock_hk_spot_em": Contract(
        date_column=None,
        text=("代码", "名称"),
        numeric=("最新价", "涨跌幅", "成交量", "成交额", "总市值", "流通市值"),
    ),
    # Whole-market US quotes; 代码 is "<market>.<ticker>" (106.BABA), 总市值 in USD.
    "stock_us_spot_em": Contract(
        date_column=None,
        text=("代码", "名称"),
        numeric=("最新价", "涨跌幅", "成交量", "成交额", "总市值"),
    ),
    # eastmoney's copy of the central parity (USDCNYC/HKDCNYC): CNY per 1 unit, not per 100.
    "forex_hist_em": Contract(
        date_column="日期",
        text=("代码", "名称"),
        numeric=("今开", "最新价", "最高", "最低"),
        required_values=("最新价",),
    ),
    # Shenwan 2021 classification history: each stock's level-3 code from start_date on.
    "stock_industry_clf_hist_sw": Contract(
        date_column="start_date", text=("symbol", "industry_code")
    ),
    # Shenwan level-1 industries (legulegu): code (801010.SI), name and constituent count.
    "sw_index_first_info": Contract(
        date_column=None, text=("行业代码", "行业名称"), numeric=("成份个数",)
    ),
    # Shanghai (SSE) trading days from 1990 to the last day Sina has published (live only).
    "tool_trade_date_hist_sina": Contract(date_column="trade_date"),
    # Industry classification of the tracked listings (curated reference, see PROVENANCE.md).
    "industry_classification": Contract(
        date_column=None, text=("代码", "市场", "名称", "申万一级", "申万二级")
    ),
    # Shenwan industry of every listing in the whole-market quotes (PROVENANCE.md §9), as the
    # vendor labelled it: 申万一级 is not always an SW-2021 level-1 name, 申万二级 often empty.
    "industry_sw_a_share": Contract(
        date_column="as_of", text=("代码", "交易所", "名称", "申万一级", "申万二级")
    ),
}


def validate(function: str, frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Check `frame` against the contract of `function`; return it with numeric columns as float.

    `origin` says where the frame came from (a snapshot file, or the akshare call) so that the
    error can point a person at it.
    """
    contract = CONTRACTS[function]
    where = f"{function} from {origin}"
    if frame.empty:
        raise RawDataError(f"{where}: no rows; expected the columns {list(contract.columns)}")
    missing = [c for c in contract.columns if c not in frame.columns]
    if missing:
        raise RawDataError(
            f"{where}: missing column(s) {missing}; expected {list(contract.columns)}, "
            f"got {list(frame.columns)}"
        )
    frame = frame.copy()
    for column in contract.lineage:
        frame[column] = frame[column].astype("string") if column in frame else pd.NA
    for column in contract.numeric:
        frame[column] = _as_number(frame, column, contract.date_column, where)
    for column in contract.optional_numeric:
        if column in frame.columns:
            frame[column] = _as_number(frame, column, contract.date_column, where)
        else:
            frame[column] = pd.Series(float("nan"), index=frame.index, dtype="float64")
    for column in contract.required_values:
        empty = frame[column].isna()
        if empty.any():
            row = int(empty.to_numpy().nonzero()[0][0])
            raise RawDataError(
                f"{where}: column {column!r} {_row_label(frame, row, contract.date_column)} is "
                f"empty; expected a number on every row"
            )
    if contract.date_column:
        dates = pd.to_datetime(frame[contract.date_column], errors="coerce")
        if dates.isna().any():
            row = int(dates.isna().to_numpy().nonzero()[0][0])
            raise RawDataError(
                f"{where}: column {contract.date_column!r} {_row_label(frame, row, '')}: expected "
                f"a date (YYYY-MM-DD), got {frame[contract.date_column].iloc[row]!r}"
            )
        frame[contract.date_column] = dates.dt.date
    return frame


def _as_number(frame: pd.DataFrame, column: str, date_column: str, where: str) -> pd.Series:
    values = frame[column]
    numbers = pd.to_numeric(values, errors="coerce")
    # akshare turns eastmoney's "-" placeholder into NaN; anything else that is not a number is
    # damage (a unit suffix, a shifted column) and must not be read as missing.
    bad = numbers.isna() & values.notna() & (values.astype(str).str.strip() != "-")
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        raise RawDataError(
            f"{where}: column {column!r} {_row_label(frame, row, date_column)}: expected a "
            f"number, got {values.iloc[row]!r}"
        )
    return numbers.astype("float64")


def _row_label(frame: pd.DataFrame, row: int, date_column: str) -> str:
    # Row numbers count data rows from 1, as a person reading the CSV below its header would.
    label = f"row {row + 1}"
    if date_column and date_column in frame.columns:
        label += f" ({date_column}={frame[date_column].iloc[row]})"
    return label
