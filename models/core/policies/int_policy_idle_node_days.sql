{#- idle_kubernetes_node: one row per policy, Kubernetes node and day whose
    pods request less than the threshold's share of the node's CPU, with the
    node's cost that day. -#}
with

pod_usages as (

    select * from {{ ref('stg_telemetry__k8s_pod_usages') }}

),

policies as (

    select * from {{ ref('guardrail_policies') }}
    where policy_type = 'idle_kubernetes_node'

),

node_days as (

    select
        cluster_name,
        node_name,
        usage_date,
        sum(cpu_request_cores) as cpu_request_cores,
        max(node_cpu_cores) as node_cpu_cores,
        max(node_hourly_cost) * 24 as node_daily_cost
    from pod_usages
    group by 1, 2, 3

),

final as (

    select
        policies.policy_id,
        'kubernetes_node' as subject_type,
        node_days.cluster_name || '/' || node_days.node_name as subject_id,
        cast(null as string) as x_team,
        cast(null as string) as provider_name,
        cast(null as string) as service_name,
        cast(null as string) as x_environment,
        node_days.usage_date as charge_date,
        cast(node_days.node_daily_cost as {{ type_money() }}) as x_cost_reporting,
        'CPU requests under ' || cast(policies.threshold as string)
        || ' of node capacity' as violation_detail,
        cast(
            node_days.cpu_request_cores / nullif(node_days.node_cpu_cores, 0)
            as double
        ) as observed_value
    from node_days
    inner join policies
        on node_days.cpu_request_cores < policies.threshold * node_days.node_cpu_cores

)

select * from final
