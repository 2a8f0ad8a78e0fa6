-- Every listing's change in market value per calendar year (the latest year to date), in its own
-- currency, ranked within the period: the stocks that doubled have return_pct >= 100.
with periods as (
    select * from {{ ref('int_listing_period_values') }}
    where start_native > 0
)

select
    listing_id,
    company_id,
    calendar_year,
    period_type,
    period_start,
    period_end,
    round((end_native / start_native - 1) * 100, 4) as return_pct,
    rank() over (
        partition by calendar_year order by end_native / start_native desc
    ) as rank_in_year,
    is_derived
from periods
