{#- One row per KPI of the ITFM measurement table and month with a value:
    numerator, denominator and value (numerator / denominator, or a count),
    or a reason it is not available. Formulas are documented in seed
    kpi_targets; each KPI is one block below. -#}
with

cost_anomalies as (

    select * from {{ ref('fct_cost_anomalies') }}

),

ci_builds as (

    select * from {{ ref('stg_telemetry__ci_builds') }}

),

ci_runner_rates as (

    select * from {{ ref('ci_runner_rates') }}

),

policy_violations as (

    select * from {{ ref('fct_policy_violations') }}

),

usage_costs as (

    select
        charge_month,
        sum(x_effective_cost_reporting) as x_usage_cost_reporting
    from {{ ref('int_cost_daily_by_owner_service') }}
    group by 1

),

usage_lines as (

    {#- Usage cost summed by every column the KPIs below group or join on
        (they only sum it), from the daily totals
        (int_line_item_totals_daily), not one row per line item: three of
        them read this CTE, so it is materialized. -#}
    select
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as charge_month,
        provider_name,
        region_id,
        x_environment,
        service_category,
        service_subcategory,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from {{ ref('int_line_item_totals_daily') }}
    where charge_category = 'Usage'
    group by 1, 2, 3, 4, 5, 6

),

-- M1, M2: product cost over days with business metrics
unit_costs as (

    select
        charge_month,
        sum(x_matched_cost_reporting) as x_matched_cost_reporting,
        sum(transactions) as transactions,
        {#- Summed as decimals: a sum of doubles depends on the order rows
            arrive in, and the KPI would differ between identical builds. -#}
        sum(cast(average_daily_active_users as decimal(38, 10)))
            as average_daily_active_users
    from {{ ref('fct_unit_costs_monthly') }}
    where metric_days > 0
    group by 1

),

m1 as (

    select
        'M1' as kpi_id,
        charge_month as kpi_month,
        x_matched_cost_reporting as numerator,
        cast(transactions as {{ type_money() }}) as denominator
    from unit_costs

),

m2 as (

    select
        'M2' as kpi_id,
        charge_month as kpi_month,
        x_matched_cost_reporting as numerator,
        cast(average_daily_active_users as {{ type_money() }}) as denominator
    from unit_costs

),

-- M3: feature cost per feature use
m3 as (

    select
        'M3' as kpi_id,
        charge_month as kpi_month,
        sum(x_feature_cost_reporting) as numerator,
        cast(sum(feature_uses) as {{ type_money() }}) as denominator
    from {{ ref('fct_feature_costs_monthly') }}
    group by 1, 2

),

-- M4: unmapped share
m4 as (

    select
        'M4' as kpi_id,
        billing_month as kpi_month,
        sum(x_unmapped_effective_cost_reporting) as numerator,
        sum(x_effective_cost_reporting) as denominator
    from {{ ref('fct_unmapped_cost_monthly') }}
    group by 1, 2

),

-- M5: material anomalies (paged or ticketed) first seen in the month
m5 as (

    select
        'M5' as kpi_id,
        usage_costs.charge_month as kpi_month,
        cast(count(anomalies.anomaly_id) as {{ type_money() }}) as numerator,
        cast(null as {{ type_money() }}) as denominator
    from usage_costs
    left join cost_anomalies as anomalies
        on
            usage_costs.charge_month = anomalies.first_seen_month
            and anomalies.alert_route in ('page', 'ticket')
    group by 1, 2

),

-- M6: observability share of usage cost
m6 as (

    select
        'M6' as kpi_id,
        charge_month as kpi_month,
        sum(
            case
                when service_subcategory = 'Observability'
                    then x_effective_cost_reporting
                else 0
            end
        ) as numerator,
        sum(x_effective_cost_reporting) as denominator
    from usage_lines
    group by 1, 2

),

-- M7: commitment coverage
m7 as (

    select
        'M7' as kpi_id,
        charge_month as kpi_month,
        sum(x_committed_usage_cost_reporting) as numerator,
        sum(x_committed_usage_cost_reporting + x_on_demand_eligible_cost_reporting)
            as denominator
    from {{ ref('fct_commitment_coverage_monthly') }}
    group by 1, 2

),

-- M8: reliability (redundancy, disaster recovery) share of usage cost
reliability as (

    select * from {{ ref('reliability_resources') }}

),

usage_groups as (

    select
        charge_month,
        provider_name,
        region_id,
        x_environment,
        service_category,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from usage_lines
    group by 1, 2, 3, 4, 5

),

reliability_lines as (

    {#- one row per usage group (its key is unique), however many rules match -#}
    select
        usage_groups.charge_month,
        usage_groups.provider_name,
        usage_groups.region_id,
        usage_groups.x_environment,
        usage_groups.service_category,
        usage_groups.x_effective_cost_reporting,
        max(
            case when reliability.rule_id is not null then 1 else 0 end
        ) as is_reliability
    from usage_groups
    left join reliability
        on
            usage_groups.provider_name = reliability.provider_name
            and usage_groups.region_id = reliability.region_id
            and usage_groups.x_environment = reliability.environment
            and (
                reliability.service_category is null
                or usage_groups.service_category = reliability.service_category
            )
    group by 1, 2, 3, 4, 5, 6

),

m8 as (

    select
        'M8' as kpi_id,
        charge_month as kpi_month,
        sum(is_reliability * x_effective_cost_reporting) as numerator,
        sum(x_effective_cost_reporting) as denominator
    from reliability_lines
    group by 1, 2

),

-- M9: egress share (the egress scope of guardrail policy egress_share_ceiling)
egress_scope as (

    select distinct scope as service_category
    from {{ ref('guardrail_policies') }}
    where policy_type = 'egress_share_ceiling'

),

m9 as (

    select
        'M9' as kpi_id,
        usage_lines.charge_month as kpi_month,
        sum(
            case
                when egress_scope.service_category is not null
                    then usage_lines.x_effective_cost_reporting
                else 0
            end
        ) as numerator,
        sum(usage_lines.x_effective_cost_reporting) as denominator
    from usage_lines
    left join egress_scope
        on usage_lines.service_category = egress_scope.service_category
    group by 1, 2

),

-- M10: CI runner cost per build
m10 as (

    select
        'M10' as kpi_id,
        cast({{ dbt.date_trunc('month', 'builds.started_at') }} as date)
            as kpi_month,
        cast(
            sum(builds.billable_minutes * rates.price_per_minute)
            as {{ type_money() }}
        ) as numerator,
        cast(count(*) as {{ type_money() }}) as denominator
    from ci_builds as builds
    inner join ci_runner_rates as rates
        on builds.runner_type = rates.runner_type
    group by 1, 2

),

-- M11: Kubernetes workload cost per pod-hour (idle capacity excluded)
m11 as (

    select
        'M11' as kpi_id,
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as kpi_month,
        sum(x_effective_cost_reporting) as numerator,
        cast(sum(pod_hours) as {{ type_money() }}) as denominator
    from {{ ref('fct_k8s_cost_daily') }}
    where x_team != 'idle'
    group by 1, 2

),

-- M12: waste share of usage cost
waste as (

    select
        charge_month,
        sum(x_waste_cost_reporting) as x_waste_cost_reporting
    from {{ ref('fct_waste_daily') }}
    group by 1

),

m12 as (

    select
        'M12' as kpi_id,
        usage_costs.charge_month as kpi_month,
        coalesce(waste.x_waste_cost_reporting, 0) as numerator,
        usage_costs.x_usage_cost_reporting as denominator
    from usage_costs
    left join waste
        on usage_costs.charge_month = waste.charge_month

),

-- M13: error of the month's total forecast made at its start
m13 as (

    select
        'M13' as kpi_id,
        backtest_month as kpi_month,
        abs(x_forecast_error_reporting) as numerator,
        x_actual_cost_reporting as denominator
    from {{ ref('fct_forecast_accuracy_monthly') }}
    where forecast_level = 'total'

),

-- M14: chargeback variance against the general ledger
m14 as (

    select
        'M14' as kpi_id,
        billing_month as kpi_month,
        sum(abs(x_variance_reporting)) as numerator,
        sum(x_posted_cost_reporting) as denominator
    from {{ ref('fct_chargeback_variance_monthly') }}
    where x_posted_cost_reporting is not null
    group by 1, 2

),

-- M15: guardrail policy violations (policy x subject) in the month
m15 as (

    select
        'M15' as kpi_id,
        usage_costs.charge_month as kpi_month,
        cast(count(violations.policy_violation_id) as {{ type_money() }})
            as numerator,
        cast(null as {{ type_money() }}) as denominator
    from usage_costs
    left join policy_violations as violations
        on usage_costs.charge_month = violations.violation_month
    group by 1, 2

),

unioned as (

    {% for kpi in range(1, 16) -%}
        select * from m{{ kpi }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select
    kpi_id,
    cast(kpi_month as date) as kpi_month,
    cast(numerator as {{ type_money() }}) as numerator,
    cast(denominator as {{ type_money() }}) as denominator
from unioned
