{#- max_daily_owner_spend: one row per policy, owner and day whose usage cost
    (reporting currency) is above the policy's ceiling. -#}
with

line_items as (

    {#- The fact's daily totals (owner, service category, day): the same
        sums as the usage line items', without reading them. -#}
    select * from {{ ref('int_line_item_totals_daily') }}
    where charge_category = 'Usage'

),

policies as (

    select * from {{ ref('guardrail_policies') }}
    where policy_type = 'max_daily_owner_spend'

),

owner_days as (

    select
        x_team,
        charge_date,
        sum(x_effective_cost_reporting) as x_cost_reporting
    from line_items
    group by 1, 2

),

final as (

    select
        policies.policy_id,
        'owner' as subject_type,
        owner_days.x_team as subject_id,
        owner_days.x_team,
        cast(null as string) as provider_name,
        cast(null as string) as service_name,
        cast(null as string) as x_environment,
        owner_days.charge_date,
        owner_days.x_cost_reporting,
        'daily usage cost above ' || cast(policies.threshold as string)
            as violation_detail,
        cast(owner_days.x_cost_reporting as double) as observed_value
    from owner_days
    inner join policies
        on
            (policies.team is null or owner_days.x_team = policies.team)
            and owner_days.x_cost_reporting > policies.threshold

)

select * from final
