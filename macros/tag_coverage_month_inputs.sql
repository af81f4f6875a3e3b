{#- What fct_tag_coverage_monthly's months are built from, per billing month:
    the load (x_loaded_at) of the line items with a resource id, and of the
    billing slices a load restated to no rows (int_billing_slices_emptied),
    which no line item shows. A relation for months_to_rebuild(). -#}
{% macro tag_coverage_month_inputs() %}
    {{ return(
        '(select billing_month, x_loaded_at from '
        ~ ref('int_line_items_attributed') ~ ' where resource_id is not null'
        ~ ' union all select billing_month, x_loaded_at from '
        ~ ref('int_billing_slices_emptied') ~ ') as resource_line_items'
    ) }}
{% endmacro %}
