"""Risk: converting each listing's market value to CNY (marts.fct_listing_market_cap_daily).

The frame recomputes, independently of the model, the rate each row should have used: the
as-of fixing of the currency of the listing's exchange, fresh under the warehouse's rule
(the `fresh_fx` macro): a fixing may be used while it is at most 7 days old, or while no later
fixing was due (the next Shanghai session after it had not come yet, e.g. Lunar New Year).
Past the Shanghai calendar's horizon that cannot be told: such a rate reads 'unknown calendar'.
"""

import great_expectations as gx

from expectations.gates import ERROR, WARN, Gate, Suite, Window

FX_MAX_STALENESS_DAYS = 7  # dbt_project.yml var fx_max_staleness_days
# A change is day-over-day only between observations this many calendar days apart at most (the
# longest exchange holidays, Lunar New Year and Golden Week, are 9-11 days). Across a longer gap
# in the data (the snapshot has none between 2025-06-30 and the 2026-06-02 quotes) the change
# is that of months, not a day: not judged by this gate.
DAY_OVER_DAY_MAX_GAP_DAYS = 14


def frame_sql(window: Window) -> str:
    """The window's listing-days, each with the rate it should have used. The day-over-day
    change of the window's first days looks back DAY_OVER_DAY_MAX_GAP_DAYS: an earlier
    observation is too far to compare with anyway."""
    return f"""
-- The value as the vendor reported it: where a sourced correction replaced it (seed
-- market_value_corrections, applied to A shares in staging), the day-over-day gate still sees
-- the vendor's figure. Read from the one staging view that has it, not from the union of every
-- raw dataset (int_listing_market_cap_native), whose scans took minutes at full-market scale.
with corrected as (
    select
        listings.listing_id,
        a_share.trade_date,
        a_share.vendor_market_cap_cny as vendor_market_cap_native
    from staging.stg_a_share__market_value as a_share
    inner join marts.dim_listing as listings
        on listings.market = 'a_share' and a_share.symbol = listings.symbol
    where
        a_share.vendor_market_cap_cny is not null
        and {window.where("a_share.trade_date", DAY_OVER_DAY_MAX_GAP_DAYS)}
),

listing_values as (
    select
        facts.*,
        coalesce(corrected.vendor_market_cap_native, facts.market_cap_native)
            as vendor_market_cap_native
    from marts.fct_listing_market_cap_daily as facts
    left join corrected
        on facts.listing_id = corrected.listing_id
        and facts.trade_date = corrected.trade_date
    where {window.where("facts.trade_date", DAY_OVER_DAY_MAX_GAP_DAYS)}
),

-- The trading currency of the listing's exchange (the prefix of listing_id), not the model's
-- currency column: every listing of the universe, seeded or not, trades in its exchange's own.
listings as (
    select distinct
        listing_id,
        case split_part(listing_id, ':', 1)
            when 'SSE' then 'CNY'
            when 'SZSE' then 'CNY'
            when 'BSE' then 'CNY'
            when 'HKEX' then 'HKD'
            when 'NASDAQ' then 'USD'
            when 'NYSE' then 'USD'
            when 'NYSEARCA' then 'USD'
        end as listing_currency
    from listing_values
),

fixings as (
    select * from intermediate.int_fx_fixings
),

as_of as (
    select
        listing_values.*,
        listings.listing_currency,
        fresh.rate_date as as_of_rate_date,
        fresh.fx_cny_per_unit as as_of_rate,
        fresh.next_fixing_due as as_of_next_fixing_due
    from listing_values
    left join listings on listing_values.listing_id = listings.listing_id
    asof left join fixings as fresh
        on listings.listing_currency = fresh.currency
        and listing_values.trade_date >= fresh.rate_date
),

with_used_fixing as (
    select
        as_of.*,
        used.next_fixing_due as used_next_fixing_due,
        used.calendar_status as used_calendar_status
    from as_of
    left join fixings as used
        on as_of.currency = used.currency and as_of.fx_rate_date = used.rate_date
),

checked as (
select
    listing_id,
    trade_date,
    currency,
    listing_currency,
    market_cap_native::double as market_cap_native,
    fx_cny_per_unit::double as fx_cny_per_unit,
    fx_rate_date,
    market_cap_cny::double as market_cap_cny,
    case
        when listing_currency = 'CNY' then 1.0
        when trade_date - as_of_rate_date <= {FX_MAX_STALENESS_DAYS}
            or trade_date < as_of_next_fixing_due
            then as_of_rate::double
    end as expected_fx_cny_per_unit,
    case when currency = 'CNY' then fx_cny_per_unit::double = 1.0 end as cny_rate_is_one,
    abs(market_cap_cny::double - market_cap_native::double * fx_cny_per_unit::double)
    / nullif(abs(market_cap_native::double * fx_cny_per_unit::double), 0)
        as cny_relative_error,
    trade_date - fx_rate_date as fx_rate_age_days,
    used_next_fixing_due,
    trade_date - fx_rate_date > {FX_MAX_STALENESS_DAYS}
    and trade_date >= used_next_fixing_due as fx_rate_is_stale,
    case
        when fx_rate_date is null then null
        when trade_date - fx_rate_date <= {FX_MAX_STALENESS_DAYS}
            or trade_date < used_next_fixing_due
            then 'fresh'
        when used_calendar_status = 'unknown calendar' then 'unknown calendar'
        else 'stale'
    end as fx_staleness,
    case
        when trade_date - lag(trade_date) over by_listing <= {DAY_OVER_DAY_MAX_GAP_DAYS}
            then vendor_market_cap_native::double
            / lag(vendor_market_cap_native::double) over by_listing - 1
    end as day_over_day_change,
    vendor_market_cap_native::double as vendor_market_cap_native,
    is_derived,
    derivation
from with_used_fixing
window by_listing as (partition by listing_id order by trade_date)
)

-- after the day-over-day change: the days looked back on are compared with, not checked
select * from checked where {window.where("trade_date")}
"""


