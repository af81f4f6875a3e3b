{#- One row per Kubernetes pod, day and currency, and one per cluster, day and
    currency for its idle capacity when vars.k8s_idle_treatment is `visible`:
    the cluster's node cost that day (every allocated row of the line items
    tagged with the cluster, fct_cost_allocated.x_kubernetes_cluster) split
    over its pods by the demand the cluster split uses (max of request and
    usage of CPU and memory times running hours, over the cluster's capacity,
    weighted by vars k8s_cpu_weight and k8s_memory_weight), exact to the cent
    by the largest remainder. What a pod costs to run, owned by the pod's
    owner: later rules that move a shared team's cost on (platform-team) do
    not change it. The pods and idle add up to the cluster's node cost of
    each day with pod usage (a day billed before its pod usage is loaded has
    no rows yet). The workload is the pod's `app` label, else the pod's
    name. -#}
with

pods as (

    select * from {{ ref('int_k8s_pod_usages_attributed') }}

),

shares as (

    select * from {{ ref('int_k8s_cluster_shares_daily') }}

),

allocated as (

    select * from {{ ref('fct_cost_allocated') }}
    where x_kubernetes_cluster is not null

),

cluster_cost as (

    select
        x_kubernetes_cluster as cluster_name,
        charge_date,
        billing_currency,
        sum(effective_cost) as effective_cost,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from allocated
    group by 1, 2, 3

),

basis as (

    select distinct
        cluster_name,
        usage_date,
        cpu_core_hours_basis,
        memory_gib_hours_basis
    from shares

),

demand as (

    select
        pods.cluster_name,
        pods.usage_date,
        pods.namespace,
        pods.pod_name,
        pods.node_name,
        pods.x_team,
        pods.workload_name,
        cast(pods.running_hours as decimal(38, 12)) as pod_hours,
        cast(
            greatest(pods.cpu_request_cores, pods.cpu_usage_cores)
            * pods.running_hours as decimal(38, 12)
        ) as cpu_core_hours,
        cast(
            greatest(pods.memory_request_gib, pods.memory_usage_gib)
            * pods.running_hours as decimal(38, 12)
        ) as memory_gib_hours,
        {{ ratio(
            var('k8s_cpu_weight') ~ ' * greatest(pods.cpu_request_cores, '
            ~ 'pods.cpu_usage_cores) * pods.running_hours',
            'basis.cpu_core_hours_basis'
        ) }}
        + {{ ratio(
            var('k8s_memory_weight') ~ ' * greatest(pods.memory_request_gib, '
            ~ 'pods.memory_usage_gib) * pods.running_hours',
            'basis.memory_gib_hours_basis'
        ) }} as demand_weight
    from pods
    inner join basis
        on
            pods.cluster_name = basis.cluster_name
            and pods.usage_date = basis.usage_date

),

idle as (

    {#- The capacity no pod demanded: a piece of its own where the cluster
        split keeps idle visible (its share is the split's idle row). -#}
    select
        cluster_name,
        usage_date,
        cast(null as string) as namespace,
        '(idle)' as pod_name,
        cast(null as string) as node_name,
        'idle' as x_team,
        '(idle)' as workload_name,
        cast(0 as decimal(38, 12)) as pod_hours,
        cast(0 as decimal(38, 12)) as cpu_core_hours,
        cast(0 as decimal(38, 12)) as memory_gib_hours,
        cast(cost_share as double) as demand_weight
    from shares
    where x_team = 'idle'

),

pieces as (

    select
        demanded.*,
        cluster_cost.billing_currency,
        cluster_cost.effective_cost,
        cluster_cost.x_effective_cost_reporting,
        demanded.cluster_name || '|' || cast(demanded.usage_date as string) || '|'
        || cluster_cost.billing_currency as split_key,
        coalesce(demanded.namespace, '') || '|' || demanded.pod_name as target_key,
        demanded.demand_weight as weight
    from (
        select * from demand
        union all
        select * from idle
    ) as demanded
    inner join cluster_cost
        on
            demanded.cluster_name = cluster_cost.cluster_name
            and demanded.usage_date = cluster_cost.charge_date
    where demanded.demand_weight > 0

),

split as (

    {{ largest_remainder_split(
        'pieces',
        [
            'cluster_name', 'usage_date', 'namespace', 'pod_name', 'node_name',
            'x_team', 'workload_name', 'billing_currency', 'pod_hours',
            'cpu_core_hours', 'memory_gib_hours'
        ],
        ['effective_cost', 'x_effective_cost_reporting']
    ) }}

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "cluster_name", "'|'", "coalesce(namespace, '')", "'|'", "pod_name",
            "'|'", "cast(usage_date as string)", "'|'", "billing_currency"
        ])) }} as k8s_pod_cost_daily_id,

        ---------- strings
        cluster_name,
        namespace,
        workload_name,
        pod_name,
        node_name,
        x_team,
        billing_currency,

        ---------- numerics
        pod_hours,
        cpu_core_hours,
        memory_gib_hours,
        cast(x_allocation_share as decimal(18, 12)) as cluster_cost_share,
        effective_cost,
        x_effective_cost_reporting,

        ---------- dates
        usage_date

    from split

)

select * from final
