"""Live mode: the day's parity from eastmoney agrees with SAFE's, where both have landed."""

import dagster as dg
import duckdb

from orchestration.assets.live.fx import PARITY_SYMBOLS, forex_hist_em
from orchestration.resources import RawZone

# SAFE publishes CNY per 100 units to 4 decimals (港元 to 5 digits), so per unit they agree to
# 4 decimals; half a unit in the 4th decimal, plus float noise.
TOLERANCE = 0.5e-4 + 1e-9


@dg.asset_check(
    asset=forex_hist_em,
    description=(
        "eastmoney's parity (CNY per 1 unit) equals SAFE's currency_boc_safe / 100 to 4 decimals "
        "on every day both have landed."
    ),
)
def parity_matches_safe(raw_zone: RawZone) -> dg.AssetCheckResult:
    pairs = parity_pairs(raw_zone)
    if pairs is None or pairs.empty:
        return dg.AssetCheckResult(passed=True, metadata={"days_compared": 0})
    pairs["difference"] = (pairs["eastmoney"] - pairs["safe"] / 100).abs()
    worst = pairs.sort_values("difference").iloc[-1]
    return dg.AssetCheckResult(
        passed=bool(pairs["difference"].max() <= TOLERANCE),
        metadata={
            "days_compared": int(pairs["日期"].nunique()),
            "max_difference": float(worst["difference"]),
            "worst": f"{worst['代码']} {worst['日期']}: {worst['eastmoney']} vs "
            f"{worst['safe']}/100",
        },
    )


def parity_pairs(raw_zone: RawZone):
    """eastmoney and SAFE rates side by side, one row per (symbol, date) both have."""
    eastmoney = raw_zone.path("forex_hist_em").parent / "*.parquet"
    safe = raw_zone.path("currency_boc_safe")
    if not safe.exists() or not list(eastmoney.parent.glob("*.parquet")):
        return None
    cases = " ".join(
        f"when '{code}' then s.\"{column}\"" for code, column in PARITY_SYMBOLS.items()
    )
    return (
        duckdb.sql(
            f"""
        select e."代码", e."日期", e."最新价" as eastmoney, case e."代码" {cases} end as safe
        from read_parquet('{eastmoney}', union_by_name = true) e
        join read_parquet('{safe}') s on s."日期" = e."日期"
        """
        )
        .df()
        .dropna()
    )