SUITE = Suite(
    name="conversion",
    description="Each listing's value converted to CNY at the right, fresh central parity.",
    sql=frame_sql,
    row_key=("listing_id", "trade_date"),
    gates=(
        Gate(
            "cny_value_is_native_times_rate",
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="cny_relative_error", min_value=0, max_value=1e-9
            ),
            ERROR,
            "market_cap_cny must be market_cap_native × fx_cny_per_unit (relative 1e-9).",
            show=("market_cap_native", "fx_cny_per_unit", "market_cap_cny", "cny_relative_error"),
        ),
        Gate(
            "cny_listings_have_rate_one",
            gx.expectations.ExpectColumnValuesToBeInSet(column="cny_rate_is_one", value_set=[True]),
            ERROR,
            "A CNY listing needs no conversion; any other rate scales its value wrongly.",
            show=("currency", "fx_cny_per_unit"),
        ),
        Gate(
            "rate_is_the_as_of_fixing_of_the_listing_currency",
            gx.expectations.ExpectColumnPairValuesToBeEqual(
                column_A="fx_cny_per_unit", column_B="expected_fx_cny_per_unit"
            ),
            ERROR,
            "The rate must be the fresh as-of fixing of the listing's own currency (listings "
            "seed): catches an HKD value treated as CNY, a wrong currency or a wrong date.",
            show=("currency", "listing_currency", "fx_cny_per_unit", "expected_fx_cny_per_unit"),
        ),
        Gate(
            "cny_value_within_1e5_to_1e14",
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="market_cap_cny", min_value=1e5, max_value=1e14
            ),
            ERROR,
            "Every listing is worth 0.1 M to 100 tn CNY; outside that is a unit mix-up (元 read "
            "as 亿元 or back is a factor 1e8). Wide for the whole market: Hong Kong has listings "
            "worth tens of millions, the largest US companies near 50 tn CNY. Read 1e8 too small, "
            "any value under 10 tn falls below; read 1e8 too large, any over 1 M CNY above.",
            show=("currency", "market_cap_native", "market_cap_cny"),
        ),
        Gate(
            "fx_rate_is_fresh",
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="fx_rate_is_stale", value_set=[False]
            ),
            ERROR,
            "A fixing older than 7 days while a later one was due is stale (the warehouse's "
            "fresh_fx rule; older fixings across mainland holidays are current, not stale).",
            show=("currency", "fx_rate_date", "fx_rate_age_days", "used_next_fixing_due"),
        ),
        Gate(
            "fx_staleness_is_known",
            gx.expectations.ExpectColumnValuesToNotBeInSet(
                column="fx_staleness", value_set=["unknown calendar"]
            ),
            WARN,
            "A fixing older than 7 days on a day past the Shanghai calendar's horizon: whether a "
            "later fixing was due is unknown, so the rate is left out (null) and flagged, not "
            "called stale or current. Land raw/exchange_sessions again (live mode: Sina's "
            "calendar) once the exchange publishes its holidays.",
            show=("currency", "fx_rate_date", "fx_rate_age_days", "fx_staleness"),
        ),
        Gate(
            "day_over_day_change_within_50pct",
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="day_over_day_change", min_value=-0.5, max_value=0.5
            ),
            WARN,
            "A jump beyond ±50% in a day of the vendor's figure is rare but real (listings, "
            "crashes) and is also how vendor share-count errors show: flagged for a person, not "
            "blocked; checked before corrections, so a corrected error stays visible. Only "
            f"between observations at most {DAY_OVER_DAY_MAX_GAP_DAYS} days apart: across a gap "
            "in the data the change is not a day's.",
            show=(
                "vendor_market_cap_native",
                "market_cap_native",
                "day_over_day_change",
                "derivation",
            ),
        ),
    ),
    notes={
        "day_over_day_change_within_50pct": (
            "Known vendor error, corrected in staging: SZSE:002594 BYD from 2025-06-10 to "
            "07-28 values the A shares × a total share count in which the H shares were "
            "already tripled by the bonus issue (H ex-date 2025-06-10, A ex-date 2025-07-29), "
            "so the vendor's 总市值 is ≈ 1.8-2.0 tn CNY (data/snapshot/PROVENANCE.md §2). The "
            "marts use the sourced correction (seed market_value_corrections: the 3,039,065,855 "
            "pre-issue shares at the A price, ≈ 1.01-1.10 tn; is_derived with its derivation). "
            "BYD stays a member of the A-share club either way (≥ 1 tn)."
        ),
    },
)
