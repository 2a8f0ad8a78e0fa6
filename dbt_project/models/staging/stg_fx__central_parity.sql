-- CNY central parity, one row per currency and fixing date, as CNY per one unit.
-- SAFE quotes CNY per 100 units; the division by 100 happens here and nowhere else.
with source as (
    select * from {{ source('raw', 'currency_boc_safe') }}
),

long as (
    select
        "日期" as rate_date,
        'USD' as currency,
        "美元" as cny_per_100,
        _usd_source as rate_source,
        _source_mode,
        _retrieved_at
    from source
    union all
    select
        "日期" as rate_date,
        'HKD' as currency,
        "港元" as cny_per_100,
        _hkd_source as rate_source,
        _source_mode,
        _retrieved_at
    from source
)

select
    rate_date::date as rate_date,
    currency,
    (cny_per_100::decimal(18, 5) * 0.01)::decimal(18, 7) as fx_cny_per_unit,
    {{ is_derived_source('rate_source') }} as is_derived,
    {{ derivation_text([('fx', 'rate_source')]) }} as derivation,
    _source_mode as source_mode,
    _retrieved_at::timestamptz as retrieved_at
from long
where cny_per_100 is not null
