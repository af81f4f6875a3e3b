{%- macro drop_allocation_step_tables() -%}
{#- The last post-hook of int_allocation_split_rows: where the allocation ran
    stepwise (Spark, allocation_runs_stepwise), drops the step tables
    (`<model>__step_<n>`) that cost_allocated_rows wrote and the model's
    statement read. Runs its statements itself and returns no SQL. -#}
    {%- if execute and allocation_runs_stepwise() -%}
        {%- for step in range(allocation_rules() | length + 1) -%}
            {%- do run_query(
                'drop table if exists ' ~ this.schema ~ '.' ~ this.identifier
                ~ '__step_' ~ (step + 1)
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
