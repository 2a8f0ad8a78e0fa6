-- The Shenwan level-1 industry of every A share in the whole-market Shenwan file
-- (stg_reference__industry_sw_a_share), as a name of the SW-2021 level-1 list (the 31 rows of
-- seed sector_groups with is_sw2021_level1). The vendor's label is kept beside it. A label that
-- is not one of the 31 is mapped only where the SW-2021 standard itself places it under a
-- level-1 industry (seed sw_label_corrections, each row with its source: 证券 is level 2 of
-- 非银金融); any other label (路桥, 全国地产, `--`, a leaked header `申万一级`, ...) is
-- `unclassified`, never grouped silently. The WARN test on label_status lists every row whose
-- label is not a level-1 name, mapped or not.
with sw_file as (
    select * from {{ ref('stg_reference__industry_sw_a_share') }}
),

level1_names as (
    select sector_l1 from {{ ref('sector_groups') }}
    where is_sw2021_level1
),

corrections as (
    select * from {{ ref('sw_label_corrections') }}
)

select
    sw_file.symbol,
    sw_file.name_zh,
    sw_file.sw_level1_label,
    sw_file.sw_level2_label,
    coalesce(level1_names.sector_l1, corrections.sw_level1, 'unclassified') as sector_l1,
    -- The level-2 label only under a level-1 name as labelled: a corrected row's label is
    -- itself level 2 or 3, and says nothing about the level 2 the vendor left out.
    case when level1_names.sector_l1 is not null then sw_file.sw_level2_label end as sector_l2,
    case
        when level1_names.sector_l1 is not null then 'sw2021_level1'
        when corrections.sw_level1 is not null then 'sw_label_correction'
        else 'unclassified'
    end as label_status,
    sw_file.as_of
from sw_file
left join level1_names on sw_file.sw_level1_label = level1_names.sector_l1
left join corrections on sw_file.sw_level1_label = corrections.label
