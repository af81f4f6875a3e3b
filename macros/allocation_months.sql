{%- macro allocation_months(incremental) -%}
{#- The billing months int_allocation_split_rows builds in its one statement:
    every month in a full build; where the allocation runs stepwise (Spark,
    allocation_runs_stepwise), the stale ones (months_to_rebuild) in an
    incremental one.
    Read before the statement and returned as literals (a query with one
    column, billing_month): the statement overwrites the table's partitions,
    and Spark does not let a statement read the table it overwrites.
    Where int_allocation_month_inputs is not built yet (`dbt compile` or
    sqlfluff on a new warehouse), the query itself is returned. -#}
{%- set inputs = ref('int_allocation_month_inputs') -%}
{%- if execute and not incremental and not relation_is_built(inputs) -%}
    {{ return('select distinct billing_month from ' ~ inputs) }}
{%- endif -%}
{%- set query -%}
    {%- if incremental -%}
        {{ months_to_rebuild(inputs) }}
    {%- else -%}
        select distinct billing_month from {{ inputs }}
    {%- endif -%}
{%- endset -%}
{%- set months = run_query(query).columns[0].values() if execute else [] -%}
{%- set selects = [] -%}
{%- for month in months | sort -%}
    {%- do selects.append("select cast('" ~ month ~ "' as date) as billing_month") -%}
{%- endfor -%}
{{ return(
    selects | join('\nunion all\n') if selects
    else 'select cast(null as date) as billing_month where 1 = 0'
) }}
{%- endmacro %}
