{#- Per billing month and cluster: node cost, the part no pod demanded (idle),
    and its share. Idle is 0 where var k8s_idle_treatment shares it out. -#}
with

k8s_daily as (

    select * from {{ ref('fct_k8s_cost_daily') }}

),

monthly as (

    select
        cluster_name,
        billing_currency,
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as billing_month,
        sum(effective_cost) as effective_cost,
        sum(case when x_team = 'idle' then effective_cost else 0 end)
            as idle_effective_cost
    from k8s_daily
    group by 1, 2, 3

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "cluster_name", "'|'", "billing_currency", "'|'",
            "cast(billing_month as string)"
        ])) }} as k8s_idle_monthly_id,

        ---------- strings
        cluster_name,
        billing_currency,

        ---------- numerics
        effective_cost,
        idle_effective_cost,
        cast(
            100.0 * idle_effective_cost / nullif(effective_cost, 0) as decimal(9, 4)
        ) as idle_cost_pct,

        ---------- dates
        billing_month

    from monthly

)

select * from final
