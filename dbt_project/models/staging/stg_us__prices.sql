-- US daily unadjusted prices, one row per listing and trade date, in USD (per ADS for ADRs).
with source as (
    select * from {{ newest_landing_per_listing('stock_us_hist') }}
)

select
    -- akshare is asked for "<market>.<ticker>" (e.g. 106.BABA); the listing symbol is the ticker.
    split_part(_symbol, '.', 2) as symbol,
    "日期"::date as trade_date,
    "开盘"::decimal(18, 4) as open_usd,
    "收盘"::decimal(18, 4) as close_usd,
    "最高"::decimal(18, 4) as high_usd,
    "最低"::decimal(18, 4) as low_usd,
    "成交量"::bigint as volume_shares,
    _source_mode as source_mode,
    _retrieved_at::timestamptz as retrieved_at
from source
