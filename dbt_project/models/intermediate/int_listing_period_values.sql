-- Each listing's value at the start and end of every calendar year it traded in: the end is its
-- last observation in the year, the start its last observation in the year before (or its first
-- observation, in its first year). A market's latest year is year-to-date (Chinese data ends in
-- mid-2025, US data in 2026). Values in native currency
-- and in CNY; market value rather than price, so bonus issues and splits do not read as crashes.
-- A table, not a view: sector_performance, top_movers and the tests each read it, and each read
-- of a view would scan the whole daily fact again.
{{ config(materialized='table') }}

with daily as (
    select
        listing_values.listing_id,
        listing_values.company_id,
        listing_values.trade_date,
        listing_values.market_cap_native,
        listing_values.market_cap_cny,
        listing_values.is_derived,
        year(listing_values.trade_date) as calendar_year,
        listings.market
    from {{ ref('fct_listing_market_cap_daily') }} as listing_values
    inner join {{ ref('listings') }} as listings
        on listing_values.listing_id = listings.listing_id
),

first_and_last as (
    select
        listing_id,
        company_id,
        market,
        calendar_year,
        arg_min(trade_date, trade_date) as first_date,
        arg_min(market_cap_native, trade_date) as first_native,
        arg_min(market_cap_cny, trade_date) as first_cny,
        arg_min(is_derived, trade_date) as first_is_derived,
        arg_max(trade_date, trade_date) as last_date,
        arg_max(market_cap_native, trade_date) as last_native,
        arg_max(market_cap_cny, trade_date) as last_cny,
        arg_max(is_derived, trade_date) as last_is_derived
    from daily
    group by listing_id, company_id, market, calendar_year
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
