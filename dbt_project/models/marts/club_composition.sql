-- Club make-up by sector group at the end of each year, quarter and month. period_end is the
-- club's last trade date in the period; each company is taken at its last observation in the
-- period (markets close on different days, and some series end early; see PROVENANCE.md).
with membership as (
    select * from {{ ref('club_membership_daily') }}
),

grains as (
    select unnest(['year', 'quarter', 'month']) as period_grain
),

-- A company that is never a member is never counted, whatever its last observation: drop it
-- (nearly the whole market) before the rows are tripled per grain and ranked.
ever_members as (
    select
        club_id,
        company_id
    from membership
    group by club_id, company_id
    having bool_or(is_member)
),

in_period as (
    select
        membership.*,
        grains.period_grain,
        date_trunc(grains.period_grain, membership.trade_date) as period_start
    from membership
    inner join ever_members
        on
            membership.club_id = ever_members.club_id
            and membership.company_id = ever_members.company_id
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

club_days as (
    select distinct
        club_id,
        trade_date
    from membership
),

period_ends as (
    select
        club_days.club_id,
        grains.period_grain,
        date_trunc(grains.period_grain, club_days.trade_date) as period_start,
        max(club_days.trade_date) as period_end
    from club_days
    cross join grains
    group by all
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
