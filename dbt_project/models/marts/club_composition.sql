-- Club make-up by sector group at the end of each year, quarter and month. period_end is the
-- club's last trade date in the period; each company is taken at its last observation in the
-- period (markets close on different days, and some series end early; see PROVENANCE.md).
with membership as (
    select * from {{ ref('club_membership_daily') }}
),

grains as (
    select unnest(['year', 'quarter', 'month']) as period_grain
),

in_period as (
    select
        membership.*,
        grains.period_grain,
        date_trunc(grains.period_grain, membership.trade_date) as period_start
    from membership
    cross join grains
),

last_observation as (
    select *
    from in_period
    qualify row_number() over (
        partition by club_id, company_id, period_grain, period_start
        order by trade_date desc
    ) = 1
),

period_ends as (
    select
        club_id,
        period_grain,
        period_start,
        max(trade_date) as period_end
    from in_period
    group by club_id, period_grain, period_start
),

by_sector as (
    select
        period_ends.club_id,
        period_ends.period_end,
        period_ends.period_grain,
        coalesce(companies.sector_group, 'unclassified') as sector_group,
        count(*) as member_count,
        sum(last_observation.market_cap_club_ccy) as total_market_cap_club_ccy
    from last_observation
    inner join period_ends
        on
            last_observation.club_id = period_ends.club_id
            and last_observation.period_grain = period_ends.period_grain
            and last_observation.period_start = period_ends.period_start
    left join {{ ref('dim_company') }} as companies
        on last_observation.company_id = companies.company_id
    where last_observation.is_member
    group by all
)

select
    *,
    round(
        total_market_cap_club_ccy
        / sum(total_market_cap_club_ccy) over (partition by club_id, period_end, period_grain),
        6
    ) as share_of_club
from by_sector
