-- Companies with their sector: the Shenwan class of the listing that counts toward the company,
-- else the project's labelled supplement (HK-only, US and unlisted companies), mapped to a small
-- stable sector_group by the sector_groups seed. Domicile (head office) and the tech-seven tier
-- come from their own sourced seeds; a company without a row there has them null.
with companies as (
    select * from {{ ref('companies') }}
),

domiciles as (
    select * from {{ ref('company_domiciles') }}
),

tech_seven as (
    select * from {{ ref('tech_seven_candidates') }}
),

basis_listing as (
    select
        company_id,
        market,
        symbol
    from {{ ref('listings') }}
    where is_company_basis
),

shenwan as (
    select * from {{ ref('stg_industry__classification') }}
    where sw_level1 is not null
),

supplement as (
    select * from {{ ref('company_sector_supplement') }}
),

sectors as (
    select
        companies.company_id,
        coalesce(shenwan.sw_level1, supplement.sector_l1) as sector_l1,
        coalesce(shenwan.sw_level2, supplement.sector_l2) as sector_l2,
        case
            when shenwan.sw_level1 is not null then 'shenwan_2021'
            when supplement.sector_l1 is not null then 'project_supplement'
        end as sector_source
    from companies
    left join basis_listing on companies.company_id = basis_listing.company_id
    left join shenwan
        on basis_listing.market = shenwan.market and basis_listing.symbol = shenwan.symbol
    left join supplement on companies.company_id = supplement.company_id
)

select
    companies.company_id,
    companies.name_en,
    companies.name_zh,
    domiciles.domicile,
    sectors.sector_l1,
    sectors.sector_l2,
    sector_groups.sector_group,
    sectors.sector_source,
    tech_seven.tier as tech_seven_tier,
    tech_seven.company_id is not null as is_tech_seven_candidate,
    companies.is_us_magnificent_seven,
    companies.is_listed
from companies
inner join sectors on companies.company_id = sectors.company_id
left join {{ ref('sector_groups') }} as sector_groups
    on sectors.sector_l1 = sector_groups.sector_l1
left join domiciles on companies.company_id = domiciles.company_id
left join tech_seven on companies.company_id = tech_seven.company_id
