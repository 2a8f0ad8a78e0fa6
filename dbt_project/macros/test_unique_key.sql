{#- Rows whose combination of `columns` is not unique (a small stand-in for dbt_utils, which
    would need a package download at install time).

    In two passes, because the keys of the daily marts are wide (dates and text ids over tens of
    millions of rows): grouping one 64-bit hash per row is much cheaper than grouping the
    columns themselves. Equal keys have equal hashes, so every duplicate is among the colliding
    hashes; the second pass groups the real columns of those rows only, so a hash collision of
    two different keys is never reported. -#}
{% test unique_key(model, columns) %}
{%- set key = columns | join(', ') %}
with colliding_hashes as (
    select hash({{ key }}) as key_hash
    from {{ model }}
    group by key_hash
    having count(*) > 1
)

select {{ key }}, count(*) as row_count
from {{ model }}
where hash({{ key }}) in (select key_hash from colliding_hashes)
group by {{ key }}
having count(*) > 1
{% endtest %}
