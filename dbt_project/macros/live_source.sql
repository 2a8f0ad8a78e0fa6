{#- A live-only raw dataset as a relation that always has its declared columns.

    Before the first live landing (and always in snapshot mode) the source reads no file and
    DuckDB gives it no columns of its own; the empty row set with the columns declared in
    _sources.yml keeps the staging view valid, and the view sees files as soon as they land. -#}
{% macro live_source(table) -%}
    {%- set relation = source('raw', table) -%}
    {%- set source_id = 'source.' ~ project_name ~ '.raw.' ~ table -%}
    {%- set columns = graph.sources[source_id].columns if execute else {} -%}
    (
        select * from (
            select
            {%- for column in columns %}
                null as {{ adapter.quote(column) }}{{ ',' if not loop.last }}
            {%- endfor %}
            where false
        ) as declared_columns
        union all by name
        select * from {{ relation }}
    )
{%- endmacro %}


{#- The rows of the newest landing of a live dataset that is published whole each day (each
    day's file a full copy), with landed_on, the day its file is named by. -#}
{% macro newest_live_landing(table) -%}
    (
        select
            *,
            regexp_extract(filename, '(\d{4}-\d{2}-\d{2})\.parquet$', 1)::date as landed_on
        from {{ live_source(table) }} as landings
        qualify filename = max(filename) over ()
    )
{%- endmacro %}
