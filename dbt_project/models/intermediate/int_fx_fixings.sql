-- Each central-parity fixing with the date the next one was due: the first mainland session
-- after it. Until then the fixing is the latest published one, however many calendar days pass
-- (Lunar New Year and Golden Week close the mainland for up to ten days while Hong Kong and
-- New York trade).
-- The calendar is known up to a horizon (raw/exchange_sessions): on a fixing of its last known
-- session or later the next due date is unknown, and calendar_status says so ('unknown
-- calendar') rather than leave next_fixing_due null as if no fixing would ever be due.
-- SAFE's series is the fixing of record; eastmoney's copy (the live daily update, reconciled
-- against SAFE by the forex_hist_em asset check) fills the days SAFE has not been landed for.
with safe as (
    select
        rate_date,
        currency,
        fx_cny_per_unit,
        is_derived,
        derivation,
        'currency_boc_safe' as rate_source
    from {{ ref('stg_fx__central_parity') }}
),

fixings as (
    select * from safe
    union all
    select
        eastmoney.rate_date,
        eastmoney.currency,
        eastmoney.fx_cny_per_unit,
        false as is_derived,
        null as derivation,
        'forex_hist_em' as rate_source
    from {{ ref('stg_fx__eastmoney_parity') }} as eastmoney
    anti join safe
        on eastmoney.currency = safe.currency and eastmoney.rate_date = safe.rate_date
),

mainland_sessions as (
    select session_date from {{ ref('stg_calendar__sessions') }}
    where exchange = 'XSHG'
),

mainland_calendar as (
    select max(session_date) as known_through from mainland_sessions
)

select
    fixings.rate_date,
    fixings.currency,
    fixings.fx_cny_per_unit,
    fixings.is_derived,
    fixings.derivation,
    fixings.rate_source,
    (
        select min(mainland_sessions.session_date)
        from mainland_sessions
        where mainland_sessions.session_date > fixings.rate_date
    ) as next_fixing_due,
    mainland_calendar.known_through as calendar_known_through,
    case
        when fixings.rate_date < mainland_calendar.known_through then 'known'
        else 'unknown calendar'
    end as calendar_status
from fixings
cross join mainland_calendar
