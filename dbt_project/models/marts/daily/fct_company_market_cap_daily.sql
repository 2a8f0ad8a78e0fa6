-- Daily market value of each company: the sum of the listings that count toward it.
-- Basis (see dim_listing.counts_toward_company): an A-share 总市值 of an A+H company already
-- values the H shares at the A price, so its H listing does not count again; likewise an ADR
-- whose shares are inside the Hong Kong count. Exactly one listing per company counts.
-- own_price_*: the same company on the A+H own-price basis (int_company_own_price_market_value):
-- the H shares at the H price; null on a day its inputs were not all observed.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_trade_date_window('trade_date') }}",
        on_schema_change='fail',
    )
}}

with listing_values as (
    select * from {{ ref('fct_listing_market_cap_daily') }}
    where counts_toward_company and {{ in_trade_date_window('trade_date') }}
),

own_price as (
    select * from {{ ref('int_company_own_price_market_value') }}
    where {{ in_trade_date_window('trade_date') }}
),

company_values as (
    select
        company_id,
        trade_date,
        sum(market_cap_cny) as market_cap_cny,
        sum(market_cap_hkd) as market_cap_hkd,
        sum(market_cap_usd) as market_cap_usd,
        count(*) as listing_count,
        bool_or(is_derived) as is_derived,
        -- Not ordered: one listing counts (a test fails otherwise), and ordering the aggregate
        -- sorted every company-day, 5 s of a full build.
        string_agg(derivation, ' | ') as derivation
    from listing_values
    group by company_id, trade_date
)

select
    company_values.*,
    own_price.own_price_market_cap_cny,
    own_price.is_derived as own_price_is_derived,
    own_price.derivation as own_price_derivation
from company_values
left join own_price
    on
        company_values.company_id = own_price.company_id
        and company_values.trade_date = own_price.trade_date
