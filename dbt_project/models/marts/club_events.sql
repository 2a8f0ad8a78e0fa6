-- Entries and exits: a day on which is_member differs from the company's previous day with data
-- in that club. The first day of data is a starting state, not an entry.
with all_companies as (
    select * from {{ ref('club_membership_daily') }}
),

-- Only a company that is a member on some day can enter or leave. The rest (nearly the whole
-- market) is dropped before the window, which would otherwise sort every row of the table.
ever_members as (
    select
        club_id,
        company_id
    from all_companies
    group by club_id, company_id
    having bool_or(is_member)
),

membership as (
    select
        all_companies.*,
        lag(all_companies.is_member) over (
            partition by all_companies.club_id, all_companies.company_id
            order by all_companies.trade_date
        ) as was_member
    from all_companies
    inner join ever_members
        on
            all_companies.club_id = ever_members.club_id
            and all_companies.company_id = ever_members.company_id
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
        derivation
    from membership
    where was_member is not null and is_member <> was_member
),

with_previous_exit as (
    select
        *,
        max(case when event_type = 'exit' then event_date end) over (
            partition by club_id, company_id
            order by event_date
            rows between unbounded preceding and 1 preceding
        ) as last_exit_before
    from changes
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
    is_derived,
    derivation
from with_previous_exit
