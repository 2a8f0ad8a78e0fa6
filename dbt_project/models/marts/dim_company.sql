with companies as (
    select * from {{ ref('companies') }}
),

basis_listing as (
    select company_id, market, symbol
    from {{ ref('listings') }}
    where is_company_basis
),

industry as (
    select * from {{ ref('stg_industry__classification') }}
)

select
    companies.company_id,
    companies.name_en,
    companies.name_zh,
    industry.sw_level1 as sector_l1,
    industry.sw_level2 as sector_l2,
    companies.is_tech_seven_candidate,
    companies.is_us_magnificent_seven,
    companies.is_listed
from companies
left join basis_listing on companies.company_id = basis_listing.company_id
left join industry
    on basis_listing.market = industry.market and basis_listing.symbol = industry.symbol
