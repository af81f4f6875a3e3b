{#- The newest load (x_loaded_at) of anything a charge month's policy checks
    read: the month's usage line items, observability ingest and Kubernetes
    usage, and the cloud inventory through the month's end (an orphaned
    volume's age counts from its first unattached snapshot, which may be in an
    earlier month), and any billing slice restated to no rows.
    int_policy_resource_days and fct_policy_violations rebuild a month when
    this moves past what they recorded. A table (a few rows). -#}
-- noqa: disable=LT02
-- (Layout: the inputs CTE is a Jinja loop.)
{{ config(materialized='table') }}
{%- set inputs = [
    (ref('int_policy_usage_line_items'), 'charge_date'),
    (ref('stg_telemetry__observability_usages'), 'usage_date'),
    (ref('stg_telemetry__k8s_pod_usages'), 'usage_date'),
] -%}
with

inventory_months as (

    select
        cast({{ dbt.date_trunc('month', 'snapshot_date') }} as date)
            as charge_month,
        max(x_loaded_at) as x_loaded_at
    from {{ ref('stg_telemetry__cloud_assets') }}
    where is_unattached
    group by 1

),

emptied_slices as (

    {#- A billing slice restated to no rows took usage line items of charge
        months that no row names any more: every month is rebuilt, and the
        slice's own month is one (to no rows, if nothing else is left). -#}
    select
        cast({{ dbt.date_trunc('month', 'billing_period_start') }} as date)
            as charge_month,
        x_loaded_at
    from {{ ref('int_billing_slices_emptied') }}

),

inputs as (

    {{ newest_load_by_month(inputs, 'charge_month') }}
    union all
    select
        charge_month,
        x_loaded_at
    from inventory_months
    union all
    select
        charge_month,
        x_loaded_at
    from emptied_slices

),

final as (

    select
        inputs.charge_month,
        greatest(
            max(inputs.x_loaded_at),
            coalesce(max(inventory_months.x_loaded_at), max(inputs.x_loaded_at)),
            coalesce(
                (select max(emptied_slices.x_loaded_at) from emptied_slices),
                max(inputs.x_loaded_at)
            )
        ) as x_inputs_loaded_at
    from inputs
    left join inventory_months
        on inputs.charge_month >= inventory_months.charge_month
    group by 1

)

select * from final
