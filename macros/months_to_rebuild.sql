{#- The billing months an incremental model rebuilds: those of `inputs` (a
    relation or CTE with one or more rows per month, its newest input load in
    `loaded_at`) that this table does not hold yet, or whose inputs were loaded
    after what this table recorded for them (its x_inputs_loaded_at). Use in
    an is_incremental() branch; the model keeps x_inputs_loaded_at per row. -#}
{% macro months_to_rebuild(inputs, loaded_at='x_inputs_loaded_at') %}
    select input_months.billing_month
    from (
        select
            billing_month,
            max({{ loaded_at }}) as x_inputs_loaded_at
        from {{ inputs }}
        group by 1
    ) as input_months
    left join (
        select
            billing_month,
            max(x_inputs_loaded_at) as x_inputs_loaded_at
        from {{ this }}
        group by 1
    ) as built_months
        on input_months.billing_month = built_months.billing_month
    where
        built_months.billing_month is null
        or input_months.x_inputs_loaded_at > built_months.x_inputs_loaded_at
{% endmacro %}
