{#- orphaned_volume: one row per policy, volume and snapshot day once the
    volume has been attached to nothing for more than the threshold's days,
    with its usage cost that day. -#}
with

unattached as (

    select * from {{ ref('int_policy_unattached_volumes') }}

),

resource_days as (

    select * from {{ ref('int_policy_resource_days') }}

),

policies as (

    select * from {{ ref('guardrail_policies') }}
    where policy_type = 'orphaned_volume'

),

final as (

    select
        policies.policy_id,
        'resource' as subject_type,
        unattached.resource_id as subject_id,
        coalesce(resource_days.x_team, 'unmapped') as x_team,
        resource_days.provider_name,
        resource_days.service_name,
        resource_days.x_environment,
        unattached.snapshot_date as charge_date,
        resource_days.x_cost_reporting,
        'unattached since ' || cast(unattached.first_unattached_date as string)
            as violation_detail,
        cast({{ dbt.datediff(
            'unattached.first_unattached_date', 'unattached.snapshot_date', 'day'
        ) }} as double) as observed_value
    from unattached
    cross join policies
    left join resource_days
        on
            unattached.resource_id = resource_days.resource_id
            and unattached.snapshot_date = resource_days.charge_date
    where
        {{ dbt.datediff(
            'unattached.first_unattached_date', 'unattached.snapshot_date', 'day'
        ) }} > policies.threshold

)

select * from final
