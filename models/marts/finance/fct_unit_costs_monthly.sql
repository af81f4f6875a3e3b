{#- One row per product and month: unit costs over the days that have both
    cost and business metrics (days without metrics are counted and their
    cost reported, not divided by someone else's transactions). Cost per
    active user divides by the average daily active users of those days. -#}
with

daily as (

    select * from {{ ref('fct_unit_costs_daily') }}

),

monthly as (

    select
        x_product,
        charge_month,
        count(*) as observed_days,
        cast(
            sum(case when has_business_metrics then 1 else 0 end) as bigint
        ) as metric_days,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        sum(x_billed_cost_reporting) as x_billed_cost_reporting,
        sum(x_unit_cost_basis_reporting) as x_unit_cost_basis_reporting,
        sum(
            case
                when has_business_metrics then x_unit_cost_basis_reporting else 0
            end
        ) as x_matched_cost_reporting,
        cast(sum(transactions) as bigint) as transactions,
        avg(active_users) as average_daily_active_users,
        cast(sum(feature_uses) as bigint) as feature_uses
    from daily
    group by 1, 2

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "x_product", "'|'", "cast(charge_month as string)"
        ])) }} as unit_cost_monthly_id,

        ---------- strings
        x_product,
        '{{ var("unit_cost_basis") }}' as cost_basis,
        '{{ var("reporting_currency") }}' as x_reporting_currency,
        {{ unit_cost_null_reason('metric_days > 0', 'transactions', 'transactions') }}
            as cost_per_transaction_null_reason,
        {{ unit_cost_null_reason(
            'metric_days > 0', 'average_daily_active_users', 'active users'
        ) }} as cost_per_active_user_null_reason,

        ---------- numerics
        observed_days,
        metric_days,
        observed_days - metric_days as days_without_metrics,
        x_effective_cost_reporting,
        x_billed_cost_reporting,
        x_unit_cost_basis_reporting,
        x_matched_cost_reporting,
        transactions,
        cast(average_daily_active_users as double) as average_daily_active_users,
        feature_uses,
        cast(
            x_matched_cost_reporting / nullif(transactions, 0)
            as {{ type_money() }}
        ) as x_cost_per_transaction_reporting,
        cast(
            x_matched_cost_reporting / nullif(average_daily_active_users, 0)
            as {{ type_money() }}
        ) as x_cost_per_active_user_reporting,

        ---------- dates
        charge_month

    from monthly

)

select * from final
