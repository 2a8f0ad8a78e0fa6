-- The Shenwan level-1 industry of every A share, as a name of the SW-2021 level-1 list (the 31
-- rows of seed sector_groups with is_sw2021_level1), from two files with a stated precedence:
--   1. the live classification (stock_industry_clf_hist_sw, once landed): the class in force on
--      the day the file was landed (int_a_share_sw_industry_history.is_current), its level-1
--      name from the code's prefix; a pre-2021 or unknown code is `unclassified`. It wins for
--      every code it classifies on that day.
--   2. the whole-market Shenwan file of the snapshot (stg_reference__industry_sw_a_share, landed
--      in both modes) for every other code: the vendor's label kept beside it; a label that is
--      not one of the 31 is mapped only where the SW-2021 standard itself places it under a
--      level-1 industry (seed sw_label_corrections, each row with its source: 证券 is level 2
--      of 非银金融); any other label (路桥, 全国地产, `--`, a leaked header `申万一级`, ...) is
--      `unclassified`, never grouped silently.
-- classification_source says which file a row comes from. The WARN tests list every row that is
-- not a level-1 name as published: labels (mapped or not) and codes not mapped.
with sw_file as (
    select * from {{ ref('stg_reference__industry_sw_a_share') }}
),

level1_names as (
    select sector_l1 from {{ ref('sector_groups') }}
    where is_sw2021_level1
),

corrections as (
    select * from {{ ref('sw_label_corrections') }}
),

live as (
    select * from {{ ref('int_a_share_sw_industry_history') }}
    where is_current
),

live_rows as (
    select
        symbol,
        null::varchar as name_zh,
        null::varchar as sw_level1_label,
        null::varchar as sw_level2_label,
        sector_l1,
        -- Level-2 names are not landed (sw_index_second_info): no level 2 from this file.
        null::varchar as sector_l2,
        case when code_status = 'sw2021' then 'sw2021_level1' else 'unclassified' end
            as label_status,
        landed_on as as_of,
        'stock_industry_clf_hist_sw' as classification_source,
        industry_code,
        code_status,
        valid_from
    from live
),

reference_rows as (
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
        sw_file.as_of,
        'industry_sw_a_share' as classification_source,
        null::varchar as industry_code,
        null::varchar as code_status,
        null::date as valid_from
    from sw_file
    left join level1_names on sw_file.sw_level1_label = level1_names.sector_l1
    left join corrections on sw_file.sw_level1_label = corrections.label
    anti join live on sw_file.symbol = live.symbol
)

select * from live_rows
union all
select * from reference_rows
