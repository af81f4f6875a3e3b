{#- One row per forecast level, series and backtest month: the month's
    forecast made at its first day from the data before it, the actual, the
    absolute percentage error |forecast - actual| / actual, and the series'
    MAPE over all its backtest months. Months that overlap an incident of the
    series (seed incidents) are flagged: their error is the incident's. -#}
with

backtests as (

    select * from {{ ref('int_cost_forecast_backtests') }}

),

incidents as (

    select * from {{ ref('incidents') }}

),

errors as (

    select
        forecast_level,
        x_team,
        service_name,
        cast(backtest_month as date) as backtest_month,
        method,
        history_days,
        {{ money_from_cents("forecast_cost") }} as x_forecast_cost_reporting,
        {{ money_from_cents("actual_cost") }} as x_actual_cost_reporting,
        case
            when actual_cost > 0
                then abs(forecast_cost - actual_cost) / actual_cost
        end as absolute_percentage_error
    from backtests

),

incident_months as (

    select
        errors.forecast_level,
        errors.x_team,
        errors.service_name,
        errors.backtest_month,
        count(*) as incident_count
    from errors
    inner join incidents
        on
            cast(incidents.started_at as date)
            <= {{ dbt.last_day('errors.backtest_month', 'month') }}
            and cast(incidents.ended_at as date) >= errors.backtest_month
            and (
                errors.forecast_level = 'total'
                or (
                    errors.forecast_level = 'owner'
                    and (incidents.team is null or errors.x_team = incidents.team)
                )
                or (
                    errors.forecast_level = 'service'
                    and (
                        incidents.service_name is null
                        or errors.service_name = incidents.service_name
                    )
                )
            )
    group by 1, 2, 3, 4

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "errors.forecast_level", "'|'", "coalesce(errors.x_team, '')", "'|'",
            "coalesce(errors.service_name, '')", "'|'",
            "cast(errors.backtest_month as string)"
        ])) }} as forecast_accuracy_id,

        ---------- strings
        errors.forecast_level,
        errors.x_team,
        errors.service_name,
        errors.method as forecast_method,
        case
            when errors.absolute_percentage_error is null
                then 'actual cost is zero: percentage error undefined'
        end as error_null_reason,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        errors.history_days,
        errors.x_forecast_cost_reporting,
        errors.x_actual_cost_reporting,
        cast(
            errors.x_forecast_cost_reporting - errors.x_actual_cost_reporting
            as {{ type_money() }}
        ) as x_forecast_error_reporting,
        errors.absolute_percentage_error,
        avg(errors.absolute_percentage_error) over (
            partition by errors.forecast_level, errors.x_team, errors.service_name
        ) as series_mape,
        coalesce(incident_months.incident_count, 0) as incident_count,

        ---------- booleans
        incident_months.incident_count is not null as has_incident,

        ---------- dates
        errors.backtest_month

    from errors
    left join incident_months
        on
            errors.forecast_level = incident_months.forecast_level
            and errors.x_team is not distinct from incident_months.x_team
            and errors.service_name is not distinct from incident_months.service_name
            and errors.backtest_month = incident_months.backtest_month

)

select * from final
