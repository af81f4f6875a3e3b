{#- One row per cost series (owner, provider, service) and day: the day's
    cost against its baseline (the trailing median of int_cost_anomaly_scores_daily),
    the burn ratio, the month's projection against the baseline month, and
    whether the day crosses a page threshold of operations_settings: a day at
    `page_burn_ratio` x its baseline or more, or a month projected to overrun
    its baseline by `page_overrun_pct` % or more. What the on-call dashboard
    plots. -#}
with

scores as (

    select * from {{ ref('int_cost_anomaly_scores_daily') }}

),

settings as (

    select * from {{ ref('operations_settings') }}

),

final as (

    select
        ---------- ids
        scores.cost_series_day_id as cost_burn_daily_id,

        ---------- strings
        scores.x_team,
        scores.provider_name,
        scores.service_name,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        scores.x_effective_cost_reporting,
        scores.baseline_cost as x_baseline_cost_reporting,
        scores.projected_month_cost as x_projected_month_cost_reporting,
        scores.baseline_month_cost as x_baseline_month_cost_reporting,
        scores.burn_ratio,
        scores.projected_overrun_ratio,
        cast(settings.page_burn_ratio as double) as page_burn_ratio,
        cast(settings.page_overrun_pct as double) / 100.0 as page_overrun_ratio,

        ---------- booleans
        coalesce(scores.burn_ratio >= settings.page_burn_ratio, false)
            as is_page_burn,
        coalesce(
            scores.projected_overrun_ratio >= settings.page_overrun_pct / 100.0,
            false
        ) as is_page_overrun,
        scores.is_filled_day,

        ---------- dates
        scores.charge_date,
        scores.charge_month

    from scores
    cross join settings

)

select * from final
