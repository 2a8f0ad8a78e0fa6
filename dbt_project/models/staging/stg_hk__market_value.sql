-- Hong Kong daily market value of the HK-listed shares, converted once from 亿港元 to HKD.
with source as (
    select * from {{ newest_landing_per_listing('stock_hk_valuation_baidu') }}
)

select
    _symbol as symbol,
    "date"::date as trade_date,
    {{ yi_to_units('"value"') }} as market_cap_hkd,
    {{ is_derived_source('_close_source') }}
    or {{ is_derived_source('_shares_source') }} as is_derived,
    {{ derivation_text([('close', '_close_source'), ('shares', '_shares_source')]) }}
        as derivation,
    _source_mode as source_mode,
    _retrieved_at::timestamptz as retrieved_at
from source
