"""Risk: who is in a club (marts.club_membership_daily) and when they joined or left
(marts.club_events), against the clubs seed (reference.clubs)."""

import great_expectations as gx

from expectations.gates import ERROR, Gate, Suite, Window


def membership_sql(window: Window) -> str:
    return f"""
select
    membership.club_id,
    membership.trade_date,
    membership.company_id,
    membership.market_cap_club_ccy,
    membership.club_currency,
    clubs.currency as seed_currency,
    membership.threshold::double as threshold,
    clubs.threshold::double as seed_threshold,
    membership.is_member,
    -- inclusive, on exact decimals, against the seed's threshold
    membership.market_cap_club_ccy >= clubs.threshold as expected_is_member
from marts.club_membership_daily as membership
left join reference.clubs as clubs on membership.club_id = clubs.club_id
where {window.where("membership.trade_date")}
"""


MEMBERSHIP = Suite(
    name="club_membership",
    description="Each membership flag is value ≥ the club's threshold, in the club's currency.",
    sql=membership_sql,
    row_key=("club_id", "trade_date", "company_id"),
    gates=(
        Gate(
            "is_member_is_value_at_least_threshold",
            gx.expectations.ExpectColumnPairValuesToBeEqual(
                column_A="is_member", column_B="expected_is_member"
            ),
            ERROR,
            "Membership is value ≥ threshold, inclusive: a flipped flag or > instead of ≥ puts "
            "a company in or out of a club wrongly.",
            show=("market_cap_club_ccy", "threshold", "is_member", "expected_is_member"),
        ),
        Gate(
            "threshold_matches_clubs_seed",
            gx.expectations.ExpectColumnPairValuesToBeEqual(
                column_A="threshold", column_B="seed_threshold"
            ),
            ERROR,
            "The threshold must be the one the clubs seed defines.",
            show=("threshold", "seed_threshold"),
        ),
        Gate(
            "currency_matches_clubs_seed",
            gx.expectations.ExpectColumnPairValuesToBeEqual(
                column_A="club_currency", column_B="seed_currency"
            ),
            ERROR,
            "The value must be compared in the currency the clubs seed defines.",
            show=("club_currency", "seed_currency"),
        ),
    ),
)


def events_sql(window: Window) -> str:
    """The window's events and membership changes, from its start on (club_events rebuilds
    from there). A change on the window's first day is against each company's last flag
    before it, and an event's predecessor may be older than the window."""
    return f"""
with membership_rows as (
    select club_id, company_id, trade_date, is_member
    from marts.club_membership_daily
    where {window.where("trade_date")}
    union all
    select club_id, company_id, max(trade_date), arg_max(is_member, trade_date)
    from marts.club_membership_daily
    where {window.before("trade_date")}
    group by club_id, company_id
),

membership as (
    select
        club_id,
        company_id,
        trade_date,
        is_member,
        lag(is_member) over (
            partition by club_id, company_id order by trade_date
        ) as was_member
    from membership_rows
),

membership_changes as (
    select
        club_id,
        company_id,
        trade_date as event_date,
        case when is_member then 'entry' else 'exit' end as membership_change
    from membership
    where is_member <> was_member and {window.where("trade_date")}
),

events as (
    select
        club_id,
        company_id,
        event_date,
        event_type,
        lag(event_type) over (
            partition by club_id, company_id order by event_date
        ) as previous_event_type
    from marts.club_events
),

window_events as (
    select * from events where {window.where("event_date")}
)

select
    coalesce(events.club_id, membership_changes.club_id) as club_id,
    coalesce(events.company_id, membership_changes.company_id) as company_id,
    coalesce(events.event_date, membership_changes.event_date) as event_date,
    coalesce(events.event_type, 'none') as event_type,
    coalesce(membership_changes.membership_change, 'none') as membership_change,
    events.previous_event_type,
    case events.previous_event_type
        when 'entry' then 'exit'
        when 'exit' then 'entry'
    end as alternating_event_type
from window_events as events
full outer join membership_changes
    on
        events.club_id = membership_changes.club_id
        and events.company_id = membership_changes.company_id
        and events.event_date = membership_changes.event_date
"""


EVENTS = Suite(
    name="club_events",
    description="Entries and exits alternate and are exactly the changes of the membership flag.",
    sql=events_sql,
    row_key=("club_id", "company_id", "event_date"),
    open_ended=True,
    gates=(
        Gate(
            "events_alternate_entry_exit",
            gx.expectations.ExpectColumnPairValuesToBeEqual(
                column_A="event_type",
                column_B="alternating_event_type",
                ignore_row_if="either_value_is_missing",
            ),
            ERROR,
            "A company cannot enter a club it is in, or leave one it is not in.",
            show=("previous_event_type", "event_type"),
        ),
        Gate(
            "events_match_membership_flags",
            gx.expectations.ExpectColumnPairValuesToBeEqual(
                column_A="event_type", column_B="membership_change", ignore_row_if="neither"
            ),
            ERROR,
            "Every entry or exit is a change of is_member on that day, and every change is an "
            "event ('none' marks the missing side).",
            show=("event_type", "membership_change"),
        ),
    ),
)
