-- Every listing's daily market value in its own trading currency: every listing of the
-- universe (int_listing_universe), seeded or seen in the data alone; none is dropped. The
-- history sources are the values of record: A shares from stock_value_em (元), Hong Kong and US
-- from Baidu (亿 already converted). The live daily quotes (eastmoney 总市值) fill the days the
-- history has not reached, until a history backfill lands them. Hong Kong quotes skip H shares:
-- whether eastmoney's H-share 总市值 is the H shares or the whole company is unverified (see
-- docs/akshare-reference.md §2.1), and Baidu's history counts the H shares only.
-- vendor_market_cap_native is the vendor's figure where a sourced correction replaced it in
-- staging (seed market_value_corrections), else null: the conversion gate checks it.
with listings as (
    select * from {{ ref('int_listing_universe') }}
),

a_share as (
    select
        'a_share' as market,
        symbol,
        trade_date,
        market_cap_cny as market_cap_native,
        vendor_market_cap_cny as vendor_market_cap_native,
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
        null::decimal(38, 2) as vendor_market_cap_native,
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
        null::decimal(38, 2) as vendor_market_cap_native,
        is_derived,
        derivation
    from {{ ref('stg_us__market_value') }}
),

history as (
    select * from a_share
    union all
    select * from hong_kong
    union all
    select * from us
),

quotes as (
    select
        'a_share' as market,
        symbol,
        trade_date,
        market_cap_cny as market_cap_native
    from {{ ref('stg_a_share__spot') }}
    union all
    select
        'hong_kong' as market,
        spot.symbol,
        spot.trade_date,
        spot.market_cap_hkd as market_cap_native
    from {{ ref('stg_hk__spot') }} as spot
    anti join listings
        on
            spot.symbol = listings.symbol
            and listings.market = 'hong_kong'
            and listings.share_class = 'H'
    union all
    select
        'us' as market,
        symbol,
        trade_date,
        market_cap_usd as market_cap_native
    from {{ ref('stg_us__spot') }}
),

native as (
    select
        *,
        'history' as value_source
    from history
    union all
    select
        quotes.*,
        null::decimal(38, 2) as vendor_market_cap_native,
        false as is_derived,
        null as derivation,
        'daily_quote' as value_source
    from quotes
    anti join history
        on
            quotes.market = history.market
            and quotes.symbol = history.symbol
            and quotes.trade_date = history.trade_date
)

select
    listings.listing_id,
    listings.company_id,
    native.trade_date,
    native.market_cap_native,
    native.vendor_market_cap_native,
    listings.currency,
    listings.is_company_basis,
    native.is_derived,
    native.derivation,
    native.value_source
from native
inner join listings
    on native.market = listings.market and native.symbol = listings.symbol
