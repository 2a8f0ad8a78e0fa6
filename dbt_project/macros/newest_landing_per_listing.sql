{#- A per-listing history dataset with each listing's rows from one file: the newest landing that
    holds the listing (latest _retrieved_at, then the later file name). backfill_history lands a
    file per batch of listings (batch-NN.parquet) beside the all.parquet of build_warehouse or of
    an earlier snapshot build, and both can hold a listing: its days would otherwise count twice,
    and a listing's history is never a mix of two landings. -#}
{% macro newest_landing_per_listing(table) -%}
    (
        select landings.* exclude (filename)
        from {{ source('raw', table) }} as landings
        semi join (
            select
                _symbol,
                arg_max(filename, {'at': _retrieved_at::timestamptz, 'file': filename})
                    as filename
            from {{ source('raw', table) }}
            group by _symbol
        ) as newest
            on landings._symbol = newest._symbol and landings.filename = newest.filename
    )
{%- endmacro %}
