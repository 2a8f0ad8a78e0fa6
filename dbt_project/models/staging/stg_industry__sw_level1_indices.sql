-- The Shenwan level-1 industry indices (akshare sw_index_first_info, legulegu), from the newest
-- landing: the index code without its `.SI` suffix (801010) and the level-1 name as published.
-- Empty until the first live landing.
with source as (
    select * from {{ live_source('sw_index_first_info') }}
),

newest_file as (
    select max(filename) as filename from source
),

newest as (
    select source.* from source
    inner join newest_file on source.filename = newest_file.filename
)

select
    split_part("行业代码", '.', 1) as sw_index_code,
    trim("行业名称") as sw_level1,
    regexp_extract(filename, '(\d{4}-\d{2}-\d{2})\.parquet$', 1)::date as landed_on,
    _source_mode as source_mode
from newest
