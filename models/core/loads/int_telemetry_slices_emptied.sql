{#- One row per telemetry slice that a load restated to no rows (`itfm load
    --allow-row-drop`, a re-delivered file that no longer holds a cluster's
    day, a product's or a service's day, an inventory snapshot, a build):
    the month of the day its key names (usage_month) and the load's time as
    x_loaded_at. A month that lost every row of a slice has no new row to show
    it changed, so the month-incremental models read this beside their
    inputs' loads (int_allocation_month_inputs, int_policy_month_inputs).
    A slice keyed by an id alone (a CI build, a deployment) names no day:
    usage_month is null, and such a slice counts for every month. -#}
with

history as (

    select * from {{ ref('stg_itfm_load__slice_history') }}
    where
        x_source in (
            'k8s_usage',
            'business_metrics',
            'observability_usage',
            'cloud_assets',
            'ci_builds',
            'deployments'
        )
        and rows_after = 0
        and rows_before > 0

),

keyed as (

    select
        slice_key,
        x_source,
        {#- The key is the feed and the source's slice keys joined by '|'
            (itfm.sources): Kubernetes usage by cluster and day, inventory by
            provider and day, metrics and ingest by day and product or
            service. -#}
        case
            when x_source in ('k8s_usage', 'cloud_assets')
                then {{ dbt.split_part('slice_key', "'|'", 3) }}
            when x_source in ('business_metrics', 'observability_usage')
                then {{ dbt.split_part('slice_key', "'|'", 2) }}
        end as x_slice_date_text,
        replaced_at as x_loaded_at
    from history

),

final as (

    select
        ---------- ids
        slice_key,

        ---------- strings
        x_source,

        ---------- dates
        cast({{ dbt.date_trunc('month', dbt.safe_cast(
            'x_slice_date_text', api.Column.translate_type('date')
        )) }} as date) as usage_month,

        ---------- timestamps
        x_loaded_at

    from keyed

)

select * from final
