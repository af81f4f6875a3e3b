{#- The rows of `relation` (an incremental model's input that keeps
    x_inputs_loaded_at per billing month, such as fct_cost_allocated) that
    this model must rebuild: every row in a full build, in an incremental one
    only the rows of the months months_to_rebuild() returns (read before the
    statement, as literals, so that the scan skips the other months). The
    months are read from `inputs`, a small relation with the same
    x_inputs_loaded_at per month (int_allocation_month_inputs for the view
    fct_cost_allocated: grouping the view itself ran Spark's optimizer out of
    memory). -#}
{% macro rows_of_months_to_rebuild(relation, inputs) %}
    select all_rows.*
    from {{ relation }} as all_rows
    {%- if is_incremental() %}
        where {{ months_to_rebuild_filter('all_rows.billing_month', inputs) }}
    {%- endif %}
{% endmacro %}
