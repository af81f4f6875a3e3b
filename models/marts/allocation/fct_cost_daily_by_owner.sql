{#- One row per charge day, billing month (a correction is charged in an
    earlier month than it is billed), owner, environment, provider, service and
    billing currency. Incremental by billing month with fct_cost_allocated: a
    month the allocation rebuilt is rebuilt here (delete + insert). -#}
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

grouped as (

    select
        charge_date,
        billing_month,
        x_team,
        x_cost_center,
        x_product,
        x_environment,
        provider_name,
        service_name,
        service_category,
        billing_currency,
        x_reporting_currency,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        max(x_inputs_loaded_at) as x_inputs_loaded_at,
        sum(x_billed_cost_reporting) as x_billed_cost_reporting,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        sum(
            case when x_allocation_method = 'direct' then effective_cost else 0 end
        ) as direct_effective_cost,
        sum(
            case when x_allocation_method != 'direct' then effective_cost else 0 end
        ) as allocated_effective_cost
    from allocated
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "cast(charge_date as string)", "'|'",
            "cast(billing_month as string)", "'|'", "x_team", "'|'",
            "coalesce(x_cost_center, '')", "'|'", "coalesce(x_product, '')", "'|'",
            "x_environment", "'|'", "provider_name", "'|'",
            "coalesce(service_name, '')", "'|'",
            "coalesce(service_category, '')", "'|'", "billing_currency"
        ])) }} as cost_daily_id,

        ---------- strings
        x_team,
        x_cost_center,
        x_product,
        x_environment,
        provider_name,
        service_name,
        service_category,
        billing_currency,
        x_reporting_currency,

        ---------- numerics
        billed_cost,
        effective_cost,
        x_billed_cost_reporting,
        x_effective_cost_reporting,
        direct_effective_cost,
        allocated_effective_cost,

        ---------- dates
        charge_date,
        billing_month,

        ---------- timestamps
        x_inputs_loaded_at

    from grouped

)

select * from final
