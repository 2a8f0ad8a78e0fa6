-- Change in combined market value (CNY) of each level-1 sector's Chinese companies per calendar
-- year (the latest year to date): the listings that count toward their company, taken at the
-- same start and end points, so a listing joins a sector's return only for years it traded.
-- "Chinese" as in the company club: the domiciles it admits (clubs seed), mainland China.
with periods as (
    select * from {{ ref('int_listing_period_values') }}
),

counting_listings as (
    select listing_id from {{ ref('dim_listing') }}
    where counts_toward_company
),

companies as (
    select dim_company.*
    from {{ ref('dim_company') }} as dim_company
    inner join {{ ref('clubs') }} as clubs on clubs.club_id = 'company_trillion_cny'
    where {{ admits_domicile('clubs.admitted_domiciles', 'dim_company.domicile') }}
)

select
    companies.sector_l1,
    companies.sector_group,
    periods.calendar_year,
    -- One row per sector and year. A year one market's data has finished and another's has not
    -- (the snapshot's A-share quotes run into 2026, its Hong Kong data ends in 2025) is still
    -- running for the sector: year-to-date.
    case
        when bool_or(periods.period_type = 'year_to_date') then 'year_to_date'
        else 'calendar_year'
    end as period_type,
    -- The observed days the values were taken at, which are not the calendar's: a year starts
    -- at each listing's last observation of the year before (2026 at 2025-06-30, where the
    -- per-listing history ends, or 2025-05-23 for three codes) or its first observation, and
    -- ends at its last. Listings of one sector can differ: the earliest and latest of each end.
    min(periods.period_start) as period_start,
    max(periods.period_start) as period_start_latest,
    min(periods.period_end) as period_end_earliest,
    max(periods.period_end) as period_end,
    count(*) as listing_count,
    sum(periods.start_cny) as start_market_cap_cny,
    sum(periods.end_cny) as end_market_cap_cny,
    round((sum(periods.end_cny) / sum(periods.start_cny) - 1) * 100, 4) as return_pct,
    bool_or(periods.is_derived) as is_derived
from periods
inner join counting_listings on periods.listing_id = counting_listings.listing_id
inner join companies on periods.company_id = companies.company_id
group by companies.sector_l1, companies.sector_group, periods.calendar_year
