{#- One row per forecast level (total, owner, service), series and future
    day: the forecast usage cost and its prediction interval, in the
    reporting currency. -#}
with

forecasts as (

    select * from {{ ref('int_cost_forecasts_daily') }}

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "forecast_level", "'|'", "coalesce(x_team, '')", "'|'",
            "coalesce(service_name, '')", "'|'", "cast(forecast_date as string)"
        ])) }} as cost_forecast_id,

        ---------- strings
        forecast_level,
        x_team,
        service_name,
        method as forecast_method,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        {{ money_from_cents("forecast") }} as x_forecast_cost_reporting,
        {{ money_from_cents("lower") }} as x_forecast_lower_reporting,
        {{ money_from_cents("upper") }} as x_forecast_upper_reporting,
        cast({{ var('forecast_interval') }} as double) as prediction_interval,
        history_days,

        ---------- dates
        cast(forecast_date as date) as forecast_date,
        cast(made_on as date) as forecast_made_on,
        cast({{ dbt.date_trunc('month', 'forecast_date') }} as date)
            as forecast_month

    from forecasts

)

select * from final
