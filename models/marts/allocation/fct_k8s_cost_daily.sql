{#- Kubernetes cost per cluster, day and owner (idle included): node cost
    allocated by max(request, usage), pod-hours and cost per pod-hour. -#}
with

allocated as (

    select * from {{ ref('fct_cost_allocated') }}
    where x_allocation_method = 'kubernetes'

),

shares as (

    select * from {{ ref('int_k8s_cluster_shares_daily') }}

),

cost as (

    select
        x_kubernetes_cluster as cluster_name,
        charge_date,
        x_team,
        billing_currency,
        sum(effective_cost) as effective_cost,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from allocated
    group by 1, 2, 3, 4

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "cost.cluster_name", "'|'", "cast(cost.charge_date as string)", "'|'",
            "cost.x_team", "'|'", "cost.billing_currency"
        ])) }} as k8s_cost_daily_id,

        ---------- strings
        cost.cluster_name,
        cost.x_team,
        cost.billing_currency,

        ---------- numerics
        cost.effective_cost,
        cost.x_effective_cost_reporting,
        cast(shares.cost_share as decimal(38, 12)) as cluster_share,
        shares.pod_hours,
        shares.cpu_core_hours,
        shares.memory_gib_hours,
        cast(
            cost.effective_cost / nullif(shares.pod_hours, 0) as {{ type_money() }}
        ) as effective_cost_per_pod_hour,

        ---------- dates
        cost.charge_date

    from cost
    left join shares
        on
            cost.cluster_name = shares.cluster_name
            and cost.charge_date = shares.usage_date
            and cost.x_team = shares.x_team

)

select * from final
