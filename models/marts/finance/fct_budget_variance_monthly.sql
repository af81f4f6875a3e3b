{#- One row per cost center and month with a budget or cost: the budget (seed
    budgets) against actual allocated cost, and for months the data has not
    finished, the actual so far plus the forecast for the rest (the owners'
    usage forecasts mapped to their cost center: fct_cost_forecasts_daily).
    Variance = projected - budget, in currency and percent of the budget. -#}
with

budgets as (

    select
        cost_center,
        cast(budget_month as date) as budget_month,
        currency,
        budget_amount
    from {{ ref('budgets') }}

),

actuals as (

    select
        x_cost_center,
        billing_month,
        x_effective_cost_reporting
    from {{ ref('fct_chargeback_statements_monthly') }}
    where is_charged_back

),

teams as (

    select * from {{ ref('teams') }}

),

cost_forecasts as (

    select * from {{ ref('fct_cost_forecasts_daily') }}

),

forecasts as (

    select
        teams.cost_center as x_cost_center,
        forecasts.forecast_month,
        sum(forecasts.x_forecast_cost_reporting) as x_forecast_cost_reporting
    from cost_forecasts as forecasts
    inner join teams
        on forecasts.x_team = teams.team
    where forecasts.forecast_level = 'owner'
    group by 1, 2

),

joined as (

    select
        coalesce(budgets.cost_center, actuals.x_cost_center) as x_cost_center,
        coalesce(budgets.budget_month, actuals.billing_month) as budget_month,
        budgets.budget_amount,
        budgets.currency as budget_currency,
        coalesce(actuals.x_effective_cost_reporting, 0)
            as x_actual_cost_reporting
    from budgets
    full outer join actuals
        on
            budgets.cost_center = actuals.x_cost_center
            and budgets.budget_month = actuals.billing_month

),

with_forecast as (

    select
        joined.*,
        coalesce(forecasts.x_forecast_cost_reporting, 0)
            as x_forecast_cost_reporting,
        forecasts.forecast_month is not null as has_forecast
    from joined
    left join forecasts
        on
            joined.x_cost_center = forecasts.x_cost_center
            and joined.budget_month = forecasts.forecast_month

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "x_cost_center", "'|'", "cast(budget_month as string)"
        ])) }} as budget_variance_id,
        x_cost_center,

        ---------- strings
        coalesce(budget_currency, '{{ var("reporting_currency") }}')
            as x_reporting_currency,
        case
            when budget_amount is null then 'no_budget'
            when
                x_actual_cost_reporting + x_forecast_cost_reporting > budget_amount
                then 'over_budget'
            else 'within_budget'
        end as budget_status,

        ---------- numerics
        cast(budget_amount as {{ type_money() }}) as x_budget_reporting,
        x_actual_cost_reporting,
        x_forecast_cost_reporting,
        x_actual_cost_reporting + x_forecast_cost_reporting
            as x_projected_cost_reporting,
        x_actual_cost_reporting + x_forecast_cost_reporting - budget_amount
            as x_variance_reporting,
        cast(
            (x_actual_cost_reporting + x_forecast_cost_reporting - budget_amount)
            / nullif(budget_amount, 0) as double
        ) as variance_ratio,

        ---------- booleans
        has_forecast,

        ---------- dates
        budget_month

    from with_forecast

)

select * from final
