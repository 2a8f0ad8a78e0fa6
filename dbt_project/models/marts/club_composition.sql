-- Club make-up by sector group at the end of each year, quarter and month. period_end is the
-- club's last trade date in the period; each company is taken at its last observation in the
-- period (markets close on different days, and some series end early; see PROVENANCE.md).
-- Incremental: every period that ends on or after the window's start is rebuilt, from the
-- membership of the year that holds that start on (macros/trade_date_window.sql).
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="
            {%- set start = window_start('period_end') | trim -%}
            {%- if is_incremental() and start -%}
                delete from {{ this }} where period_end >= date_trunc(period_grain, {{ start }})
            {%- endif -%}",
        on_schema_change='fail',
    )
}}

{%- set start = window_start('period_end') | trim %}

with membership as (
    select * from {{ ref('club_membership_daily') }}
    {%- if start %}
        where trade_date >= date_trunc('year', {{ start }})
    {%- endif %}
),

-- The first period of each grain that this run rebuilds (all of them on a full build).
grains as (
    select
        period_grain,
        date_trunc(period_grain, {{ start or "'-infinity'::date" }}) as first_period_start
    from (select unnest(['year', 'quarter', 'month']) as period_grain) as grain_names
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
    where date_trunc(grains.period_grain, membership.trade_date) >= grains.first_period_start
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
    where date_trunc(grains.period_grain, club_days.trade_date) >= grains.first_period_start
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
