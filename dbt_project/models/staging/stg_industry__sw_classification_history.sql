-- The Shenwan classification history of every A share (akshare stock_industry_clf_hist_sw), one
-- row per code and start_date, codes only: industry_code is a 6-digit level-3 code of the scheme
-- in force on start_date (the file keeps pre-2021 rows in the older scheme). Each landing is the
-- whole file as published that day, so only the newest one is read; landed_on is its partition
-- day, the day a "current" class is taken as of. Empty until the first live landing.
with newest as (
    select * from {{ newest_live_landing('stock_industry_clf_hist_sw') }}
)

select
    symbol::varchar as symbol,
    industry_code::varchar as industry_code,
    start_date::date as start_date,
    update_time::date as updated_on,
    landed_on,
    _source_mode as source_mode,
    _retrieved_at::timestamptz as retrieved_at
from newest
