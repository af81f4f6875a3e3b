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
