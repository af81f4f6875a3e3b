{#- The newest load (x_loaded_at) of anything a billing month's allocation
    reads: the month's billing line items and the telemetry that drives its
    shares (Kubernetes usage, business metrics, observability ingest, CI
    builds), and the slices of either restated to no rows (a CI build's,
    keyed by id, counts for every month). fct_cost_allocated rebuilds a month
    when this moves past what it recorded. A table (a few rows), so that
    joining it to the allocated rows builds the join on it, not on millions
    of rows. -#}
-- noqa: disable=LT02
-- (Layout: the telemetry CTE is a Jinja loop.)
{{ config(materialized='table') }}
{%- set telemetry = [
    (ref('stg_telemetry__k8s_pod_usages'), 'usage_date'),
    (ref('stg_telemetry__business_metrics'), 'metric_date'),
    (ref('stg_telemetry__observability_usages'), 'usage_date'),
    (ref('stg_telemetry__ci_builds'), 'started_at'),
] -%}
with

line_item_totals as (

    {#- The fact's per-period totals (int_line_item_totals_monthly): its
        newest load per month, without reading its rows. -#}
    select * from {{ ref('int_line_item_totals_monthly') }}

),

emptied_slices as (

    select * from {{ ref('int_billing_slices_emptied') }}

),

billing as (

    {#- A billing slice restated to no rows changed its month too, and no
        line item shows it; a month it left with no line item is here, to
        be rebuilt to no rows. -#}
    select
        billing_month,
        max(x_loaded_at) as x_loaded_at
    from (
        select
            billing_month,
            max(x_loaded_at) as x_loaded_at
        from line_item_totals
        group by 1
        union all
        select
            billing_month,
            x_loaded_at
        from emptied_slices
    ) as billing_loads
    group by 1

),

telemetry as (

    {{ newest_load_by_month(telemetry, 'billing_month') }}

),

telemetry_emptied as (

    select
        usage_month as billing_month,
        x_loaded_at
    from {{ ref('int_telemetry_slices_emptied') }}
    where
        x_source in (
            'k8s_usage', 'business_metrics', 'observability_usage', 'ci_builds'
        )

),

telemetry_months as (

    select
        billing_month,
        max(x_loaded_at) as x_loaded_at
    from (
        select
            billing_month,
            x_loaded_at
        from telemetry
        union all
        select
            billing_month,
            x_loaded_at
        from telemetry_emptied
        where billing_month is not null
    ) as telemetry_loads
    group by 1

),

every_month as (

    {#- Slices that name no day (a CI build): one row, null when none. -#}
    select max(x_loaded_at) as x_loaded_at
    from telemetry_emptied
    where billing_month is null

)

select
    billing.billing_month,
    greatest(
        billing.x_loaded_at,
        coalesce(telemetry_months.x_loaded_at, billing.x_loaded_at),
        coalesce(every_month.x_loaded_at, billing.x_loaded_at)
    ) as x_inputs_loaded_at
from billing
left join telemetry_months
    on billing.billing_month = telemetry_months.billing_month
cross join every_month
