{#- observability_retention_ceiling: one row per policy, observed service and
    day whose log retention (days) is above the ceiling. -#}
with

observability as (

    select * from {{ ref('stg_telemetry__observability_usages') }}

),

policies as (

    select * from {{ ref('guardrail_policies') }}
    where policy_type = 'observability_retention_ceiling'

),

final as (

    select
        policies.policy_id,
        'observed_service' as subject_type,
        observability.service_name as subject_id,
        coalesce(observability.team, 'unmapped') as x_team,
        cast(null as string) as provider_name,
        observability.service_name,
        cast(null as string) as x_environment,
        observability.usage_date as charge_date,
        cast(null as {{ type_money() }}) as x_cost_reporting,
        'log retention (days) above ' || cast(policies.threshold as string)
            as violation_detail,
        cast(observability.retention_days as double) as observed_value
    from observability
    inner join policies
        on
            (policies.team is null or observability.team = policies.team)
            and observability.retention_days > policies.threshold

)

select * from final
