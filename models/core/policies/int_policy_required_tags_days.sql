{#- required_tags: one row per policy, resource and day whose resource lacks a
    key its environment requires (tag_required_keys), with the keys missing. -#}
with

resource_days as (

    select * from {{ ref('int_policy_resource_days') }}

),

missing_tag_keys as (

    select * from {{ ref('int_policy_missing_tag_keys') }}

),

missing_keys as (

    select
        missing_tag_keys.policy_id,
        resource_days.resource_id,
        resource_days.provider_name,
        resource_days.service_name,
        resource_days.x_team,
        resource_days.x_environment,
        resource_days.charge_date,
        resource_days.x_cost_reporting,
        missing_tag_keys.canonical_key
    from resource_days
    inner join missing_tag_keys
        on
            resource_days.tags is not distinct from missing_tag_keys.tags
            and resource_days.x_environment = missing_tag_keys.x_environment
            and resource_days.x_team
            is not distinct from missing_tag_keys.x_team

),

final as (

    select
        policy_id,
        'resource' as subject_type,
        resource_id as subject_id,
        x_team,
        provider_name,
        service_name,
        x_environment,
        charge_date,
        max(x_cost_reporting) as x_cost_reporting,
        'missing tag keys: '
        || {{ dbt.listagg('canonical_key', "', '", 'order by canonical_key') }}
            as violation_detail,
        cast(count(*) as double) as observed_value
    from missing_keys
    group by 1, 2, 3, 4, 5, 6, 7, 8

)

select * from final
