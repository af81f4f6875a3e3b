{#- egress_share_ceiling: one row per policy and owner month whose egress (the
    service category in the policy's scope) is more than the threshold's share
    of the owner's usage cost; dated the month's first day. -#}
with

line_items as (

    {#- The fact's daily totals (owner, service category, day): the same
        sums as the usage line items', without reading them. -#}
    select * from {{ ref('int_line_item_totals_daily') }}
    where charge_category = 'Usage'

),

policies as (

    select * from {{ ref('guardrail_policies') }}
    where policy_type = 'egress_share_ceiling'

),

owner_months as (

    select
        line_items.x_team,
        {{ dbt.date_trunc('month', 'line_items.charge_date') }} as charge_month,
        policies.policy_id,
        policies.threshold,
        max(line_items.charge_date) as last_date,
        sum(
            case
                when line_items.service_category = policies.scope
                    then line_items.x_effective_cost_reporting
                else 0
            end
        ) as x_egress_cost_reporting,
        sum(line_items.x_effective_cost_reporting) as x_cost_reporting
    from line_items
    inner join policies
        on policies.team is null or line_items.x_team = policies.team
    group by 1, 2, 3, 4

),

final as (

    select
        policy_id,
        'owner' as subject_type,
        x_team as subject_id,
        x_team,
        cast(null as string) as provider_name,
        cast(null as string) as service_name,
        cast(null as string) as x_environment,
        cast(charge_month as date) as charge_date,
        x_egress_cost_reporting as x_cost_reporting,
        'egress share of monthly usage cost above ' || cast(threshold as string)
            as violation_detail,
        cast(x_egress_cost_reporting / x_cost_reporting as double)
            as observed_value
    from owner_months
    where
        x_cost_reporting > 0
        and x_egress_cost_reporting / x_cost_reporting > threshold

)

select * from final
