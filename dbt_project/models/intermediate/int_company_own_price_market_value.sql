-- Each company's daily value on the A+H own-price basis ("A+H market value" of the terminals):
-- the A shares at the A price plus the H shares at the H price, converted to CNY at the fixing.
-- The company basis (fct_company_market_cap_daily.market_cap_cny) is the A-share 总市值 instead:
-- every share, H included, at the A price.
-- The H share count is derived: the H listing's market value over its close, both HKD and of the
-- same day. 总市值 counts those H shares at the A close, so
--   own-price = 总市值 - A close x H shares + H market value x fx_cny_per_hkd.
-- Only on days with every input observed: no H share count or price is carried across a day
-- without them (share counts change with corporate actions: BYD's H count tripled on
-- 2025-06-10 while its A count did not, so a carried count would value shares the data does
-- not show). The one exception is within a sourced correction (seed market_value_corrections):
-- there 总市值 counts the pre-issue shares, so the H shares it holds are the day's H count over
-- shares_per_pre_issue_share.
-- A company without an H listing (listings seed, share_class H) has its company value. The H
-- listing of an A+H company is known from the seed only: one the seed does not name is valued
-- at the A price on both bases.
-- A row depends on its own day only, so it is incremental by trade date like the daily marts
-- (macros/trade_date_window.sql): a table its four tests and the company fact read, where a view
-- re-ran the whole join for each of them (20 to 25 s each at full-market scale).
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_trade_date_window('trade_date') }}",
        on_schema_change='fail',
    )
}}

with universe as (
    select * from {{ ref('int_listing_universe') }}
),

listing_values as (
    select * from {{ ref('fct_listing_market_cap_daily') }}
    where {{ in_trade_date_window('trade_date') }}
),

counting as (
    select
        listing_values.company_id,
        listing_values.trade_date,
        listing_values.listing_id,
        universe.market,
        universe.symbol,
        listing_values.market_cap_cny,
        listing_values.value_source,
        listing_values.is_derived,
        listing_values.derivation
    from listing_values
    inner join universe on listing_values.listing_id = universe.listing_id
    where listing_values.counts_toward_company
),

h_listings as (
    select
        listing_id,
        company_id,
        symbol
    from universe
    where market = 'hong_kong' and share_class = 'H' and not is_company_basis
),

-- The A close of the source the day's 总市值 comes from (int_listing_market_cap_native).
a_closes as (
    select
        symbol,
        trade_date,
        'history' as value_source,
        close_cny
    from {{ ref('stg_a_share__market_value') }}
    union all
    select
        symbol,
        trade_date,
        'daily_quote' as value_source,
        close_cny
    from {{ ref('stg_a_share__spot') }}
),

-- Materialized: inlined, the planner joined the listing fact with itself on trade_date alone
-- (10 M x 10 M rows on the benchmark's market, 60 GB of spill before the disk was full).
h_values as materialized (
    select
        h_listings.company_id,
        listing_values.trade_date,
        listing_values.listing_id,
        listing_values.market_cap_native as market_cap_hkd,
        listing_values.market_cap_cny,
        listing_values.fx_cny_per_unit as fx_cny_per_hkd,
        prices.close_hkd,
        round(listing_values.market_cap_native / prices.close_hkd)::bigint as shares_h,
        listing_values.is_derived or prices.is_derived as is_derived,
        nullif(concat_ws('; ', listing_values.derivation, prices.derivation), '') as derivation
    from listing_values
    inner join h_listings on listing_values.listing_id = h_listings.listing_id
    inner join {{ ref('stg_hk__prices') }} as prices
        on h_listings.symbol = prices.symbol and listing_values.trade_date = prices.trade_date
    where prices.close_hkd > 0 and listing_values.market_cap_cny is not null
),

pre_issue as (
    select
        listing_id,
        h_ex_date,
        a_ex_date,
        shares_per_pre_issue_share
    from {{ ref('market_value_corrections') }}
    where rule = 'pre_issue_shares_at_a_price'
),

-- The A listing's day beside its company's H listing's day; materialized for the same reason.
a_with_h as materialized (
    select
        counting.*,
        h_values.listing_id as h_listing_id,
        h_values.market_cap_hkd as h_market_cap_hkd,
        h_values.close_hkd as h_close_hkd,
        h_values.fx_cny_per_hkd,
        h_values.market_cap_cny as h_market_cap_cny,
        h_values.shares_h,
        h_values.derivation as h_derivation
    from counting
    inner join h_values
        on counting.company_id = h_values.company_id and counting.trade_date = h_values.trade_date
    where counting.market = 'a_share'
),

a_plus_h as (
    select
        counting.company_id,
        counting.trade_date,
        counting.market_cap_cny,
        a_closes.close_cny as a_close_cny,
        counting.h_listing_id,
        counting.h_market_cap_hkd,
        counting.h_close_hkd,
        counting.fx_cny_per_hkd,
        counting.h_market_cap_cny,
        counting.shares_h,
        round(counting.shares_h / coalesce(pre_issue.shares_per_pre_issue_share, 1))::bigint
            as shares_h_in_total,
        round(counting.market_cap_cny / a_closes.close_cny)::bigint as shares_total,
        pre_issue.listing_id is not null as is_pre_issue,
        counting.derivation as a_derivation,
        counting.h_derivation
    from a_with_h as counting
    inner join a_closes
        on
            counting.symbol = a_closes.symbol
            and counting.trade_date = a_closes.trade_date
            and counting.value_source = a_closes.value_source
    left join pre_issue
        on
            counting.listing_id = pre_issue.listing_id
            and counting.trade_date >= pre_issue.h_ex_date
            and counting.trade_date < pre_issue.a_ex_date
    where a_closes.close_cny > 0
),

own_price_a_plus_h as (
    select
        company_id,
        trade_date,
        h_listing_id,
        a_close_cny,
        h_close_hkd,
        fx_cny_per_hkd,
        shares_total,
        shares_h,
        shares_total - shares_h_in_total as shares_a,
        (market_cap_cny - a_close_cny * shares_h_in_total + h_market_cap_cny)::decimal(38, 4)
            as own_price_market_cap_cny,
        true as is_derived,
        concat_ws(
            '; ',
            'own-price: H shares ' || shares_h || ' = H market value ' || h_market_cap_hkd
            || ' HKD / H close ' || h_close_hkd || ' HKD (' || h_listing_id || ')'
            || case
                when is_pre_issue
                    then
                        ', ' || shares_h_in_total
                        || ' before the bonus issue (seed market_value_corrections)'
                else ''
            end
            || '; A shares = 总股本 ' || shares_total || ' (总市值 / A close ' || a_close_cny
            || ') - H shares; H value at ' || fx_cny_per_hkd || ' CNY per HKD',
            a_derivation,
            h_derivation
        ) as derivation
    from a_plus_h
),

a_only as (
    select
        counting.company_id,
        counting.trade_date,
        null::varchar as h_listing_id,
        null::decimal(18, 4) as a_close_cny,
        null::decimal(18, 4) as h_close_hkd,
        null::decimal(18, 7) as fx_cny_per_hkd,
        null::bigint as shares_total,
        null::bigint as shares_h,
        null::bigint as shares_a,
        counting.market_cap_cny as own_price_market_cap_cny,
        counting.is_derived,
        counting.derivation
    from counting
    anti join h_listings on counting.company_id = h_listings.company_id
)

select * from own_price_a_plus_h
union all
select * from a_only
