-- The Shenwan level-1 industry indices (akshare sw_index_first_info, legulegu), from the newest
-- landing: the index code without its `.SI` suffix (801010) and the level-1 name as published.
-- Empty until the first live landing.
with newest as (
    select * from {{ newest_live_landing('sw_index_first_info') }}
)

select
    split_part("行业代码", '.', 1) as sw_index_code,
    trim("行业名称") as sw_level1,
    landed_on,
    _source_mode as source_mode
from newest
