-- Daily market value of each listing in its own currency and in CNY, HKD and USD.
-- FX: the central parity as of the latest fixing on or before the trade date (Hong Kong and the
-- US trade on mainland holidays, when there is no fixing); a fixing older than
-- var('fx_max_staleness_days') is not used and the converted values are null.
with listing_values as (
    select * from {{ ref('int_listing_market_cap_native') }}
),

fx as (
    select * from {{ ref('stg_fx__central_parity') }}
),

fx_hkd as (select * from fx where currency = 'HKD'),

fx_usd as (select * from fx where currency = 'USD'),

as_of as (
    select
        listing_values.*,
        own.rate_date as own_rate_date,
        own.fx_cny_per_unit as own_fx,
        own.is_derived as own_fx_is_derived,
        own.derivation as own_fx_derivation,
        fx_hkd.rate_date as hkd_rate_date,
        fx_hkd.fx_cny_per_unit as hkd_fx,
        fx_usd.rate_date as usd_rate_date,
        fx_usd.fx_cny_per_unit as usd_fx
    from listing_values
    asof left join fx as own
        on listing_values.currency = own.currency
        and listing_values.trade_date >= own.rate_date
    asof left join fx_hkd on listing_values.trade_date >= fx_hkd.rate_date
    asof left join fx_usd on listing_values.trade_date >= fx_usd.rate_date
),

fresh as (
    select
        *,
        case
            when currency = 'CNY' then 1::decimal(18, 7)
            when trade_date - own_rate_date <= {{ var('fx_max_staleness_days') }} then own_fx
        end as fx_cny_per_unit,
        case when trade_date - hkd_rate_date <= {{ var('fx_max_staleness_days') }} then hkd_fx end
            as fx_cny_per_hkd,
        case when trade_date - usd_rate_date <= {{ var('fx_max_staleness_days') }} then usd_fx end
            as fx_cny_per_usd
    from as_of
),

converted as (
    select
        *,
        market_cap_native * fx_cny_per_unit as market_cap_cny_exact
    from fresh
)

select
    listing_id,
    company_id,
    trade_date,
    market_cap_native,
    currency,
    fx_cny_per_unit,
    case when currency <> 'CNY' then own_rate_date end as fx_rate_date,
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
    is_derived or (currency <> 'CNY' and coalesce(own_fx_is_derived, false)) as is_derived,
    nullif(concat_ws('; ', derivation, case when currency <> 'CNY' then own_fx_derivation end), '')
        as derivation
from converted
