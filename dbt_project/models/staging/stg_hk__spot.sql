-- Hong Kong closing quotes of the live daily update, one row per listing and trade date, in HKD.
with source as (
    select * from {{ live_source('stock_hk_spot_em') }}
)

select
    "代码" as symbol,
    "名称"::varchar as name_zh,
    "交易日"::date as trade_date,
    "最新价"::decimal(18, 4) as close_hkd,
    "总市值"::decimal(38, 2) as market_cap_hkd,
    _source_mode as source_mode,
    _retrieved_at::timestamptz as retrieved_at
from source
where "总市值" is not null
