{#- Rows of a club (club_id, company_id) whose company the club does not admit by domicile: such a
    company must never be a candidate, let alone a member. One row per club and company. -#}
{% test admitted_by_domicile(model) %}
with membership as (
    select
        club_id,
        company_id
    from {{ model }}
)

select
    membership.club_id,
    membership.company_id,
    domiciles.domicile,
    clubs.admitted_domiciles,
    count(*) as trade_dates
from membership
inner join {{ ref('clubs') }} as clubs on membership.club_id = clubs.club_id
left join {{ ref('int_company_domiciles') }} as domiciles
    on membership.company_id = domiciles.company_id
where not {{ admits_domicile('clubs.admitted_domiciles', 'domiciles.domicile') }}
group by all
{% endtest %}
