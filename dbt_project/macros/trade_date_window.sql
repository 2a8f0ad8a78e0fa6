{#- The trade dates a run rebuilds, shared by the incremental models and their tests.

    Dagster sets TRADE_DATE_FROM and TRADE_DATE_TO (inclusive, YYYY-MM-DD) to the days of the
    month partitions it runs, first to last day. Without them, an incremental run rebuilds the last
    var('incremental_lookback_days') dates already in the table and everything after them (so a
    day re-landed with corrections is picked up), and a full build rebuilds every date.

    Environment variables rather than --vars, read only when dbt executes: dbt re-parses the
    whole project whenever --vars change, and re-parses the files that read an environment
    variable while parsing when its value changes (5.0 s and 3.3 s against 2.7 s per dbt call
    on the benchmark project). The window shapes SQL only, never a config, so parsing need not
    see it. -#}

{% macro window_start(column) -%}
    {%- set date_from, date_to = window_env() -%}
    {%- if date_from -%}
        '{{ date_from }}'::date
    {%- elif is_incremental() and execute -%}
        {#- A literal, read once before the pre-hook deletes: a subquery on {{ this }} would
            move its start back after the delete and re-insert days that were never deleted. -#}
        {%- set query -%}
            select max({{ column }}) - {{ var('incremental_lookback_days') }} + 1 from {{ this }}
        {%- endset -%}
        {%- set start = run_query(query).columns[0][0] -%}
        {%- if start is not none -%} '{{ start }}'::date {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{% macro window_end() -%}
    {%- set date_from, date_to = window_env() -%}
    {%- if date_to -%} '{{ date_to }}'::date {%- endif -%}
{%- endmacro %}

{#- The calendar year of the window's first date, for the models rebuilt by calendar year
    (int_listing_period_values): only on an incremental run with TRADE_DATE_FROM/TO set. Nothing
    otherwise: a run that is not told which days changed rebuilds every year, since no lookback
    can know which years a past window (a backfill) touched. -#}
{% macro window_start_year() -%}
    {%- set date_from, date_to = window_env() -%}
    {%- if date_from and is_incremental() -%}
        {{ modules.datetime.date.fromisoformat(date_from).year }}
    {%- endif -%}
{%- endmacro %}

{#- A predicate on `column`: within the window, or (open_ended) from its start onwards. Models
    derived from earlier days (events, period composition) rebuild from the window's start on, so
    that a re-run window never leaves later rows computed from the old data. -#}
{% macro in_trade_date_window(column, open_ended=false) -%}
    {%- set start = window_start(column) | trim -%}
    {%- set end = none if open_ended else window_end() | trim -%}
    {%- if start and end -%} {{ column }} between {{ start }} and {{ end }}
    {%- elif start -%} {{ column }} >= {{ start }}
    {%- else -%} true
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of the windowed incremental models (strategy 'append'): delete what the run is about
    to rebuild, in the same transaction as the insert. A day that lost rows upstream loses them
    here too, which a delete+insert on a unique key would not do. -#}
{% macro delete_trade_date_window(column, open_ended=false) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ in_trade_date_window(column, open_ended) }}
    {%- endif -%}
{%- endmacro %}

{% macro window_env() -%}
    {%- if not execute -%} {{ return(('', '')) }} {%- endif -%}
    {%- set date_from = env_var('TRADE_DATE_FROM', '') -%}
    {%- set date_to = env_var('TRADE_DATE_TO', '') -%}
    {%- if (date_from == '') != (date_to == '') -%}
        {{ exceptions.raise_compiler_error(
            "TRADE_DATE_FROM and TRADE_DATE_TO go together: got from='" ~ date_from
            ~ "', to='" ~ date_to ~ "'") }}
    {%- endif -%}
    {{ return((date_from, date_to)) }}
{%- endmacro %}

{#- dbt's get_where_subquery, plus the placeholder __trade_date_window__ in a test's `where`:
    tests on the daily marts (dbt_project.yml) check the dates a run rebuilt, not the whole
    history again. A full build checks every date. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- set where = where | replace('__trade_date_window__', in_trade_date_window('trade_date')) -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {{ return(filtered) }}
    {%- else -%}
        {{ return(relation) }}
    {%- endif -%}
{%- endmacro %}
