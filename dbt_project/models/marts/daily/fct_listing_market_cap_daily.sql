-- Daily market value of each listing in its own currency and in CNY, HKD and USD.
-- FX: the central parity as of the latest fixing on or before the trade date (Hong Kong and the
-- US trade on mainland holidays, when there is no fixing). A fixing older than
-- var('fx_max_staleness_days') while a later one was due is stale: the rate and the converted
-- values are null, and a test fails.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_trade_date_window('trade_date') }}",
        on_schema_change='fail',
    )
}}

with listing_values as (
    select * from {{ ref('int_listing_market_cap_native') }}
    where {{ in_trade_date_window('trade_date') }}
),

fixings as (
    select * from {{ ref('int_fx_fixings') }}
),

trade_dates as (
    select distinct trade_date from listing_values
),

currencies as (
    select distinct currency from fixings
),

-- The as-of fixing of each currency on each trade date: the ASOF join runs on the few thousand
-- (date, currency) pairs, and the millions of listing rows take their rate by an equality join
-- (an ASOF join on them would sort every listing row once per currency).
fx_as_of as (
    select
        trade_dates.trade_date,
        fixings.*
    from trade_dates
    cross join currencies
    asof inner join fixings
        on
            currencies.currency = fixings.currency
            and trade_dates.trade_date >= fixings.rate_date
),

fixings_hkd as (
    select * from fx_as_of
    where currency = 'HKD'
),

fixings_usd as (
    select * from fx_as_of
    where currency = 'USD'
),

as_of as (
    select
        listing_values.*,
        own.rate_date as own_rate_date,
        own.rate_source as own_rate_source,
        own.is_derived as own_fx_is_derived,
        own.derivation as own_fx_derivation,
        case
            when listing_values.currency = 'CNY' then 1::decimal(18, 7)
            else {{ fresh_fx('own', 'listing_values.trade_date') }}
        end as fx_cny_per_unit,
        {{ fresh_fx('fixings_hkd', 'listing_values.trade_date') }} as fx_cny_per_hkd,
        {{ fresh_fx('fixings_usd', 'listing_values.trade_date') }} as fx_cny_per_usd
    from listing_values
    left join fx_as_of as own
        on
            listing_values.currency = own.currency
            and listing_values.trade_date = own.trade_date
    left join fixings_hkd on listing_values.trade_date = fixings_hkd.trade_date
    left join fixings_usd on listing_values.trade_date = fixings_usd.trade_date
),

converted as (
    select
        *,
        market_cap_native * fx_cny_per_unit as market_cap_cny_exact
    from as_of
)

select
    listing_id,
    company_id,
    trade_date,
    market_cap_native,
    currency,
    fx_cny_per_unit,
    case when currency <> 'CNY' then own_rate_date end as fx_rate_date,
    case when currency <> 'CNY' then own_rate_source end as fx_rate_source,
    market_cap_cny_exact::decimal(38, 4) as market_cap_cny,
    case
        when currency = 'HKD' then market_cap_native
        else round(market_cap_cny_exact / fx_cny_per_hkd, 2)::decimal(38, 2)
    end as market_cap_hkd,
    case
        when currency = 'USD' then market_cap_native
        else round(market_cap_cny_exact / fx_cny_per_usd, 2)::decimal(38, 2)
    end as market_cap_usd,
    is_company_basis as counts_toward_company,
    value_source,
    is_derived or (currency <> 'CNY' and coalesce(own_fx_is_derived, false)) as is_derived,
    nullif(
        concat_ws('; ', derivation, case when currency <> 'CNY' then own_fx_derivation end), ''
    ) as derivation
from converted
