{#- One row per day, kind of waste, owner and subject: spend that buys
    nothing. Kinds:
      orphaned_volume          a volume attached to nothing (cloud inventory)
      unused_commitment        commitment paid for and not used
      idle_kubernetes_capacity cluster capacity no pod requested or used
    Each dollar is in at most one kind (they are disjoint charges). -#}
with

unattached as (

    select distinct
        resource_id,
        snapshot_date
    from {{ ref('stg_telemetry__cloud_assets') }}
    where is_unattached

),

line_items as (

    select
        resource_id,
        x_team,
        provider_name,
        service_name,
        commitment_discount_status,
        charge_date,
        x_effective_cost_reporting
    from {{ ref('int_line_items_attributed') }}
    where
        charge_category = 'Usage'
        {#- Only the rows a kind below reads: two CTEs read this one, so it
            is materialized, and every usage row of it was most of this
            model's time. -#}
        and (
            commitment_discount_status = 'Unused'
            or resource_id in (select unattached.resource_id from unattached)
        )

),

orphaned as (

    select
        'orphaned_volume' as waste_type,
        line_items.resource_id as subject_id,
        line_items.x_team,
        line_items.provider_name,
        line_items.service_name,
        line_items.charge_date,
        sum(line_items.x_effective_cost_reporting) as x_waste_cost_reporting
    from line_items
    inner join unattached
        on
            line_items.resource_id = unattached.resource_id
            and line_items.charge_date = unattached.snapshot_date
    group by 1, 2, 3, 4, 5, 6

),

unused_commitment as (

    select
        'unused_commitment' as waste_type,
        coalesce(resource_id, '(commitment)') as subject_id,
        x_team,
        provider_name,
        service_name,
        charge_date,
        sum(x_effective_cost_reporting) as x_waste_cost_reporting
    from line_items
    where commitment_discount_status = 'Unused'
    group by 1, 2, 3, 4, 5, 6

),

idle_capacity as (

    select
        'idle_kubernetes_capacity' as waste_type,
        cluster_name as subject_id,
        x_team,
        cast(null as string) as provider_name,
        cast(null as string) as service_name,
        charge_date,
        sum(x_effective_cost_reporting) as x_waste_cost_reporting
    from {{ ref('fct_k8s_cost_daily') }}
    where x_team = 'idle'
    group by 1, 2, 3, 4, 5, 6

),

unioned as (

    select * from orphaned
    union all
    select * from unused_commitment
    union all
    select * from idle_capacity

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "waste_type", "'|'", "subject_id", "'|'", "x_team", "'|'",
            "coalesce(provider_name, '')", "'|'", "coalesce(service_name, '')",
            "'|'", "cast(charge_date as string)"
        ])) }} as waste_daily_id,
        subject_id,

        ---------- strings
        waste_type,
        x_team,
        provider_name,
        service_name,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        x_waste_cost_reporting,

        ---------- dates
        charge_date,
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as charge_month

    from unioned

)

select * from final
