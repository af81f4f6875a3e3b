{#- fct_k8s_pod_cost_daily splits each cluster's node cost per day (every
    allocated row of the line items tagged with the cluster) over its pods and
    idle: per cluster, day and currency with pod usage they add up to it, in
    both currencies. (A day billed before its pod usage is loaded has no split
    yet, and no pod rows.) A row here is a cluster-day whose pods lost or
    gained cost. -#}
{{ config(severity='error') }}

with

split_days as (

    select distinct
        cluster_name,
        usage_date
    from {{ ref('int_k8s_cluster_shares_daily') }}

),

clusters as (

    select
        allocated.x_kubernetes_cluster as cluster_name,
        allocated.charge_date,
        allocated.billing_currency,
        sum(allocated.effective_cost) as effective_cost,
        sum(allocated.x_effective_cost_reporting) as x_effective_cost_reporting
    from {{ ref('fct_cost_allocated') }} as allocated
    inner join split_days
        on
            allocated.x_kubernetes_cluster = split_days.cluster_name
            and allocated.charge_date = split_days.usage_date
    group by 1, 2, 3

),

pods as (

    select
        cluster_name,
        usage_date,
        billing_currency,
        sum(effective_cost) as effective_cost,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from {{ ref('fct_k8s_pod_cost_daily') }}
    group by 1, 2, 3

)

select
    coalesce(clusters.cluster_name, pods.cluster_name) as cluster_name,
    coalesce(clusters.charge_date, pods.usage_date) as usage_date,
    clusters.effective_cost as cluster_cost,
    pods.effective_cost as pod_cost
from clusters
full outer join pods
    on
        clusters.cluster_name = pods.cluster_name
        and clusters.charge_date = pods.usage_date
        and clusters.billing_currency = pods.billing_currency
where
    coalesce(clusters.effective_cost, 0) != coalesce(pods.effective_cost, 0)
    or coalesce(clusters.x_effective_cost_reporting, 0)
    != coalesce(pods.x_effective_cost_reporting, 0)
