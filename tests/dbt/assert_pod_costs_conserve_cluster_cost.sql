{#- fct_k8s_pod_cost_daily splits each cluster's node cost per day (every
    allocated row of the line items tagged with the cluster) over its pods and
    idle: per cluster, day and currency they add up to it, in both currencies.
    A row here is a cluster-day whose pods lost or gained cost. -#}
{{ config(severity='error') }}

with

clusters as (

    select
        x_kubernetes_cluster as cluster_name,
        charge_date,
        billing_currency,
        sum(effective_cost) as effective_cost,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from {{ ref('fct_cost_allocated') }}
    where x_kubernetes_cluster is not null
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
