{#- On an incremental run, only the last var('incremental_lookback_days') trade dates already in
    the table and everything after them are rebuilt (delete+insert on the unique key), so a day
    re-landed with corrections is picked up. Anything older needs a full refresh. -#}
{% macro incremental_window(column) -%}
    {%- if is_incremental() %}
        {{ column }} > (
            select max({{ column }}) - {{ var('incremental_lookback_days') }} from {{ this }}
        )
    {%- else %}
        true
    {%- endif %}
{%- endmacro %}
