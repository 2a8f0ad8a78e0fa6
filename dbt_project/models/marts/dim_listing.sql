-- Every listing of the universe (int_listing_universe): seeded or seen in the data alone, with
-- where and when it was seen, and the dates it has a market value (first/last_trade_date).
with listings as (
    select * from {{ ref('int_listing_universe') }}
),

coverage as (
    select
        listing_id,
        min(trade_date) as first_trade_date,
        max(trade_date) as last_trade_date
    from {{ ref('int_listing_market_cap_native') }}
    group by listing_id
)

select
    listings.listing_id,
    listings.company_id,
    listings.exchange,
    listings.market,
    listings.symbol,
    listings.name_zh,
    listings.currency,
    listings.share_class,
    listings.is_company_basis as counts_toward_company,
    listings.is_seeded,
    listings.first_seen_date,
    listings.last_seen_date,
    listings.seen_in,
    coverage.first_trade_date,
    coverage.last_trade_date
from listings
left join coverage on listings.listing_id = coverage.listing_id
