-- The 31 SW-2021 level-1 industries by code prefix: the first 2 digits of a level-3 industry code
-- (stock_industry_clf_hist_sw) are those of its level-1 code (480301 is under 480000 银行). The
-- prefix -> index code -> name link is the sourced seed sw2021_level1_codes: sw_index_first_info
-- gives index codes (801780.SI) and names, not industry codes. Where sw_index_first_info has
-- landed its names are used, and match_status compares it with the seed row by row; a blocking
-- test fails on any difference (a renamed, added or dropped level-1 industry means the seed
-- must be reviewed against the standard, never guessed).
with seed as (
    select * from {{ ref('sw2021_level1_codes') }}
),

published as (
    select * from {{ ref('stg_industry__sw_level1_indices') }}
),

landing as (
    select count(*) > 0 as is_landed from published
)

select
    seed.code_prefix,
    coalesce(seed.sw_index_code, published.sw_index_code) as sw_index_code,
    coalesce(published.sw_level1, seed.sw_level1) as sw_level1,
    case
        when published.sw_level1 is not null then 'sw_index_first_info'
        else 'sw2021_level1_codes'
    end as name_source,
    seed.sw_level1 as seed_sw_level1,
    published.sw_level1 as published_sw_level1,
    case
        when not landing.is_landed then 'seed_only'
        when seed.code_prefix is null then 'missing_from_seed'
        when published.sw_index_code is null then 'missing_from_published'
        when published.sw_level1 <> seed.sw_level1 then 'name_differs'
        else 'matches'
    end as match_status
from seed
full outer join published on seed.sw_index_code = published.sw_index_code
cross join landing
