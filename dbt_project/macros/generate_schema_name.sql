{#- Use the schema a folder names (`marts`, `staging`, ...) as is, not `<target>_marts`:
    BI tools and the data tests address the marts as `marts.<table>`. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name is not none else target.schema }}
{%- endmacro %}
