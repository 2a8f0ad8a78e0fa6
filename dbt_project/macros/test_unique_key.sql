{#- Rows whose combination of `columns` is not unique (a small stand-in for dbt_utils, which
    would need a package download at install time). -#}
{% test unique_key(model, columns) %}
select {{ columns | join(', ') }}, count(*) as row_count
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
