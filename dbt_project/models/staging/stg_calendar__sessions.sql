-- Trading sessions per exchange (XSHG is also the calendar of the CNY central parity).
select
    exchange,
    session_date::date as session_date
from {{ source('raw', 'exchange_sessions') }}
