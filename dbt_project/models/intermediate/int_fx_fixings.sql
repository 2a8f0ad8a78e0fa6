-- Each central-parity fixing with the date the next one was due: the first mainland session
-- after it. Until then the fixing is the latest published one, however many calendar days pass
-- (Lunar New Year and Golden Week close the mainland for up to ten days while Hong Kong and
-- New York trade).
with fixings as (
    select * from {{ ref('stg_fx__central_parity') }}
),

mainland_sessions as (
    select session_date from {{ ref('stg_calendar__sessions') }}
    where exchange = 'XSHG'
)

select
    fixings.rate_date,
    fixings.currency,
    fixings.fx_cny_per_unit,
    fixings.is_derived,
    fixings.derivation,
    (
        select min(mainland_sessions.session_date)
        from mainland_sessions
        where mainland_sessions.session_date > fixings.rate_date
    ) as next_fixing_due
from fixings
