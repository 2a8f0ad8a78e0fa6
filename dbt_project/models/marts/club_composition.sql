-- Club make-up by sector group at the end of each year, quarter and month. period_end is the
-- club's last trade date in the period; each company is taken at its last observation in the
-- period (markets close on different days, and some series end early; see PROVENANCE.md), and
-- earliest/latest_observed_date say which days those were. Nothing is filled: a period with no
-- observation (the months between the per-listing history and the whole-market quotes) has no row.
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
{#- The rebuilt periods lie in the year that holds the window's start and after it. -#}
{%- set first_day = "date_trunc('year', " ~ start ~ ")" if start else "'-infinity'::date" %}

-- The membership is read three times, for what each part needs: one shared CTE would be
-- materialised whole, every column of every row of the rebuilt periods.

-- A company that is never a member is never counted, whatever its last observation: drop it
-- (nearly the whole market) before its rows are read whole, tripled per grain and ranked. By
-- company alone, not club and company: DuckDB then filters the scan itself by the few companies,
-- and a company's rows in a club it is never a member of are not counted either.
with member_companies as (
    select distinct company_id
    from {{ ref('club_membership_daily') }}
    where is_member and trade_date >= {{ first_day }}
),

membership as (
    select
        membership_days.club_id,
        membership_days.company_id,
        membership_days.trade_date,
        membership_days.market_cap_club_ccy,
        membership_days.is_member
    from {{ ref('club_membership_daily') }} as membership_days
    semi join member_companies
        on membership_days.company_id = member_companies.company_id
    where membership_days.trade_date >= {{ first_day }}
),

-- The first period of each grain that this run rebuilds (all of them on a full build).
grains as (
    select
        period_grain,
        date_trunc(period_grain, {{ start or "'-infinity'::date" }}) as first_period_start
    from (select unnest(['year', 'quarter', 'month']) as period_grain) as grain_names
),

in_period as (
    select
        membership.*,
        grains.period_grain,
        date_trunc(grains.period_grain, membership.trade_date) as period_start
    from membership
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

-- Every company's days, members or not: the club's last trade date in a period ends it.
club_days as (
    select distinct
        club_id,
        trade_date
    from {{ ref('club_membership_daily') }}
    where trade_date >= {{ first_day }}
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
        sum(last_observation.market_cap_club_ccy) as total_market_cap_club_ccy,
        -- The observed days the members were taken at: before period_end where a series ends
        -- early or a gap follows (PROVENANCE.md).
        min(last_observation.trade_date) as earliest_observed_date,
        max(last_observation.trade_date) as latest_observed_date
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
