-- Hong Kong daily unadjusted prices, one row per listing and trade date, in HKD.
with source as (
    select * from {{ newest_landing_per_listing('stock_hk_hist') }}
)

select
    _symbol as symbol,
    "日期"::date as trade_date,
    "开盘"::decimal(18, 4) as open_hkd,
    "收盘"::decimal(18, 4) as close_hkd,
    "最高"::decimal(18, 4) as high_hkd,
    "最低"::decimal(18, 4) as low_hkd,
    "成交量"::bigint as volume_shares,
    {{ is_derived_source('_close_source') }} as is_derived,
    {{ derivation_text([('close', '_close_source')]) }} as derivation,
    _source_mode as source_mode,
    _retrieved_at::timestamptz as retrieved_at
from source
