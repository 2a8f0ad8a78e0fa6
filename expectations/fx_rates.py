"""Risk: the CNY central-parity fixings every conversion uses (intermediate.int_fx_fixings).

One row per date: every Shanghai (XSHG) session between the first and last fixing, plus every
date that has a fixing. A missing fixing shows as a row with an empty rate, never as a gap. A
fixing past the calendar's last known session is neither on nor off a session: unknown.
"""

import great_expectations as gx

from expectations.gates import ERROR, WARN, Gate, Suite, Window

# SAFE publishes USD to 4 decimals and HKD to 5, so the cross of two rounded fixings can sit up
# to about 1e-4 outside the peg band on a day HKD trades at its edge (2022-09-26: 7.850052).
PEG_ROUNDING_TOLERANCE = 1e-4

SQL = """
with fixings as (
    select rate_date, currency, fx_cny_per_unit, derivation
    from intermediate.int_fx_fixings
),

mainland_calendar as (
    select max(session_date) as known_through
    from staging.stg_calendar__sessions
    where exchange = 'XSHG'
),

mainland_sessions as (
    select session_date as rate_date
    from staging.stg_calendar__sessions
    where exchange = 'XSHG'
        and session_date between (select min(rate_date) from fixings)
        and (select max(rate_date) from fixings)
),

dates as (
    select rate_date from mainland_sessions
    union
    select rate_date from fixings
),

by_date as (
    select
        dates.rate_date,
        case
            when dates.rate_date <= (select known_through from mainland_calendar)
                then dates.rate_date in (select rate_date from mainland_sessions)
        end as is_mainland_session,
        usd.fx_cny_per_unit::double as cny_per_usd,
        hkd.fx_cny_per_unit::double as cny_per_hkd,
        usd.fx_cny_per_unit::double / hkd.fx_cny_per_unit::double as hkd_per_usd,
        concat_ws('; ', usd.derivation, hkd.derivation) as derivation
    from dates
    left join fixings as usd on dates.rate_date = usd.rate_date and usd.currency = 'USD'
    left join fixings as hkd on dates.rate_date = hkd.rate_date and hkd.currency = 'HKD'
),

runs as (
    select
        *,
        cny_per_usd is null or cny_per_hkd is null as is_missing,
        -- dates with both fixings so far: a run of missing sessions shares this number
        count(cny_per_usd + cny_per_hkd) over (order by rate_date) as fixings_so_far
    from by_date
)

select
    rate_date,
    is_mainland_session,
    is_mainland_session is not null as is_within_calendar,
    cny_per_usd,
    cny_per_hkd,
    hkd_per_usd,
    case
        when is_missing
            then count(*) filter (where is_missing and is_mainland_session) over (
                partition by fixings_so_far order by rate_date
            )
        else 0
    end as missed_sessions_in_a_row,
    derivation
from runs
"""


def frame_sql(window: Window) -> str:
    """Every fixing, whatever the run's window: int_fx_fixings is small and rebuilt whole."""
    return SQL


SUITE = Suite(
    name="fx_rates",
    description="CNY central parity fixings: complete, unique, plausible and peg-consistent.",
    sql=frame_sql,
    row_key=("rate_date",),
    windowed=False,
    gates=(
        Gate(
            "one_fixing_per_currency_and_date",
            gx.expectations.ExpectColumnValuesToBeUnique(column="rate_date"),
            ERROR,
            "Two fixings for one currency and date make the as-of join pick one at random.",
            show=("cny_per_usd", "cny_per_hkd", "derivation"),
        ),
        Gate(
            "cny_per_usd_within_6_to_8",
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="cny_per_usd", min_value=6.0, max_value=8.0
            ),
            ERROR,
            "Outside 6-8 CNY per USD is a unit error (per 100 units) or a typo, not a market.",
            show=("cny_per_usd", "derivation"),
        ),
        Gate(
            "cny_per_hkd_within_0_78_to_1",
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="cny_per_hkd", min_value=0.78, max_value=1.0
            ),
            ERROR,
            "Outside 0.78-1.0 CNY per HKD is a unit error or a typo, not a market.",
            show=("cny_per_hkd", "derivation"),
        ),
        Gate(
            "hkd_peg_holds",
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="hkd_per_usd",
                min_value=7.75 - PEG_ROUNDING_TOLERANCE,
                max_value=7.85 + PEG_ROUNDING_TOLERANCE,
            ),
            ERROR,
            "HKD is pegged to USD within 7.75-7.85 (widened by 1e-4 for the rounding of the two "
            "published fixings); a cross outside it means one of the two fixings is wrong.",
            show=("cny_per_usd", "cny_per_hkd", "hkd_per_usd", "derivation"),
        ),
        Gate(
            "no_two_sessions_in_a_row_without_fixing",
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="missed_sessions_in_a_row", max_value=1
            ),
            ERROR,
            "A run of missing fixings means the feed stopped: conversions then silently use an "
            "ever older rate that the 7-day staleness rule only catches after a week.",
            show=("is_mainland_session", "cny_per_usd", "cny_per_hkd", "missed_sessions_in_a_row"),
        ),
        Gate(
            "fixing_on_every_mainland_session",
            gx.expectations.ExpectColumnValuesToBeBetween(
                column="missed_sessions_in_a_row", max_value=0
            ),
            WARN,
            "One missing fixing is bridged by the previous session's (one day older, like any "
            "Monday's), so it warns, showing the session.",
            show=("is_mainland_session", "cny_per_usd", "cny_per_hkd", "missed_sessions_in_a_row"),
        ),
        Gate(
            "fixings_fall_on_mainland_sessions",
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="is_mainland_session", value_set=[True]
            ),
            WARN,
            "A fixing dated on a day Shanghai was closed is either a carried holiday value or a "
            "real fixing on an interbank working day; it repeats or precedes the next fixing, so "
            "it warns and stays, for a person to judge.",
            show=("cny_per_usd", "cny_per_hkd", "derivation"),
        ),
        Gate(
            "fixings_within_the_known_calendar",
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="is_within_calendar", value_set=[True]
            ),
            WARN,
            "A fixing past the Shanghai calendar's last known session (raw/exchange_sessions): "
            "whether it fell on a session, and whether the next one is missing, is unknown "
            "until the calendar is landed again with the exchange's published holidays.",
            show=("cny_per_usd", "cny_per_hkd", "derivation"),
        ),
    ),
    notes={
        "fixing_on_every_mainland_session": (
            "Known: 2022-05-16 has no row in the snapshot; the USD source lacks that date "
            "(data/snapshot/PROVENANCE.md §8). Trade dates that day use the 2022-05-13 fixing."
        ),
        "fixings_fall_on_mainland_sessions": (
            "Known: 2022-01-31..02-04, 05-03, 05-04 and 06-03 are carried holiday rows (HKD marked "
            "derived; PROVENANCE.md §8 says the USD value there is a carried Sina value too, "
            "though its sidecar does not mark it). 2024-02-09 (除夕) is a source row not marked "
            "derived: a State Council working day on which the exchange was closed."
        ),
    },
)
