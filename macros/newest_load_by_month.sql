{#- One row per month and input: the newest load (x_loaded_at) of the rows of
    each (relation, date column) of `inputs` dated in that month, as
    (`month_column`, x_loaded_at), the inputs' rows unioned. What the
    month-input models (int_allocation_month_inputs, int_policy_month_inputs)
    record per month, for months_to_rebuild(). -#}
{% macro newest_load_by_month(inputs, month_column) %}
    {%- for relation, date_column in inputs %}
    select
        cast({{ dbt.date_trunc('month', date_column) }} as date)
            as {{ month_column }},
        max(x_loaded_at) as x_loaded_at
    from {{ relation }}
    group by 1
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{% endmacro %}
