-- Entries and exits: a day on which is_member differs from the company's previous day with data
-- in that club. The first day of data is a starting state, not an entry.
-- Incremental from the window's start on (macros/trade_date_window.sql): each company's state on
-- its last day before the window is where the window's first change is measured from, and the
-- events already in the table say what that state is and whether an entry in the window is a
-- re-entry. Membership exists only on observed days: an event after a gap in the observations
-- (is_after_gap) happened on some day after previous_observation_date, not necessarily on
-- event_date.
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ delete_trade_date_window('event_date', open_ended=true) }}",
        on_schema_change='fail',
    )
}}

{%- set start = window_start('event_date') | trim %}
{#- A windowed build from scratch has no events of its own before the window to start from. -#}
{%- set from_events = is_incremental() and start %}

-- The CTEs that read the membership table read it on their own: one shared CTE would be
-- materialised whole, every column of every row, where each of these needs a few columns or rows.
with in_window as (
    select
        club_id,
        company_id,
        listing_id,
        trade_date,
        is_member,
        market_cap_club_ccy,
        is_derived,
        derivation
    from {{ ref('club_membership_daily') }}
    {%- if start %}
        where trade_date >= {{ start }}
    {%- endif %}
),

-- Each company's state on its last day before the window, without grouping every membership row
-- before it: a company's last event before the window says whether it is a member then, and one
-- without events kept its first state, which is member only if it was a member on some day
-- before the window (member rows are few). The others are not members then; of those, the window
-- needs only the ones that are members in it, to know whether they had data before it (then
-- their first member day is an entry), and reads the membership for them alone (on most days,
-- none).
members_before as (
    select
        club_id,
        company_id,
        max(trade_date) as trade_date
    from {{ ref('club_membership_daily') }}
    where is_member and {{ 'trade_date < ' ~ start if from_events else 'false' }}
    group by club_id, company_id
),

events_before_window as (
    {%- if from_events %}
        select
            club_id,
            company_id,
            arg_max(event_type, event_date) = 'entry' as is_member,
            max(event_date) filter (where event_type = 'exit') as last_exit_before
        from {{ this }}
        where event_date < {{ start }}
        group by club_id, company_id
    {%- else %}
        select
            null::varchar as club_id,
            null::varchar as company_id,
            null::boolean as is_member,
            null::date as last_exit_before
        where false
    {%- endif %}
),

first_time_members as (
    select
        club_id,
        company_id
    from in_window
    where is_member
    except
    select
        club_id,
        company_id
    from members_before
),

-- The last day before the window on which each of those companies was observed, members before
-- it and first-time members alike: the window's first change is dated from it
-- (previous_observation_date). A member's last member day is not it: a company that left the club
-- before the window is still observed after its exit.
companies_before_window as (
    select
        club_id,
        company_id
    from members_before
    union
    select
        club_id,
        company_id
    from first_time_members
),

seen_before as (
    select
        membership.club_id,
        membership.company_id,
        max(membership.trade_date) as trade_date
    from {{ ref('club_membership_daily') }} as membership
    semi join companies_before_window
        on
            membership.club_id = companies_before_window.club_id
            and membership.company_id = companies_before_window.company_id
    where {{ 'membership.trade_date < ' ~ start if from_events else 'false' }}
    group by membership.club_id, membership.company_id
),

before_window as (
    -- A company that was a member before the window is one still unless its last event before
    -- the window is an exit; a first-time member was not one.
    select
        seen_before.club_id,
        seen_before.company_id,
        coalesce(
            events_before_window.is_member, members_before.company_id is not null
        ) as is_member,
        seen_before.trade_date
    from seen_before
    left join members_before
        on
            seen_before.club_id = members_before.club_id
            and seen_before.company_id = members_before.company_id
    left join events_before_window
        on
            seen_before.club_id = events_before_window.club_id
            and seen_before.company_id = events_before_window.company_id
    union all
    -- A windowed build from scratch: the last state before the window, from every row before it.
    select
        club_id,
        company_id,
        arg_max(is_member, trade_date) as is_member,
        max(trade_date) as trade_date
    from {{ ref('club_membership_daily') }}
    where {{ 'trade_date < ' ~ start if start and not from_events else 'false' }}
    group by club_id, company_id
),

-- Only a company that is a member on some day can enter or leave. The rest (nearly the whole
-- market) is dropped before the window function, which would otherwise sort every row.
ever_members as (
    select
        club_id,
        company_id
    from (
        select
            club_id,
            company_id,
            is_member
        from in_window
        union all
        select
            club_id,
            company_id,
            is_member
        from before_window
    ) as states_seen
    group by club_id, company_id
    having bool_or(is_member)
),

states as (
    select
        in_window.*,
        false as is_before_window
    from in_window
    semi join ever_members
        on
            in_window.club_id = ever_members.club_id
            and in_window.company_id = ever_members.company_id
    union all by name
    select
        before_window.*,
        true as is_before_window
    from before_window
    semi join ever_members
        on
            before_window.club_id = ever_members.club_id
            and before_window.company_id = ever_members.company_id
),

changes as (
    select
        club_id,
        company_id,
        listing_id,
        trade_date as event_date,
        case when is_member then 'entry' else 'exit' end as event_type,
        market_cap_club_ccy,
        is_derived,
        derivation,
        previous_observation_date
    from (
        select
            *,
            lag(is_member) over (
                partition by club_id, company_id order by trade_date
            ) as was_member,
            lag(trade_date) over (
                partition by club_id, company_id order by trade_date
            ) as previous_observation_date
        from states
    ) as lagged
    where not is_before_window and was_member is not null and is_member <> was_member
),

with_previous_exit as (
    select
        changes.*,
        coalesce(
            max(case when changes.event_type = 'exit' then changes.event_date end) over (
                partition by changes.club_id, changes.company_id
                order by changes.event_date
                rows between unbounded preceding and 1 preceding
            ),
            events_before_window.last_exit_before
        ) as last_exit_before
    from changes
    left join events_before_window
        on
            changes.club_id = events_before_window.club_id
            and changes.company_id = events_before_window.company_id
),

-- A gap: more than var('observation_gap_sessions') Shanghai sessions (the landed calendar)
-- strictly between the previous observation and the event, so the change happened on an unknown
-- day in (previous_observation_date, event_date]. Counted in sessions, not calendar days: a
-- holiday is no gap (Spring Festival closes Shanghai for up to 11 calendar days), a missing week
-- is. Shanghai's calendar for every club, one yardstick that reaches as far as the data (the
-- A-share quotes run furthest): Hong Kong's and New York's own holidays (Easter, Christmas and
-- Boxing Day) skip at most three Shanghai sessions, and a suspended listing is unobserved too.
-- An event past the calendar's last session cannot be measured unless the known sessions already
-- make it a gap: is_after_gap is then null, never a guess.
sessions as (
    select session_date
    from {{ ref('stg_calendar__sessions') }}
    where exchange = 'XSHG'
),

with_sessions_missed as (
    select
        with_previous_exit.*,
        (
            select count(*)
            from sessions
            where
                sessions.session_date > with_previous_exit.previous_observation_date
                and sessions.session_date < with_previous_exit.event_date
        ) as sessions_missed,
        (select max(sessions.session_date) from sessions) as last_known_session
    from with_previous_exit
)

select
    club_id,
    company_id,
    listing_id,
    event_date,
    event_type,
    event_type = 'entry' and last_exit_before is not null as is_reentry,
    market_cap_club_ccy,
    case when event_type = 'entry' then last_exit_before end as previous_exit_date,
    previous_observation_date,
    case
        when sessions_missed > {{ var('observation_gap_sessions') }} then true
        when last_known_session is null or event_date > last_known_session then null
        else false
    end as is_after_gap,
    is_derived,
    derivation
from with_sessions_missed
