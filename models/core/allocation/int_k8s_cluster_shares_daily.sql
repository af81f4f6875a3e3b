{#- Share of each cluster's node cost per owner and day. A pod's demand is
    max(request, usage) of CPU and of memory, in core-hours and GiB-hours, over
    the cluster's capacity that day; CPU and memory are weighted by the vars
    k8s_cpu_weight and k8s_memory_weight. What pods do not demand is `idle`,
    kept visible or shared onto the workloads (var k8s_idle_treatment). -#}
{#- A table: each statement of the allocation (one per billing month, or per
    step on Spark) reads these shares, which are small and costly to derive. -#}
{{ config(materialized='table') }}
with

pods as (

    select * from {{ ref('int_k8s_pod_usages_attributed') }}

),

capacity as (

    select
        cluster_name,
        usage_date,
        {#- Sums of decimals, not doubles: the same inputs give the same shares
            whatever order the rows are read in. -#}
        sum(cast(node_cpu_cores * 24 as decimal(38, 12))) as cpu_core_hours,
        sum(cast(node_memory_gib * 24 as decimal(38, 12))) as memory_gib_hours
    from (
        select distinct
            cluster_name,
            usage_date,
            node_name,
            node_cpu_cores,
            node_memory_gib
        from pods
    ) as nodes
    group by 1, 2

),

demand as (

    select
        cluster_name,
        usage_date,
        x_team,
        sum(
            cast(
                greatest(cpu_request_cores, cpu_usage_cores) * running_hours
                as decimal(38, 12)
            )
        ) as cpu_core_hours,
        sum(
            cast(
                greatest(memory_request_gib, memory_usage_gib) * running_hours
                as decimal(38, 12)
            )
        ) as memory_gib_hours,
        sum(cast(running_hours as decimal(38, 12))) as pod_hours
    from pods
    group by 1, 2, 3

),

totals as (

    select
        cluster_name,
        usage_date,
        sum(cpu_core_hours) as cpu_core_hours,
        sum(memory_gib_hours) as memory_gib_hours
    from demand
    group by 1, 2

),

team_shares as (

    {#- When pods demand more than the capacity, shares are scaled to 100%. -#}
    select
        demand.cluster_name,
        demand.usage_date,
        demand.x_team,
        demand.pod_hours,
        demand.cpu_core_hours,
        demand.memory_gib_hours,
        cast(
            {{ ratio(
                var('k8s_cpu_weight') ~ ' * demand.cpu_core_hours',
                'greatest(capacity.cpu_core_hours, totals.cpu_core_hours)'
            ) }}
            + {{ ratio(
                var('k8s_memory_weight') ~ ' * demand.memory_gib_hours',
                'greatest(capacity.memory_gib_hours, totals.memory_gib_hours)'
            ) }}
            as decimal(18, 12)
        ) as cost_share,
        {#- What the shares divide by: the capacity, or the demand where pods
            demand more (fct_k8s_pod_cost_daily splits a team's cost onto its
            pods with the same terms). -#}
        greatest(capacity.cpu_core_hours, totals.cpu_core_hours)
            as cpu_core_hours_basis,
        greatest(capacity.memory_gib_hours, totals.memory_gib_hours)
            as memory_gib_hours_basis
    from demand
    inner join capacity
        on
            demand.cluster_name = capacity.cluster_name
            and demand.usage_date = capacity.usage_date
    inner join totals
        on
            demand.cluster_name = totals.cluster_name
            and demand.usage_date = totals.usage_date

),

idle as (

    select
        cluster_name,
        usage_date,
        'idle' as x_team,
        cast(0 as decimal(38, 12)) as pod_hours,
        cast(0 as decimal(38, 12)) as cpu_core_hours,
        cast(0 as decimal(38, 12)) as memory_gib_hours,
        greatest(1 - sum(cost_share), 0) as cost_share,
        max(cpu_core_hours_basis) as cpu_core_hours_basis,
        max(memory_gib_hours_basis) as memory_gib_hours_basis
    from team_shares
    group by 1, 2

),

all_shares as (

    select * from team_shares
    union all
    select * from idle
    where
        '{{ var("k8s_idle_treatment") }}' = 'visible'
        and cost_share > 0

)

select * from all_shares
