{#- Monthly showback per cost center and team: what it consumed directly, what
    it received from Kubernetes clusters and shared pools, and its credits.
    Incremental by billing month with fct_cost_allocated: a month the
    allocation rebuilt is rebuilt here (delete + insert). -#}
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

monthly as (

    select
        billing_month,
        x_cost_center,
        x_team,
        billing_currency,
        x_reporting_currency,
        sum(effective_cost) as effective_cost,
        sum(billed_cost) as billed_cost,
        max(x_inputs_loaded_at) as x_inputs_loaded_at,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        sum(
            case when x_allocation_method = 'direct' then effective_cost else 0 end
        ) as direct_effective_cost,
        sum(
            case when x_allocation_method = 'kubernetes' then effective_cost else 0 end
        ) as kubernetes_effective_cost,
        sum(
            case
                when x_allocation_method in ('shared', 'unallocated')
                    then effective_cost
                else 0
            end
        ) as shared_effective_cost,
        sum(
            case when charge_category = 'Credit' then effective_cost else 0 end
        ) as credits_effective_cost
    from allocated
    group by 1, 2, 3, 4, 5

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "cast(monthly.billing_month as string)", "'|'",
            "monthly.x_cost_center", "'|'", "monthly.x_team", "'|'",
            "monthly.billing_currency"
        ])) }} as showback_id,
        monthly.x_cost_center,

        ---------- strings
        monthly.x_team,
        coalesce(cost_centers.cost_center_name, monthly.x_cost_center)
            as cost_center_name,
        coalesce(cost_centers.business_unit, 'none') as business_unit,
        monthly.billing_currency,
        monthly.x_reporting_currency,

        ---------- numerics
        monthly.billed_cost,
        monthly.effective_cost,
        monthly.direct_effective_cost,
        monthly.kubernetes_effective_cost,
        monthly.shared_effective_cost,
        monthly.credits_effective_cost,
        monthly.x_effective_cost_reporting,

        ---------- dates
        monthly.billing_month,

        ---------- timestamps
        monthly.x_inputs_loaded_at

    from monthly
    left join cost_centers
        on monthly.x_cost_center = cost_centers.cost_center

)

select * from final
