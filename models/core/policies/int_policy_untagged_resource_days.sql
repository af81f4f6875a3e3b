{#- untagged_resource: one row per policy, resource and day of a resource
    without any tag. -#}
with

resource_days as (

    select * from {{ ref('int_policy_resource_days') }}

),

untagged_contexts as (

    select * from {{ ref('int_policy_untagged_contexts') }}

),

final as (

    select
        untagged_contexts.policy_id,
        'resource' as subject_type,
        resource_days.resource_id as subject_id,
        resource_days.x_team,
        resource_days.provider_name,
        resource_days.service_name,
        resource_days.x_environment,
        resource_days.charge_date,
        resource_days.x_cost_reporting,
        'resource has no tags' as violation_detail,
        cast(0 as double) as observed_value
    from resource_days
    inner join untagged_contexts
        on
            resource_days.tags is not distinct from untagged_contexts.tags
            and resource_days.x_environment
            is not distinct from untagged_contexts.x_environment
            and resource_days.x_team is not distinct from untagged_contexts.x_team

)

select * from final
