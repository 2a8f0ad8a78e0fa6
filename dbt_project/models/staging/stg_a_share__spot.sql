-- A-share closing quotes, one row per listing and trade date, in 元: the live daily update, or
-- in snapshot mode the snapshot's whole-market days (PROVENANCE.md §9, source_commit names the
-- commit each day was taken from; null for live rows). Suspended and new listings quote "-"
-- (null): no value that day, so no row. name_zh is the day's 名称 (the universe takes the latest).
with source as (
    select * from {{ live_source('stock_zh_a_spot_em') }}
)

select
    "代码" as symbol,
    "名称"::varchar as name_zh,
    "交易日"::date as trade_date,
    "最新价"::decimal(18, 4) as close_cny,
    "总市值"::decimal(38, 2) as market_cap_cny,
    _source_mode as source_mode,
    _source_commit as source_commit,
    _retrieved_at::timestamptz as retrieved_at
from source
where "总市值" is not null
