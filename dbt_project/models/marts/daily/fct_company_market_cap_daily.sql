-- Daily market value of each company: the sum of the listings that count toward it.
-- Basis (see dim_listing.counts_toward_company): an A-share 总市值 of an A+H company already
-- values the H shares at the A price, so its H listing does not count again; likewise an ADR
-- whose shares are inside the Hong Kong count. Exactly one listing per company counts.
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
)

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
