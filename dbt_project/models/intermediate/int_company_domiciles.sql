-- Each company's domicile (the country or territory of its head office) and where it comes from.
-- The sourced seed company_domiciles says it for the companies it names. A company no seed names
-- whose every listing is on a mainland exchange (SSE, SZSE, BSE) is run from mainland China: an
-- A share is issued by a company with its head office there (red chips and CDR issuers included,
-- e.g. Ninebot, incorporated in the Cayman Islands and run from Beijing), so it is CN, marked
-- inferred. Any other company without a seed row (Hong Kong, US) has no domicile: a Hong Kong
-- listing may be run from Hong Kong, London or the mainland, and the clubs that name their
-- domiciles do not admit it until a seed row says which.
with seeded as (
    select
        company_id,
        domicile,
        'company_domiciles' as domicile_source
    from {{ ref('company_domiciles') }}
),

mainland_only as (
    select company_id
    from {{ ref('int_listing_universe') }}
    group by company_id
    having bool_and(market = 'a_share')
)

select * from seeded
union all
select
    mainland_only.company_id,
    'CN' as domicile,
    'inferred_mainland_listing' as domicile_source
from mainland_only
anti join seeded on mainland_only.company_id = seeded.company_id
