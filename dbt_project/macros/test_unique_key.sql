{#- Rows whose combination of `columns` is not unique (a small stand-in for dbt_utils, which
    would need a package download at install time).

    In two passes, because the keys of the daily marts are wide (dates and text ids over tens of
    millions of rows): sorting one 64-bit hash per row, where equal hashes become neighbours, is
    much cheaper than grouping the columns themselves (and a third cheaper than grouping the
    hashes: 1.0 s against 1.5 s for the membership's 21 M keys on the benchmark). Equal keys
    have equal hashes, so every duplicate is among the colliding hashes; the second pass groups
    the real columns of those rows only, so a hash collision of two different keys is never
    reported. -#}
{% test unique_key(model, columns) %}
{%- set key = columns | join(', ') %}
with key_hashes as (
    select hash({{ key }}) as key_hash
    from {{ model }}
),

sorted_hashes as (
    select
        key_hash,
        lead(key_hash) over (order by key_hash) as next_hash
    from key_hashes
),

colliding_hashes as (
    select key_hash from sorted_hashes
    where key_hash = next_hash
)

select {{ key }}, count(*) as row_count
from {{ model }}
where hash({{ key }}) in (select key_hash from colliding_hashes)
group by {{ key }}
having count(*) > 1
{% endtest %}
