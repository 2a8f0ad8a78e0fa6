-- A-share daily market value, one row per listing and trade date, in 元 and shares.
-- market_cap_cny and shares_total are the vendor's 总市值 and 总股本, except on the days a sourced
-- correction (seed market_value_corrections) replaces them; vendor_market_cap_cny keeps the
-- vendor's 总市值 on those days, and is_derived and derivation say what was done.
with source as (
    select * from {{ newest_landing_per_listing('stock_value_em') }}
),

listings as (
    select * from {{ ref('listings') }}
),

staged as (
    select
        _symbol as symbol,
        "数据日期"::date as trade_date,
        "当日收盘价"::decimal(18, 4) as close_cny,
        "总市值"::decimal(38, 2) as market_cap_cny,
        "流通市值"::decimal(38, 2) as float_market_cap_cny,
        "总股本"::bigint as shares_total,
        "流通股本"::bigint as shares_float,
        "当日涨跌幅"::double as change_pct,
        {{ is_derived_source('_close_source') }}
        or {{ is_derived_source('_shares_source') }} as is_derived,
        {{ derivation_text([('close', '_close_source'), ('shares', '_shares_source')]) }}
            as derivation,
        _source_mode as source_mode,
        _retrieved_at::timestamptz as retrieved_at
    from source
),

corrected_listings as (
    select
        listings.symbol,
        corrections.h_ex_date,
        corrections.a_ex_date
    from {{ ref('market_value_corrections') }} as corrections
    inner join listings
        on corrections.listing_id = listings.listing_id
    where listings.market = 'a_share' and corrections.rule = 'pre_issue_shares_at_a_price'
),

-- A bonus issue whose H shares go ex before its A shares: in between, the vendor's 总股本
-- already counts the new H shares while the A price is still cum-entitlement, so the company
-- is its pre-issue shares, the last 总股本 before the H ex-date, at the A price.
corrections as (
    select
        corrected_listings.*,
        before_h_ex.shares_total as pre_issue_shares_total
    from corrected_listings
    asof inner join staged as before_h_ex
        on
            corrected_listings.symbol = before_h_ex.symbol
            and corrected_listings.h_ex_date > before_h_ex.trade_date
)

select
    staged.symbol,
    staged.trade_date,
    staged.close_cny,
    case
        when corrections.symbol is null then staged.market_cap_cny
        else (staged.close_cny * corrections.pre_issue_shares_total)::decimal(38, 2)
    end as market_cap_cny,
    case when corrections.symbol is not null then staged.market_cap_cny end
        as vendor_market_cap_cny,
    staged.float_market_cap_cny,
    coalesce(corrections.pre_issue_shares_total, staged.shares_total) as shares_total,
    staged.shares_float,
    staged.change_pct,
    staged.is_derived or corrections.symbol is not null as is_derived,
    nullif(concat_ws(
        '; ',
        staged.derivation,
        'market_cap: corrected to 总股本 ' || corrections.pre_issue_shares_total
        || ', the last before the H ex-date ' || corrections.h_ex_date
        || ', at the A price until the A ex-date ' || corrections.a_ex_date
        || ' (vendor 总股本 ' || staged.shares_total || ', seed market_value_corrections)'
    ), '') as derivation,
    staged.source_mode,
    staged.retrieved_at
from staged
left join corrections
    on
        staged.symbol = corrections.symbol
        and staged.trade_date >= corrections.h_ex_date
        and staged.trade_date < corrections.a_ex_date
