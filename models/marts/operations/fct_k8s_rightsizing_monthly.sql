{#- One row per Kubernetes workload (cluster, namespace, pod) and month:
    requested against used CPU and memory, a suggested request (95th
    percentile of daily usage plus `rightsizing_headroom_pct`) and the
    estimated monthly saving of requesting that instead. Prices per core-hour
    and GiB-hour split the node's hourly cost by the same CPU/memory weights
    as the Kubernetes allocation. Workloads whose request is at least
    `rightsizing_min_over_request_ratio` x the 95th percentile are flagged. -#}
with

settings as (

    select * from {{ ref('operations_settings') }}

),

pods as (

    select
        cluster_name,
        namespace,
        pod_name,
        x_team,
        usage_date,
        cpu_request_cores,
        cpu_usage_cores,
        memory_request_gib,
        memory_usage_gib,
        running_hours,
        node_hourly_cost * {{ var('k8s_cpu_weight') }}
        / nullif(node_cpu_cores, 0) as cpu_core_hour_price,
        node_hourly_cost * {{ var('k8s_memory_weight') }}
        / nullif(node_memory_gib, 0) as memory_gib_hour_price,
        {{ dbt.date_trunc('month', 'usage_date') }} as usage_month
    from {{ ref('int_k8s_pod_usages_attributed') }}

),

workloads as (

    select
        cluster_name,
        namespace,
        pod_name,
        x_team,
        usage_month,
        count(*) as observed_days,
        sum(running_hours) as running_hours,
        avg(cpu_request_cores) as cpu_request_cores,
        avg(cpu_usage_cores) as cpu_usage_cores_avg,
        {{ percentile('cpu_usage_cores', 0.95) }} as cpu_usage_cores_p95,
        avg(memory_request_gib) as memory_request_gib,
        avg(memory_usage_gib) as memory_usage_gib_avg,
        {{ percentile('memory_usage_gib', 0.95) }} as memory_usage_gib_p95,
        avg(cpu_core_hour_price) as cpu_core_hour_price,
        avg(memory_gib_hour_price) as memory_gib_hour_price
    from pods
    group by 1, 2, 3, 4, 5

),

suggested as (

    select
        workloads.*,
        settings.rightsizing_min_over_request_ratio,
        workloads.cpu_usage_cores_p95
        * (1 + settings.rightsizing_headroom_pct / 100.0) as cpu_request_suggested,
        workloads.memory_usage_gib_p95
        * (1 + settings.rightsizing_headroom_pct / 100.0)
            as memory_request_suggested
    from workloads
    cross join settings

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "cluster_name", "'|'", "namespace", "'|'", "pod_name", "'|'",
            "cast(usage_month as string)"
        ])) }} as k8s_rightsizing_id,

        ---------- strings
        cluster_name,
        namespace,
        pod_name,
        x_team,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        observed_days,
        running_hours,
        cpu_request_cores,
        cpu_usage_cores_avg,
        cpu_usage_cores_p95,
        cpu_request_suggested,
        memory_request_gib,
        memory_usage_gib_avg,
        memory_usage_gib_p95,
        memory_request_suggested,
        cpu_request_cores / nullif(cpu_usage_cores_p95, 0)
            as cpu_over_request_ratio,
        memory_request_gib / nullif(memory_usage_gib_p95, 0)
            as memory_over_request_ratio,
        cast(
            (
                greatest(cpu_request_cores - cpu_request_suggested, 0)
                * cpu_core_hour_price
                + greatest(memory_request_gib - memory_request_suggested, 0)
                * memory_gib_hour_price
            ) * running_hours as {{ type_money() }}
        ) as x_estimated_savings_reporting,

        ---------- booleans
        cpu_request_cores
        >= rightsizing_min_over_request_ratio * cpu_usage_cores_p95
        or memory_request_gib
        >= rightsizing_min_over_request_ratio * memory_usage_gib_p95
            as is_over_requested,

        ---------- dates
        cast(usage_month as date) as usage_month

    from suggested

)

select * from final
