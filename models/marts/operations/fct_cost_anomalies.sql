{#- One row per anomaly: consecutive anomalous days of one owner x service
    (gaps up to `group_gap_days`) are one event, with its dollar impact, the
    evidence, the maintenance window that suppresses it (if any) and the
    route its alert takes:
      suppressed  inside a planned maintenance window (kept, never alerted)
      digest      the worst day's excess is under `digest_max_daily_impact`
      page        a fast burn: within `page_window_days` of its first day, a
                  day costs >= `page_burn_ratio` x its baseline, or the month
                  is projected to overrun its baseline by >= `page_overrun_pct`
                  (excess so far, baseline for the rest of the month)
      ticket      every other anomaly (slow burns and level shifts) -#}
with

settings as (

    select * from {{ ref('operations_settings') }}

),

scores as (

    select * from {{ ref('int_cost_anomaly_scores_daily') }}

),

windows as (

    select * from {{ ref('maintenance_windows') }}

),

flagged as (

    select
        *,
        lag(charge_date) over (
            partition by x_team, provider_name, service_name
            order by charge_date
        ) as previous_anomalous_date
    from scores
    where is_anomalous

),

numbered as (

    select
        flagged.*,
        sum(
            case
                when flagged.previous_anomalous_date is null then 1
                when {{ dbt.datediff(
                    'flagged.previous_anomalous_date', 'flagged.charge_date', 'day'
                ) }} > settings.group_gap_days + 1 then 1
                else 0
            end
        ) over (
            partition by flagged.x_team, flagged.provider_name, flagged.service_name
            order by flagged.charge_date
            rows between unbounded preceding and current row
        ) as event_number,
        flagged.burn_ratio >= settings.page_burn_ratio
        or flagged.projected_overrun_ratio >= settings.page_overrun_pct / 100.0
            as meets_page_condition
    from flagged
    cross join settings

),

with_event_start as (

    select
        numbered.*,
        min(numbered.charge_date) over (
            partition by
                numbered.x_team, numbered.provider_name, numbered.service_name,
                numbered.event_number
        ) as event_first_date
    from numbered

),

events as (

    select
        with_event_start.x_team,
        with_event_start.provider_name,
        with_event_start.service_name,
        with_event_start.event_number,
        min(with_event_start.charge_date) as first_seen_date,
        max(with_event_start.charge_date) as last_seen_date,
        count(*) as anomalous_days,
        min(
            case
                when
                    with_event_start.meets_page_condition
                    and {{ dbt.datediff(
                        'with_event_start.event_first_date',
                        'with_event_start.charge_date',
                        'day'
                    ) }} <= settings.page_window_days
                    then with_event_start.charge_date
            end
        ) as page_condition_date,
        cast(sum(with_event_start.x_effective_cost_reporting) as {{ type_money() }})
            as x_actual_cost_reporting,
        sum(with_event_start.baseline_cost) as x_baseline_cost_reporting,
        cast(sum(with_event_start.excess_cost) as {{ type_money() }})
            as x_impact_cost_reporting,
        cast(max(with_event_start.excess_cost) as {{ type_money() }})
            as x_peak_daily_impact_reporting,
        max(with_event_start.burn_ratio) as peak_burn_ratio,
        max(with_event_start.robust_z_score) as peak_robust_z_score,
        max(with_event_start.projected_overrun_ratio) as peak_projected_overrun_ratio,
        cast(max(with_event_start.projected_month_cost) as {{ type_money() }})
            as x_projected_month_cost_reporting,
        cast(max(with_event_start.baseline_month_cost) as {{ type_money() }})
            as x_baseline_month_cost_reporting
    from with_event_start
    cross join settings
    group by 1, 2, 3, 4

),

suppression as (

    select
        events.x_team,
        events.provider_name,
        events.service_name,
        events.event_number,
        min(windows.window_id) as maintenance_window_id
    from events
    inner join windows
        on
            (windows.team is null or events.x_team = windows.team)
            and (
                windows.service_name is null
                or events.service_name = windows.service_name
            )
            and events.first_seen_date <= windows.end_date
            and events.last_seen_date >= windows.start_date
    group by 1, 2, 3, 4

),

routed as (

    select
        events.*,
        suppression.maintenance_window_id,
        case
            when suppression.maintenance_window_id is not null then 'suppressed'
            when
                events.x_peak_daily_impact_reporting
                < settings.digest_max_daily_impact
                then 'digest'
            when events.page_condition_date is not null then 'page'
            else 'ticket'
        end as alert_route
    from events
    cross join settings
    left join suppression
        on
            events.x_team = suppression.x_team
            and events.provider_name = suppression.provider_name
            and events.service_name = suppression.service_name
            and events.event_number = suppression.event_number

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "x_team", "'|'", "provider_name", "'|'", "service_name", "'|'",
            "cast(first_seen_date as string)"
        ])) }} as anomaly_id,
        maintenance_window_id,

        ---------- strings
        x_team,
        provider_name,
        service_name,
        alert_route,
        case alert_route
            when 'page' then 'critical'
            when 'ticket' then 'warning'
            when 'digest' then 'info'
            else 'none'
        end as alert_severity,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        anomalous_days,
        x_actual_cost_reporting,
        x_baseline_cost_reporting,
        x_impact_cost_reporting,
        x_peak_daily_impact_reporting,
        x_projected_month_cost_reporting,
        x_baseline_month_cost_reporting,
        peak_burn_ratio,
        peak_robust_z_score,
        peak_projected_overrun_ratio,

        ---------- booleans
        maintenance_window_id is not null as is_suppressed,

        ---------- dates
        first_seen_date,
        last_seen_date,
        case
            when alert_route = 'page' then page_condition_date
            when alert_route in ('ticket', 'digest') then first_seen_date
        end as alert_date,
        cast({{ dbt.date_trunc('month', 'first_seen_date') }} as date)
            as first_seen_month

    from routed

)

select * from final
