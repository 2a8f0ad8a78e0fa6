-- Each listing's value at the start and end of every calendar year it traded in: the end is its
-- last observation in the year, the start its last observation in the year before (or its first
-- observation, in its first year). A market's latest year is year-to-date (Chinese data ends in
-- mid-2025, US data in 2026). Values in native currency
-- and in CNY; market value rather than price, so bonus issues and splits do not read as crashes.
-- A table, not a view: sector_performance, top_movers and the tests each read it, and each read
-- of a view would scan the whole daily fact again.
--
-- Incremental by calendar year. A window of trade dates that starts in year Y changes the
-- values of year Y and later only (a year's values are its own first and last observations and
-- the previous year's last), but it can move a market's latest year, which flips year Y-1
-- between year_to_date and calendar_year (the first trade date of a new year does). So a run
-- rebuilds every year from Y-1 on, reading the facts from 1 January of Y-2 (Y-1 starts at the
-- last value of Y-2). Years before Y-1 keep their period_type as long as every market trades in
-- every calendar year. A run without a window (TRADE_DATE_FROM/TO) does not know which days
-- changed, and rebuilds every year.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="
            {%- set window_year = window_start_year() | trim -%}
            {%- if is_incremental() -%}
                delete from {{ this }}
                {%- if window_year %} where calendar_year >= {{ window_year | int - 1 }} {%- endif -%}
            {%- endif -%}",
        on_schema_change='fail',
    )
}}

{%- set window_year = window_start_year() | trim %}
{%- set first_year = window_year | int - 1 if window_year else none %}

-- Aggregated before the join to the listings (for the market), and each end's three values in
-- one arg_min/arg_max: fewer and narrower aggregates over the rows read.
with by_year as (
    select
        listing_id,
        company_id,
        year(trade_date) as calendar_year,
        min(trade_date) as first_date,
        arg_min(
            { 'native': market_cap_native, 'cny': market_cap_cny, 'is_derived': is_derived },
            trade_date
        ) as first_values,
        max(trade_date) as last_date,
        arg_max(
            { 'native': market_cap_native, 'cny': market_cap_cny, 'is_derived': is_derived },
            trade_date
        ) as last_values
    from {{ ref('fct_listing_market_cap_daily') }}
    {%- if first_year %}
        where trade_date >= '{{ first_year - 1 }}-01-01'::date
    {%- endif %}
    group by listing_id, company_id, calendar_year
),

first_and_last as (
    select
        by_year.listing_id,
        by_year.company_id,
        listings.market,
        by_year.calendar_year,
        by_year.first_date,
        by_year.first_values.native as first_native,
        by_year.first_values.cny as first_cny,
        by_year.first_values.is_derived as first_is_derived,
        by_year.last_date,
        by_year.last_values.native as last_native,
        by_year.last_values.cny as last_cny,
        by_year.last_values.is_derived as last_is_derived
    from by_year
    inner join {{ ref('int_listing_universe') }} as listings
        on by_year.listing_id = listings.listing_id
),

latest_year as (
    select
        market,
        max(calendar_year) as calendar_year
    from first_and_last
    group by market
)

select
    this_year.listing_id,
    this_year.company_id,
    this_year.calendar_year,
    case
        when this_year.calendar_year = latest_year.calendar_year then 'year_to_date'
        else 'calendar_year'
    end as period_type,
    coalesce(previous_year.last_date, this_year.first_date) as period_start,
    this_year.last_date as period_end,
    coalesce(previous_year.last_native, this_year.first_native) as start_native,
    this_year.last_native as end_native,
    coalesce(previous_year.last_cny, this_year.first_cny) as start_cny,
    this_year.last_cny as end_cny,
    coalesce(previous_year.last_is_derived, this_year.first_is_derived)
    or this_year.last_is_derived as is_derived
from first_and_last as this_year
inner join latest_year on this_year.market = latest_year.market
left join first_and_last as previous_year
    on
        this_year.listing_id = previous_year.listing_id
        and this_year.calendar_year = previous_year.calendar_year + 1
{%- if first_year %}
    where this_year.calendar_year >= {{ first_year }}
{%- endif %}
