{#- Whether a club admits a company by its domicile (the country or territory of its head office,
    seed company_domiciles). clubs.admitted_domiciles is either 'all' (every company, with a
    domicile row or without) or the admitted codes separated by spaces ('CN', 'CN HK'). A company
    without a domicile row is not admitted to a club that names its domiciles: a listing not yet
    researched must not join the club of Chinese companies by default. -#}
{% macro admits_domicile(admitted_domiciles, domicile) -%}
    (
        {{ admitted_domiciles }} = 'all'
        or coalesce(list_contains(string_split({{ admitted_domiciles }}, ' '), {{ domicile }}), false)
    )
{%- endmacro %}
