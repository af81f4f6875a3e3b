{#- One row per alert: cost anomalies (not suppressed by a maintenance
    window) and guardrail policy violations, with severity, route (page,
    ticket, digest), owner, service, the evidence and the day it fires.
    Digest alerts carry the key of the daily digest they are grouped into
    (one digest per owner and day). -#}
with

anomalies as (

    select * from {{ ref('fct_cost_anomalies') }}
    where not is_suppressed

),

violations as (

    select * from {{ ref('fct_policy_violations') }}

),

anomaly_alerts as (

    select
        anomaly_id as alert_source_id,
        'cost_anomaly' as alert_type,
        alert_route,
        alert_severity,
        x_team,
        provider_name,
        service_name,
        'Cost of ' || service_name || ' for ' || x_team || ' at '
        || coalesce(
            cast(round(peak_burn_ratio, 1) as string) || 'x its baseline',
            'new spend over a zero baseline'
        )
        || '; impact '
        || cast(round(x_impact_cost_reporting, 2) as string) || ' '
        || x_reporting_currency as alert_summary,
        x_reporting_currency,
        x_baseline_cost_reporting,
        x_actual_cost_reporting,
        x_impact_cost_reporting,
        x_projected_month_cost_reporting,
        x_baseline_month_cost_reporting,
        peak_burn_ratio,
        peak_projected_overrun_ratio,
        first_seen_date,
        alert_date
    from anomalies

),

violation_alerts as (

    select
        policy_violation_id as alert_source_id,
        'policy_violation' as alert_type,
        alert_route,
        case alert_route when 'ticket' then 'warning' else 'info' end
            as alert_severity,
        coalesce(x_team, 'unmapped') as x_team,
        provider_name,
        service_name,
        policy_id || ' ' || policy_type || ': ' || subject_id || ' ('
        || violation_detail || ')' as alert_summary,
        x_reporting_currency,
        cast(null as {{ type_money() }}) as x_baseline_cost_reporting,
        x_cost_reporting as x_actual_cost_reporting,
        x_cost_reporting as x_impact_cost_reporting,
        cast(null as {{ type_money() }}) as x_projected_month_cost_reporting,
        cast(null as {{ type_money() }}) as x_baseline_month_cost_reporting,
        cast(null as double) as peak_burn_ratio,
        cast(null as double) as peak_projected_overrun_ratio,
        first_seen_date,
        first_seen_date as alert_date
    from violations

),

unioned as (

    select * from anomaly_alerts
    union all
    select * from violation_alerts

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat(["alert_type", "'|'", "alert_source_id"])) }}
            as alert_id,
        alert_source_id,
        case
            when alert_route = 'digest'
                then {{ dbt.hash(dbt.concat([
                    "x_team", "'|'", "cast(alert_date as string)"
                ])) }}
        end as digest_id,

        ---------- strings
        alert_type,
        alert_route,
        alert_severity,
        x_team,
        provider_name,
        service_name,
        alert_summary,
        x_reporting_currency,

        ---------- numerics
        x_baseline_cost_reporting,
        x_actual_cost_reporting,
        x_impact_cost_reporting,
        x_projected_month_cost_reporting,
        x_baseline_month_cost_reporting,
        peak_burn_ratio,
        peak_projected_overrun_ratio,

        ---------- dates
        first_seen_date,
        alert_date

    from unioned

)

select * from final
