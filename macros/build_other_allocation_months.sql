{#- The post-hook of int_allocation_split_rows: in an incremental build, whose
    statement selects no month, rebuilds each stale billing month, oldest
    first, in a statement of its own (delete + insert of that month's rows from
    cost_allocated_rows). The months are those months_to_rebuild() finds
    against the table; after a full build (which builds every month in the
    model's statement) or a stepwise one (Spark), none is left. Runs its
    statements itself and returns no SQL. -#}
{% macro build_other_allocation_months() %}
    {%- if execute -%}
        {%- set months = run_query(
            "select billing_month from ("
            ~ months_to_rebuild(ref('int_allocation_month_inputs'))
            ~ ") as months_left order by 1"
        ).columns[0].values() -%}
        {%- set columns = adapter.get_columns_in_relation(this)
            | map(attribute='name') | join(', ') -%}
        {%- for month in months -%}
            {%- set one_month = "select cast('" ~ month ~ "' as date) as billing_month" -%}
            {%- for statement in replace_month_statements(
                this, columns, month, cost_allocated_rows(one_month)
            ) -%}
                {%- do run_query(statement) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
