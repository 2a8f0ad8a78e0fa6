with listings as (
    select * from {{ ref('listings') }}
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
    listings.currency,
    listings.share_class,
    listings.is_company_basis as counts_toward_company,
    coverage.first_trade_date,
    coverage.last_trade_date
from listings
left join coverage on listings.listing_id = coverage.listing_id
