-- Each A share's Shenwan class over time, from the live classification file
-- (stg_industry__sw_classification_history), one row per code and start_date: valid_from is the
-- row's start_date, valid_to the next row's start_date (exclusive; null while in force). So the
-- class on a day D is the row with the latest start_date on or before D; is_current marks the
-- row in force on landed_on, the day the file was landed (a row dated after it is not yet).
-- The level-1 name comes from the code's first 2 digits (int_sw2021_level1_names), for SW-2021
-- rows only: a row dated before var sw2021_first_start_date is of the older SW-2014 scheme, whose
-- prefixes name other or since-split industries (21 采掘 became 煤炭 and 石油石化), so it stays
-- `unclassified` (code_status pre_sw2021), as does an SW-2021 row whose prefix is no level-1
-- industry (unknown_prefix). Never mapped by a guess.
with history as (
    select * from {{ ref('stg_industry__sw_classification_history') }}
),

level1 as (
    select * from {{ ref('int_sw2021_level1_names') }}
    where code_prefix is not null
),

intervals as (
    select
        symbol,
        industry_code,
        start_date as valid_from,
        lead(start_date) over (partition by symbol order by start_date) as valid_to,
        start_date >= '{{ var("sw2021_first_start_date") }}'::date as is_sw2021_row,
        updated_on,
        landed_on,
        source_mode
    from history
)

select
    intervals.symbol,
    intervals.industry_code,
    intervals.valid_from,
    intervals.valid_to,
    case
        when not intervals.is_sw2021_row then 'pre_sw2021'
        when level1.code_prefix is null then 'unknown_prefix'
        else 'sw2021'
    end as code_status,
    level1.sw_index_code,
    coalesce(level1.sw_level1, 'unclassified') as sector_l1,
    intervals.valid_from <= intervals.landed_on
    and coalesce(intervals.valid_to > intervals.landed_on, true) as is_current,
    intervals.updated_on,
    intervals.landed_on,
    intervals.source_mode
from intervals
left join level1
    on
        intervals.is_sw2021_row
        and left(intervals.industry_code, 2) = level1.code_prefix
