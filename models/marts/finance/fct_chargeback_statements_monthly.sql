{#- One row per cost center and billing month: the statement's totals (what
    the cost center consumed directly, received from Kubernetes clusters and
    shared pools, its credits) and its share of the month's cost. Shares of
    every cost center and FinOps bucket (idle, unmapped, unallocated) add up
    to 1 per month. -#}
with

lines as (

    select * from {{ ref('fct_chargeback_statement_lines') }}

),

statements as (

    select
        statement_id,
        x_cost_center,
        cost_center_name,
        business_unit,
        billing_month,
        x_reporting_currency,
        is_known_cost_center,
        is_charged_back,
        count(*) as statement_lines,
        sum(x_billed_cost_reporting) as x_billed_cost_reporting,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        sum(
            case
                when x_allocation_method = 'direct'
                    then x_effective_cost_reporting
                else 0
            end
        ) as x_direct_cost_reporting,
        sum(
            case
                when x_allocation_method = 'kubernetes'
                    then x_effective_cost_reporting
                else 0
            end
        ) as x_kubernetes_cost_reporting,
        sum(
            case
                when x_allocation_method in ('shared', 'unallocated')
                    then x_effective_cost_reporting
                else 0
            end
        ) as x_shared_cost_reporting,
        sum(
            case
                when charge_category = 'Credit' then x_effective_cost_reporting
                else 0
            end
        ) as x_credits_reporting
    from lines
    group by 1, 2, 3, 4, 5, 6, 7, 8

),

final as (

    select
        ---------- ids
        statement_id,
        x_cost_center,

        ---------- strings
        cost_center_name,
        business_unit,
        x_reporting_currency,

        ---------- numerics
        statement_lines,
        x_billed_cost_reporting,
        x_effective_cost_reporting,
        x_direct_cost_reporting,
        x_kubernetes_cost_reporting,
        x_shared_cost_reporting,
        x_credits_reporting,
        cast(
            x_shared_cost_reporting / nullif(x_effective_cost_reporting, 0)
            as double
        ) as shared_cost_share,
        cast(
            x_effective_cost_reporting
            / nullif(
                sum(x_effective_cost_reporting) over (partition by billing_month),
                0
            ) as double
        ) as share_of_month,

        ---------- booleans
        is_known_cost_center,
        is_charged_back,

        ---------- dates
        billing_month

    from statements

)

select * from final
