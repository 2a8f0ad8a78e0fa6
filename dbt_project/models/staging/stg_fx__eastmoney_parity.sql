-- CNY central parity of the live daily update (eastmoney's copy), one row per currency and
-- fixing date, as CNY per one unit: eastmoney quotes per unit already, SAFE per 100.
with source as (
    select * from {{ live_source('forex_hist_em') }}
)

select
    "日期"::date as rate_date,
    case "代码" when 'USDCNYC' then 'USD' when 'HKDCNYC' then 'HKD' end as currency,
    "最新价"::decimal(18, 7) as fx_cny_per_unit,
    _source_mode as source_mode,
    _retrieved_at::timestamptz as retrieved_at
from source
