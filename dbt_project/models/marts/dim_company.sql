-- Every company: the companies seed (curated names, flags) and every listing of the universe no
-- seed row names, each its own company with its Chinese name from the data (名称 of the latest
-- quote) and no English name. Sector: the curated Shenwan class of the listing that counts
-- toward the company (stg_industry__classification; it wins where the whole-market file has the
-- same code too), else the whole-market Shenwan class (int_a_share_sw_sectors: in live mode the
-- landed classification history by code, else the snapshot file's level-1 name as labelled or a
-- label mapped by the sourced seed sw_label_corrections), else the project's
-- labelled supplement (HK-only, US and unlisted companies), else `unclassified`, mapped to a
-- small stable sector_group by the sector_groups seed (`unclassified` stays `unclassified`).
-- Domicile (head office): the sourced seed, else inferred for a mainland-only company
-- (int_company_domiciles, domicile_source says which); the tech-seven tier from its own sourced
-- seed. A company without a row there has them null.
with universe as (
    select * from {{ ref('int_listing_universe') }}
),

seeded as (
    select
        company_id,
        name_en,
        name_zh,
        is_listed,
        is_us_magnificent_seven,
        true as is_seeded
    from {{ ref('companies') }}
),

companies as (
    select * from seeded
    union all
    -- One listing each: the company id is derived from the listing (int_listing_universe).
    select
        universe.company_id,
        null as name_en,
        universe.name_zh,
        true as is_listed,
        false as is_us_magnificent_seven,
        false as is_seeded
    from universe
    anti join seeded on universe.company_id = seeded.company_id
),

domiciles as (
    select * from {{ ref('int_company_domiciles') }}
),

tech_seven as (
    select * from {{ ref('tech_seven_candidates') }}
),

basis_listing as (
    select
        company_id,
        market,
        symbol,
        name_zh
    from universe
    where is_company_basis
),

shenwan as (
    select * from {{ ref('stg_industry__classification') }}
    where sw_level1 is not null
),

whole_market as (
    select * from {{ ref('int_a_share_sw_sectors') }}
    where label_status <> 'unclassified'
),

supplement as (
    select * from {{ ref('company_sector_supplement') }}
),

sectors as (
    select
        companies.company_id,
        coalesce(
            shenwan.sw_level1, whole_market.sector_l1, supplement.sector_l1, 'unclassified'
        ) as sector_l1,
        case
            when shenwan.sw_level1 is not null then shenwan.sw_level2
            when whole_market.sector_l1 is not null then whole_market.sector_l2
            else supplement.sector_l2
        end as sector_l2,
        case
            when shenwan.sw_level1 is not null then 'shenwan_2021'
            when whole_market.label_status = 'sw2021_level1' then 'shenwan_whole_market'
            when whole_market.label_status = 'sw_label_correction' then 'sw_label_correction'
            when supplement.sector_l1 is not null then 'project_supplement'
            else 'unclassified'
        end as sector_source,
        basis_listing.name_zh as listing_name_zh
    from companies
    left join basis_listing on companies.company_id = basis_listing.company_id
    left join shenwan
        on basis_listing.market = shenwan.market and basis_listing.symbol = shenwan.symbol
    left join whole_market
        on basis_listing.market = 'a_share' and basis_listing.symbol = whole_market.symbol
    left join supplement on companies.company_id = supplement.company_id
)

select
    companies.company_id,
    companies.name_en,
    coalesce(companies.name_zh, sectors.listing_name_zh) as name_zh,
    domiciles.domicile,
    domiciles.domicile_source,
    sectors.sector_l1,
    sectors.sector_l2,
    sector_groups.sector_group,
    sectors.sector_source,
    tech_seven.tier as tech_seven_tier,
    tech_seven.company_id is not null as is_tech_seven_candidate,
    companies.is_us_magnificent_seven,
    companies.is_listed,
    companies.is_seeded
from companies
inner join sectors on companies.company_id = sectors.company_id
left join {{ ref('sector_groups') }} as sector_groups
    on sectors.sector_l1 = sector_groups.sector_l1
left join domiciles on companies.company_id = domiciles.company_id
left join tech_seven on companies.company_id = tech_seven.company_id
