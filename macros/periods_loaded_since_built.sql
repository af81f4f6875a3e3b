{#- The values of `period_column` (a billing period or month) that have rows in
    `relation` loaded (x_loaded_at) after the newest load this incremental
    table holds: the periods a build must rebuild whole. Use in an
    is_incremental() branch of a model that keeps x_loaded_at per row. -#}
{% macro periods_loaded_since_built(relation, period_column) %}
    select distinct new_rows.{{ period_column }}
    from {{ relation }} as new_rows
    where new_rows.x_loaded_at > (
        select max(current_rows.x_loaded_at) from {{ this }} as current_rows
    )
{% endmacro %}

{#- periods_loaded_since_built() run before the model's statement and returned
    as a filter on literal timestamps: `period_column` of the rows read in the
    periods to rebuild, or false when there is none. A filter on literals
    reaches through the views the model reads (the union of every provider's
    line items) down to their scans, where a join to a subquery does not, and
    Spark's statement then does not read the table it overwrites. -#}
{% macro periods_loaded_since_built_filter(relation, period_column) %}
    {%- if not execute -%}
        {{ return('1 = 0') }}
    {%- endif -%}
    {%- set periods = run_query(
        periods_loaded_since_built(relation, period_column)
    ).columns[0].values() | map('string') | sort -%}
    {{ return(literal_filter(period_column, periods, 'timestamp')) }}
{% endmacro %}
