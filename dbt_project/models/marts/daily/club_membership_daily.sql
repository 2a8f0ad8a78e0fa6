-- Who is in each club on each trade date. The threshold is applied inclusively (>=) in the
-- club's currency, on exact decimals: A-share and Hong Kong clubs compare the listing's own
-- value (no FX involved), the company clubs compare the company value converted to CNY, on the
-- club's basis (company_market_value or company_own_price_market_value). A club
-- admits a company by its domicile (head office) as the clubs seed says: the listing clubs admit
-- every company, the company club those run from mainland China (macros/admits_domicile.sql).
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_trade_date_window('trade_date') }}",
        on_schema_change='fail',
    )
}}

with clubs as (
    select * from {{ ref('clubs') }}
),

listings as (
    select
        listing_id,
        market
    from {{ ref('int_listing_universe') }}
),

domiciles as (
    select
        company_id,
        domicile
    from {{ ref('int_company_domiciles') }}
),

listing_candidates as (
    select
        clubs.club_id,
        clubs.currency as club_currency,
        clubs.threshold,
        clubs.admitted_domiciles,
        listing_values.trade_date,
        listing_values.company_id,
        listing_values.listing_id,
        listing_values.market_cap_cny,
        listing_values.market_cap_hkd,
        listing_values.market_cap_usd,
        listing_values.is_derived,
        listing_values.derivation
    from {{ ref('fct_listing_market_cap_daily') }} as listing_values
    inner join listings on listing_values.listing_id = listings.listing_id
    inner join clubs on listings.market = clubs.scope
),

-- The company clubs compare the company value on their basis (clubs seed): company_market_value
-- (the A-share 总市值: every share at the A price) or company_own_price_market_value (the H
-- shares at the H price), which is in CNY only (a seed test) and absent on the days its inputs
-- were not observed.
company_values as (
    select
        'company_market_value' as basis,
        company_id,
        trade_date,
        market_cap_cny,
        market_cap_hkd,
        market_cap_usd,
        is_derived,
        derivation
    from {{ ref('fct_company_market_cap_daily') }}
    union all
    select
        'company_own_price_market_value' as basis,
        company_id,
        trade_date,
        own_price_market_cap_cny as market_cap_cny,
        null::decimal(38, 2) as market_cap_hkd,
        null::decimal(38, 2) as market_cap_usd,
        own_price_is_derived as is_derived,
        own_price_derivation as derivation
    from {{ ref('fct_company_market_cap_daily') }}
    where own_price_market_cap_cny is not null
),

company_candidates as (
    select
        clubs.club_id,
        clubs.currency,
        clubs.threshold,
        clubs.admitted_domiciles,
        company_values.trade_date,
        company_values.company_id,
        null as listing_id,
        company_values.market_cap_cny,
        company_values.market_cap_hkd,
        company_values.market_cap_usd,
        company_values.is_derived,
        company_values.derivation
    from company_values
    inner join clubs
        on clubs.scope = 'chinese_company' and company_values.basis = clubs.basis
),

candidates as (
    select * from listing_candidates
    union all
    select * from company_candidates
),

admitted as (
    select candidates.*
    from candidates
    left join domiciles on candidates.company_id = domiciles.company_id
    where {{ admits_domicile('candidates.admitted_domiciles', 'domiciles.domicile') }}
),

in_club_currency as (
    select
        *,
        -- One explicit type for every branch: left to itself, the CASE would settle on the
        -- smallest scale of its branches and round a CNY value up onto the threshold.
        case club_currency
            when 'CNY' then market_cap_cny::decimal(38, 4)
            when 'HKD' then market_cap_hkd::decimal(38, 4)
            when 'USD' then market_cap_usd::decimal(38, 4)
        end as market_cap_club_ccy
    from admitted
)

select
    club_id,
    trade_date,
    company_id,
    listing_id,
    market_cap_club_ccy,
    club_currency,
    threshold,
    market_cap_club_ccy >= threshold as is_member,
    is_derived,
    derivation
from in_club_currency
-- A value that could not be converted (no fresh FX fixing) cannot be compared; the FX tests
-- on fct_listing_market_cap_daily fail for it instead.
where
    market_cap_club_ccy is not null
    and {{ in_trade_date_window('trade_date') }}
