-- Shenwan industry of every A share in the whole-market quotes, one row per code, with the
-- labels as the vendor gave them (PROVENANCE.md §9): sw_level1 is an SW-2021 level-1 name for
-- most codes, a lower-level or non-SW label for 14 and `--` for 4; it is kept as found for a
-- later model to map or flag, never to bucket silently. A blank level-2 label becomes null.
-- int_a_share_sw_sectors reads it for every code the live classification does not give.
with source as (
    select * from {{ source('raw', 'industry_sw_a_share') }}
)

select
    "代码"::varchar as symbol,
    "交易所" as exchange,
    "名称" as name_zh,
    trim("申万一级") as sw_level1_label,
    nullif(trim("申万二级"), '') as sw_level2_label,
    "as_of"::date as as_of,
    _source_mode as source_mode
from source
