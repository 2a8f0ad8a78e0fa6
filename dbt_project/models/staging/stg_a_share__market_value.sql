-- A-share daily market value, one row per listing and trade date, in 元 and shares.
with source as (
    select * from {{ source('raw', 'stock_value_em') }}
)

select
    _symbol as symbol,
    "数据日期"::date as trade_date,
    "当日收盘价"::decimal(18, 4) as close_cny,
    "总市值"::decimal(38, 2) as market_cap_cny,
    "流通市值"::decimal(38, 2) as float_market_cap_cny,
    "总股本"::bigint as shares_total,
    "流通股本"::bigint as shares_float,
    "当日涨跌幅"::double as change_pct,
    {{ is_derived_source('_close_source') }}
    or {{ is_derived_source('_shares_source') }} as is_derived,
    {{ derivation_text([('close', '_close_source'), ('shares', '_shares_source')]) }}
        as derivation,
    _source_mode as source_mode,
    _retrieved_at::timestamptz as retrieved_at
from source
