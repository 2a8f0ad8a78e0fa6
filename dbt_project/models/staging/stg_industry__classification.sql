-- Shenwan (申万 2021) level-1/level-2 industry per listing code; blank names become null.
with source as (
    select * from {{ source('raw', 'industry_classification') }}
)

select
    "代码" as symbol,
    case "市场" when 'A' then 'a_share' when 'HK' then 'hong_kong' end as market,
    "名称" as name_zh,
    nullif(trim("申万一级"), '') as sw_level1,
    nullif(trim("申万二级"), '') as sw_level2,
    _source_mode as source_mode
from source
