{#- Each owner x service day's consumption (usage cost without unused
    commitment) scored against a robust baseline: the median of
    the same kind of day (weekday or weekend) over the trailing
    `baseline_days`, and the median absolute deviation (MAD) around it.
    robust z = (actual - baseline) / max(1.4826 * MAD, 5% of baseline, 1).
    A day is anomalous when the series is old enough, the z score, the excess
    and the ratio all pass the thresholds of seed operations_settings.
    The month-to-date overrun is the month's cumulative excess over the
    baseline against the projected baseline month. -#}
with

settings as (

    select * from {{ ref('operations_settings') }}

),

series as (

    {#- Consumption only: unused commitment is not an owner's usage. -#}
    select
        cost_series_day_id,
        x_team,
        provider_name,
        service_name,
        x_effective_cost_reporting - x_unused_commitment_cost_reporting
            as x_effective_cost_reporting,
        is_filled_day,
        series_first_date,
        charge_date,
        charge_month,
        {{ iso_day_of_week('charge_date') }} >= 6 as is_weekend
    from {{ ref('int_cost_daily_by_owner_service') }}

),

history as (

    select
        current_day.cost_series_day_id,
        past_day.x_effective_cost_reporting as history_cost
    from series as current_day
    cross join settings
    inner join series as past_day
        on
            current_day.x_team = past_day.x_team
            and current_day.provider_name = past_day.provider_name
            and current_day.service_name = past_day.service_name
            and current_day.is_weekend = past_day.is_weekend
            and current_day.charge_date > past_day.charge_date
            and past_day.charge_date >= {{ dbt.dateadd(
                'day', '-settings.baseline_days', 'current_day.charge_date'
            ) }}

),

medians as (

    select
        cost_series_day_id,
        count(*) as history_points,
        cast({{ median('history_cost') }} as {{ type_money() }}) as baseline_cost
    from history
    group by 1

),

deviations as (

    select
        history.cost_series_day_id,
        cast(
            {{ median('abs(history.history_cost - medians.baseline_cost)') }}
            as {{ type_money() }}
        ) as median_absolute_deviation
    from history
    inner join medians
        on history.cost_series_day_id = medians.cost_series_day_id
    group by 1

),

scored as (

    select
        series.*,
        medians.history_points,
        medians.baseline_cost,
        deviations.median_absolute_deviation,
        {{ dbt.datediff('series.series_first_date', 'series.charge_date', 'day') }}
            as series_age_days,
        series.x_effective_cost_reporting
        - coalesce(medians.baseline_cost, series.x_effective_cost_reporting)
            as excess_cost,
        greatest(
            1.4826 * deviations.median_absolute_deviation,
            0.05 * medians.baseline_cost,
            1
        ) as noise_scale
    from series
    left join medians
        on series.cost_series_day_id = medians.cost_series_day_id
    left join deviations
        on series.cost_series_day_id = deviations.cost_series_day_id

),

with_month as (

    select
        scored.*,
        sum(scored.excess_cost) over (
            partition by
                scored.x_team, scored.provider_name, scored.service_name,
                scored.charge_month
            order by scored.charge_date
            rows between unbounded preceding and current row
        ) as month_to_date_excess_cost,
        sum(coalesce(scored.baseline_cost, scored.x_effective_cost_reporting))
            over (
                partition by
                    scored.x_team, scored.provider_name, scored.service_name,
                    scored.charge_month
                order by scored.charge_date
                rows between unbounded preceding and current row
            ) as month_to_date_baseline_cost,
        {{ dbt.datediff(
            'scored.charge_date',
            dbt.last_day('scored.charge_date', 'month'),
            'day'
        ) }} as remaining_days_in_month
    from scored

),

final as (

    select
        with_month.cost_series_day_id,
        with_month.x_team,
        with_month.provider_name,
        with_month.service_name,
        with_month.x_effective_cost_reporting,
        with_month.baseline_cost,
        with_month.median_absolute_deviation,
        with_month.excess_cost,
        cast(
            with_month.excess_cost / with_month.noise_scale as double
        ) as robust_z_score,
        cast(
            with_month.x_effective_cost_reporting
            / nullif(with_month.baseline_cost, 0) as double
        ) as burn_ratio,
        with_month.month_to_date_baseline_cost
        + with_month.remaining_days_in_month * coalesce(
            with_month.baseline_cost, with_month.x_effective_cost_reporting
        ) as baseline_month_cost,
        with_month.month_to_date_baseline_cost
        + with_month.month_to_date_excess_cost
        + with_month.remaining_days_in_month * coalesce(
            with_month.baseline_cost, with_month.x_effective_cost_reporting
        ) as projected_month_cost,
        with_month.history_points,
        with_month.series_age_days,
        with_month.is_filled_day,
        with_month.is_weekend,
        coalesce(
            with_month.series_age_days >= settings.min_history_days
            and with_month.history_points >= settings.min_history_points
            and with_month.excess_cost >= settings.min_daily_impact
            and with_month.excess_cost / with_month.noise_scale
            >= settings.robust_z_threshold
            and (
                with_month.baseline_cost <= 0
                or with_month.x_effective_cost_reporting
                >= settings.min_ratio * with_month.baseline_cost
            ),
            false
        ) as is_anomalous,
        with_month.charge_date,
        with_month.charge_month
    from with_month
    cross join settings

)

select
    *,
    cast(
        (projected_month_cost - baseline_month_cost)
        / nullif(baseline_month_cost, 0) as double
    ) as projected_overrun_ratio
from final
