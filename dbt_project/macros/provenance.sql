{#- The snapshot's rule (data/snapshot/PROVENANCE.md): a sidecar value that starts with
    `derived` or contains `backfilled` marks a figure that was derived, not observed.
    Live akshare rows have no sidecar (null) and count as observed. -#}
{% macro is_derived_source(column) -%}
    coalesce(({{ column }} like 'derived%' or {{ column }} like '%backfilled%'), false)
{%- endmacro %}

{#- A short text naming every derived part of a row, null when all of it was observed. -#}
{% macro derivation_text(parts) -%}
    nullif(concat_ws('; '
    {%- for label, column in parts %},
        case when {{ is_derived_source(column) }} then '{{ label }}: ' || {{ column }} end
    {%- endfor %}
    ), '')
{%- endmacro %}

{#- 亿 (1e8) to units, once, exactly. -#}
{% macro yi_to_units(column) -%}
    ({{ column }}::decimal(38, 2) * 100000000)
{%- endmacro %}

{#- An as-of fixing may be used on trade_date while it is at most var('fx_max_staleness_days')
    old, or while no later fixing was due (a mainland holiday). -#}
{% macro fresh_fx(fixing, trade_date) -%}
    case
        when {{ trade_date }} - {{ fixing }}.rate_date <= {{ var('fx_max_staleness_days') }}
            or {{ trade_date }} < {{ fixing }}.next_fixing_due
            then {{ fixing }}.fx_cny_per_unit
    end
{%- endmacro %}
