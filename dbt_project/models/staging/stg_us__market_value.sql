-- US daily market value, converted once from 亿美元 to USD.
with source as (
    select * from {{ newest_landing_per_listing('stock_us_valuation_baidu') }}
)

select
    _symbol as symbol,
    "date"::date as trade_date,
    {{ yi_to_units('"value"') }} as market_cap_usd,
    {{ is_derived_source('_shares_source') }} as is_derived,
    {{ derivation_text([('shares', '_shares_source')]) }} as derivation,
    _source_mode as source_mode,
    _retrieved_at::timestamptz as retrieved_at
from source
