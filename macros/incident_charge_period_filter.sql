{#- fct_incident_costs' filter on the line items, read before its statement:
    charge_period_start within the charge days some incident's window or
    baseline covers (from the first baseline day to the day after the last
    window ends), as literal timestamps, or false when there is no incident.
    A filter on literals lets the scan of the line items skip the row groups
    (billing periods) no incident reaches; the join's own date conditions
    still decide which days count, so the rows are the same. Without it, the
    mart read every usage line item at each build (7 s at 50 million). -#}
{% macro incident_charge_period_filter() %}
    {%- if not execute -%}
        {{ return('1 = 0') }}
    {%- endif -%}
    {%- if model.resource_type == 'unit_test' -%}
        {#- A unit test's inputs are fixtures, not tables to query. -#}
        {{ return('1 = 1') }}
    {%- endif -%}
    {#- Compiled before the seeds are loaded (`dbt compile` or `docs generate`
        on an empty warehouse, a linter on a fresh clone): no filter, the
        join's date conditions decide. `dbt build` loads them first. -#}
    {%- for seed in ['incidents', 'operations_settings'] -%}
        {%- if not relation_is_built(ref(seed)) -%}
            {{ return('1 = 1') }}
        {%- endif -%}
    {%- endfor -%}
    {%- set query -%}
        select
            cast(min({{ dbt.dateadd(
                'day',
                '-settings.incident_baseline_days',
                'cast(incidents.started_at as date)'
            ) }}) as date),
            cast(max({{ dbt.dateadd(
                'day', 1, 'cast(incidents.ended_at as date)'
            ) }}) as date)
        from {{ ref('incidents') }} as incidents
        cross join {{ ref('operations_settings') }} as settings
    {%- endset -%}
    {%- set bounds = run_query(query).rows[0] -%}
    {%- if bounds[0] is none -%}
        {{ return('1 = 0') }}
    {%- endif -%}
    {{ return(
        "charge_period_start >= cast('" ~ bounds[0] ~ "' as timestamp)"
        ~ " and charge_period_start < cast('" ~ bounds[1] ~ "' as timestamp)"
    ) }}
{% endmacro %}
