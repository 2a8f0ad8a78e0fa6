{#- The rows of `model` for which `condition` holds, whole: each one is a failure the test lists. -#}
{% test no_rows_where(model, condition) %}
select *
from {{ model }}
where {{ condition }}
{% endtest %}
