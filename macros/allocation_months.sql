{%- macro allocation_months(incremental) -%}
{#- The billing months int_allocation_split_rows builds in its one statement:
    every month in a full build; where the allocation runs stepwise (Spark,
    allocation_runs_stepwise), the stale ones (months_to_rebuild) in an
    incremental one.
    Read before the statement and returned as literals (a query with one
    column, billing_month): the statement overwrites the table's partitions,
    and Spark does not let a statement read the table it overwrites. -#}
{%- set query -%}
    {%- if incremental -%}
        {{ months_to_rebuild(ref('int_allocation_month_inputs')) }}
    {%- else -%}
        select distinct billing_month from {{ ref('int_allocation_month_inputs') }}
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
