{#- One row per Kubernetes workload, owner and day: the pods it ran and their
    hours (the pod usage) and cost (fct_k8s_pod_cost_daily), against its
    baseline: the fewest pods it ran on a day of the `autoscale_baseline_days`
    days before (operations_settings) and its average daily cost over those
    days. A day with at least `autoscale_min_pods` pods over the baseline is a
    scale-out event; its scale size is the pods over the baseline. A
    workload's first day has no baseline and says so. -#}
with

pods as (

    select * from {{ ref('int_k8s_pod_usages_attributed') }}

),

pod_costs as (

    select * from {{ ref('fct_k8s_pod_cost_daily') }}
    where x_team != 'idle'

),

settings as (

    select * from {{ ref('operations_settings') }}

),

costs as (

    select
        cluster_name,
        namespace,
        pod_name,
        usage_date,
        sum(x_effective_cost_reporting) as x_cost_reporting
    from pod_costs
    group by 1, 2, 3, 4

),

workload_days as (

    select
        pods.cluster_name,
        pods.namespace,
        pods.workload_name,
        pods.x_team,
        pods.usage_date,
        {{ dbt.datediff("cast('2000-01-01' as date)", 'pods.usage_date', 'day') }}
            as day_number,
        count(distinct pods.pod_name) as pods,
        sum(cast(pods.running_hours as decimal(38, 12))) as pod_hours,
        sum(costs.x_cost_reporting) as x_cost_reporting
    from pods
    left join costs
        on
            pods.cluster_name = costs.cluster_name
            and pods.namespace = costs.namespace
            and pods.pod_name = costs.pod_name
            and pods.usage_date = costs.usage_date
    group by 1, 2, 3, 4, 5, 6

),

baselines as (

    select
        today.cluster_name,
        today.namespace,
        today.workload_name,
        today.x_team,
        today.usage_date,
        count(earlier.usage_date) as baseline_days_seen,
        min(earlier.pods) as baseline_pods,
        sum(earlier.x_cost_reporting) as baseline_cost_reporting
    from workload_days as today
    cross join settings
    left join workload_days as earlier
        on
            today.cluster_name = earlier.cluster_name
            and today.namespace = earlier.namespace
            and today.workload_name = earlier.workload_name
            and today.x_team = earlier.x_team
            and today.day_number > earlier.day_number
            and today.day_number - settings.autoscale_baseline_days
            <= earlier.day_number
    group by 1, 2, 3, 4, 5

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "today.cluster_name", "'|'", "today.namespace", "'|'",
            "today.workload_name", "'|'", "today.x_team", "'|'",
            "cast(today.usage_date as string)"
        ])) }} as workload_scaling_daily_id,

        ---------- strings
        today.cluster_name,
        today.namespace,
        today.workload_name,
        today.x_team,
        '{{ var("reporting_currency") }}' as x_reporting_currency,
        case
            when baselines.baseline_days_seen = 0
                then 'no earlier day of the workload in the baseline window'
        end as not_compared_reason,

        ---------- numerics
        today.pods,
        today.pod_hours,
        today.x_cost_reporting as x_effective_cost_reporting,
        baselines.baseline_days_seen,
        baselines.baseline_pods,
        cast(
            baselines.baseline_cost_reporting
            / nullif(baselines.baseline_days_seen, 0) as {{ type_money() }}
        ) as x_baseline_daily_cost_reporting,
        today.pods - baselines.baseline_pods as scale_size,

        ---------- booleans
        coalesce(
            today.pods - baselines.baseline_pods >= settings.autoscale_min_pods,
            false
        ) as is_scale_event,

        ---------- dates
        today.usage_date

    from workload_days as today
    inner join baselines
        on
            today.cluster_name = baselines.cluster_name
            and today.namespace = baselines.namespace
            and today.workload_name = baselines.workload_name
            and today.x_team = baselines.x_team
            and today.usage_date = baselines.usage_date
    cross join settings

)

select * from final
