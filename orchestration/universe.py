"""The tracked listings, read from the dbt seed so that Python and SQL share one list."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from orchestration.settings import DBT_PROJECT_DIR

LISTINGS_SEED = DBT_PROJECT_DIR / "seeds" / "listings.csv"
A_SHARE_EXCHANGES = ("SSE", "SZSE", "BSE")
# eastmoney's market prefix for US symbols: stock_us_hist wants "106.BABA", not "BABA".
US_MARKET_IDS = {"NASDAQ": "105", "NYSE": "106", "NYSEARCA": "107"}


@dataclass(frozen=True)
class Listing:
    listing_id: str
    company_id: str
    exchange: str
    symbol: str
    currency: str


def listings() -> list[Listing]:
    with LISTINGS_SEED.open(encoding="utf-8") as handle:
        return [
            Listing(
                row["listing_id"],
                row["company_id"],
                row["exchange"],
                row["symbol"],
                row["currency"],
            )
            for row in csv.DictReader(handle)
        ]


def a_share_symbols() -> list[str]:
    return [x.symbol for x in listings() if x.exchange in A_SHARE_EXCHANGES]


def hk_symbols() -> list[str]:
    return [x.symbol for x in listings() if x.exchange == "HKEX"]


def us_listings() -> list[Listing]:
    return [x for x in listings() if x.exchange in US_MARKET_IDS]


def eastmoney_us_symbol(listing: Listing) -> str:
    return f"{US_MARKET_IDS[listing.exchange]}.{listing.symbol}"
