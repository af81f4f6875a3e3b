{#- One row per provider, billing account and month: commitment utilization
    (used / (used + unused) commitment cost) and coverage (usage paid through a
    commitment / all usage of the commitment-eligible service categories, seed
    commitment_eligible_categories). -#}
with

line_items as (

    {#- The fact's usage summed per billing period and charge month
        (int_line_item_totals_monthly), not its rows: the same sums. -#}
    select
        provider_name,
        billing_account_id,
        service_category,
        commitment_discount_status,
        x_effective_cost_reporting,
        charge_month
    from {{ ref('int_line_item_totals_monthly') }}
    where charge_category = 'Usage'

),

eligible as (

    select * from {{ ref('commitment_eligible_categories') }}

),

monthly as (

    select
        line_items.provider_name,
        line_items.billing_account_id,
        line_items.charge_month,
        sum(
            case
                when line_items.commitment_discount_status = 'Used'
                    then line_items.x_effective_cost_reporting
                else 0
            end
        ) as x_committed_usage_cost_reporting,
        sum(
            case
                when line_items.commitment_discount_status = 'Unused'
                    then line_items.x_effective_cost_reporting
                else 0
            end
        ) as x_unused_commitment_cost_reporting,
        sum(
            case
                when
                    line_items.commitment_discount_status is null
                    and eligible.service_category is not null
                    then line_items.x_effective_cost_reporting
                else 0
            end
        ) as x_on_demand_eligible_cost_reporting
    from line_items
    left join eligible
        on line_items.service_category = eligible.service_category
    group by 1, 2, 3

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "provider_name", "'|'", "billing_account_id", "'|'",
            "cast(charge_month as string)"
        ])) }} as commitment_coverage_id,
        billing_account_id,

        ---------- strings
        provider_name,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        x_committed_usage_cost_reporting,
        x_unused_commitment_cost_reporting,
        x_on_demand_eligible_cost_reporting,
        cast(
            x_committed_usage_cost_reporting
            / nullif(
                x_committed_usage_cost_reporting
                + x_unused_commitment_cost_reporting,
                0
            ) as double
        ) as commitment_utilization,
        cast(
            x_committed_usage_cost_reporting
            / nullif(
                x_committed_usage_cost_reporting
                + x_on_demand_eligible_cost_reporting,
                0
            ) as double
        ) as commitment_coverage,

        ---------- dates
        charge_month

    from monthly

)

select * from final
