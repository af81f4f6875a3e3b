{#- The newest load (x_loaded_at) of anything a charge month's policy checks
    read: the month's usage line items, observability ingest and Kubernetes
    usage, and the cloud inventory through the month's end (an orphaned
    volume's age counts from its first unattached snapshot, which may be in an
    earlier month), and any billing slice restated to no rows, and the
    telemetry slices restated to no rows (Kubernetes usage and ingest in
    their month, an inventory snapshot from its month on).
    int_policy_resource_days and fct_policy_violations rebuild a month when
    this moves past what they recorded. A table (a few rows). -#}
-- noqa: disable=LT02
-- (Layout: the inputs CTE is a Jinja loop.)
{{ config(materialized='table') }}
{%- set inputs = [
    ('usage_days', 'charge_date'),
    (ref('stg_telemetry__observability_usages'), 'usage_date'),
    (ref('stg_telemetry__k8s_pod_usages'), 'usage_date'),
] -%}
with

usage_days as (

    {#- The usage line items' newest load per charge day, from the fact's
        daily totals (its rows' max(x_loaded_at)): the same months and loads
        as the line items, without reading them. -#}
    select
        charge_date,
        x_loaded_at
    from {{ ref('int_line_item_totals_daily') }}
    where charge_category = 'Usage'

),

telemetry_emptied as (

    select
        x_source,
        usage_month as charge_month,
        x_loaded_at
    from {{ ref('int_telemetry_slices_emptied') }}
    where
        x_source in ('k8s_usage', 'observability_usage', 'cloud_assets')

),

inventory_months as (

    {#- A snapshot restated to no rows may have held an unattached volume. -#}
    select
        charge_month,
        max(x_loaded_at) as x_loaded_at
    from (
        select
            cast({{ dbt.date_trunc('month', 'snapshot_date') }} as date)
                as charge_month,
            x_loaded_at
        from {{ ref('stg_telemetry__cloud_assets') }}
        where is_unattached
        union all
        select
            charge_month,
            x_loaded_at
        from telemetry_emptied
        where x_source = 'cloud_assets'
    ) as inventory_loads
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
    from telemetry_emptied
    where x_source != 'cloud_assets'
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
