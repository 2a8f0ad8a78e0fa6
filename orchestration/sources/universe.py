"""The tracked listings, read from the dbt seed so that Python and SQL share one list."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from orchestration.settings import DBT_PROJECT_DIR

LISTINGS_SEED = DBT_PROJECT_DIR / "seeds" / "listings.csv"
# eastmoney's market prefix for US symbols: stock_us_hist wants "106.BABA", not "BABA".
US_MARKET_IDS = {"NASDAQ": "105", "NYSE": "106", "NYSEARCA": "107"}


@dataclass(frozen=True)
class Listing:
    listing_id: str
    company_id: str
    exchange: str
    market: str
    symbol: str
    currency: str


def listings() -> list[Listing]:
    fields = Listing.__dataclass_fields__
    with LISTINGS_SEED.open(encoding="utf-8") as handle:
        return [Listing(**{f: row[f] for f in fields}) for row in csv.DictReader(handle)]


def a_share_symbols() -> list[str]:
    return [x.symbol for x in listings() if x.market == "a_share"]


def hk_symbols() -> list[str]:
    return [x.symbol for x in listings() if x.market == "hong_kong"]


def us_listings() -> list[Listing]:
    return [x for x in listings() if x.market == "us"]


def eastmoney_us_symbol(listing: Listing) -> str:
    return f"{US_MARKET_IDS[listing.exchange]}.{listing.symbol}"
