{#- One row per statement line: cost center, billing month, team, service,
    charge category and the rule that put the cost there (an allocation rule,
    a Kubernetes cluster split, or for direct cost the attribution step:
    `direct:tag`, `direct:inventory`, ...). All amounts are in the reporting
    currency: one currency per statement. Incremental by billing month with
    fct_cost_allocated: a month the allocation rebuilt is rebuilt here (delete
    + insert). -#}
-- noqa: disable=LT02
-- (Layout: the incremental branch is Jinja inside the CTEs.)
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_months_to_rebuild(
        'billing_month', ref('int_allocation_month_inputs')
    ) }}",
    **incremental_by_period('billing_month')
) }}

with

allocated as (

    {{ rows_of_months_to_rebuild(
        ref('fct_cost_allocated'), ref('int_allocation_month_inputs')
    ) }}

),

cost_centers as (

    select * from {{ ref('cost_centers') }}

),

known as (

    {#- Cost whose owner has no known cost center (a team missing from seed
        teams) cannot be charged back: it goes on the unmapped statement,
        with its original cost center kept for the fix. -#}
    select
        allocated.*,
        case
            when cost_centers.cost_center is not null
                then allocated.x_cost_center
            else 'unmapped'
        end as x_statement_cost_center
    from allocated
    left join cost_centers
        on allocated.x_cost_center = cost_centers.cost_center

),

lines as (

    select
        billing_month,
        x_statement_cost_center as x_cost_center,
        x_cost_center as x_original_cost_center,
        x_team,
        coalesce(service_name, '(no service)') as service_name,
        charge_category,
        x_allocation_method,
        coalesce(
            x_allocation_rule_id, 'direct:' || x_attribution_method
        ) as statement_rule_id,
        sum(x_billed_cost_reporting) as x_billed_cost_reporting,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        count(*) as allocated_rows,
        max(x_inputs_loaded_at) as x_inputs_loaded_at
    from known
    group by 1, 2, 3, 4, 5, 6, 7, 8

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "lines.x_cost_center", "'|'", "cast(lines.billing_month as string)"
        ])) }} as statement_id,
        {{ dbt.hash(dbt.concat([
            "lines.x_cost_center", "'|'", "cast(lines.billing_month as string)",
            "'|'", "lines.x_original_cost_center", "'|'", "lines.x_team", "'|'",
            "lines.service_name", "'|'",
            "lines.charge_category", "'|'", "lines.x_allocation_method", "'|'",
            "lines.statement_rule_id"
        ])) }} as statement_line_id,
        lines.x_cost_center,
        lines.x_original_cost_center,

        ---------- strings
        coalesce(cost_centers.cost_center_name, lines.x_cost_center)
            as cost_center_name,
        cost_centers.business_unit,
        coalesce(cost_centers.is_charged_back, false) as is_charged_back,
        lines.x_team,
        lines.service_name,
        lines.charge_category,
        lines.x_allocation_method,
        lines.statement_rule_id,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        lines.x_billed_cost_reporting,
        lines.x_effective_cost_reporting,
        lines.allocated_rows,

        ---------- booleans
        cost_centers.cost_center is not null as is_known_cost_center,

        ---------- dates
        lines.billing_month,

        ---------- timestamps
        lines.x_inputs_loaded_at

    from lines
    left join cost_centers
        on lines.x_cost_center = cost_centers.cost_center

)

select * from final
