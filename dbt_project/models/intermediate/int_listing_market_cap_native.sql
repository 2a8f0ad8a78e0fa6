-- Every tracked listing's daily market value in its own trading currency, from one source per
-- market: A shares from stock_value_em (元), Hong Kong and US from Baidu (亿 already converted).
with listings as (
    select * from {{ ref('listings') }}
),

a_share as (
    select
        'a_share' as market,
        symbol,
        trade_date,
        market_cap_cny as market_cap_native,
        is_derived,
        derivation
    from {{ ref('stg_a_share__market_value') }}
),

hong_kong as (
    select
        'hong_kong' as market,
        symbol,
        trade_date,
        market_cap_hkd as market_cap_native,
        is_derived,
        derivation
    from {{ ref('stg_hk__market_value') }}
),

us as (
    select
        'us' as market,
        symbol,
        trade_date,
        market_cap_usd as market_cap_native,
        is_derived,
        derivation
    from {{ ref('stg_us__market_value') }}
),

native as (
    select * from a_share
    union all
    select * from hong_kong
    union all
    select * from us
)

select
    listings.listing_id,
    listings.company_id,
    native.trade_date,
    native.market_cap_native,
    listings.currency,
    listings.is_company_basis,
    native.is_derived,
    native.derivation
from native
inner join listings
    on native.market = listings.market and native.symbol = listings.symbol
