-- US closing quotes of the live daily update, one row per listing and US trade date, in USD.
-- eastmoney's 代码 is `<market id>.<ticker>` (105.PDD); the ticker is the listing's symbol, the
-- market id names the exchange (105 NASDAQ, 106 NYSE, 107 NYSE Arca; int_listing_universe).
with source as (
    select * from {{ live_source('stock_us_spot_em') }}
)

select
    split_part("代码", '.', 2) as symbol,
    split_part("代码", '.', 1)::varchar as eastmoney_market_id,
    "名称"::varchar as name_zh,
    "交易日"::date as trade_date,
    "最新价"::decimal(18, 4) as close_usd,
    "总市值"::decimal(38, 2) as market_cap_usd,
    _source_mode as source_mode,
    _retrieved_at::timestamptz as retrieved_at
from source
where "总市值" is not null
