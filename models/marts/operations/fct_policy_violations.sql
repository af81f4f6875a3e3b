-- noqa: disable=LT02
-- (Layout: the policy CTEs and their union are written by a Jinja loop.)
{# One row per guardrail policy, subject (resource, owner, observed service
    or Kubernetes node) and month in violation, with the days and the cost
    incurred while in violation. Policies and thresholds: seed
    guardrail_policies; each policy_type is one model (core/policies/), and
    they are unioned here. A violation is ticketed, or goes to the daily digest
    when its cost per violating day is under `digest_max_daily_impact`
    (operations_settings). Incremental by violation month: a month whose
    policy inputs (int_policy_month_inputs: usage line items, observability,
    Kubernetes usage, the inventory through the month) were loaded since it
    was built, or that is new, is rebuilt whole; the others are not read or
    written. Edits to guardrail_policies or the tag seeds need
    `dbt build --full-refresh`. -#}
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_months_to_rebuild(
        'violation_month', ref('int_policy_month_inputs'),
        period='charge_month', built_period='violation_month'
    ) }}",
    **incremental_by_period('violation_month')
) }}
{#- Read once, before the statement: the months to rebuild as literals. -#}
{%- set month_filter = months_to_rebuild_date_filter(
    'charge_date',
    ref('int_policy_month_inputs'),
    period='charge_month',
    built_period='violation_month'
) if is_incremental() else '' -%}
{%- set policy_models = [
    'int_policy_required_tags_days',
    'int_policy_untagged_resource_days',
    'int_policy_owner_spend_days',
    'int_policy_egress_share_months',
    'int_policy_retention_days',
    'int_policy_orphaned_volume_days',
    'int_policy_idle_node_days',
] -%}
with

settings as (

    select * from {{ ref('operations_settings') }}

),

policies as (

    select * from {{ ref('guardrail_policies') }}

),

month_inputs as (

    select * from {{ ref('int_policy_month_inputs') }}

),

{% for model in policy_models %}
{{ model }} as (

    select * from {{ ref(model) }}

),

{% endfor %}
violation_days as (

    {% for model in policy_models -%}
    select * from {{ model }}
    {%- if is_incremental() %}
    where {{ month_filter }}
    {%- endif %}
    {% if not loop.last %}union all
    {% endif %}
    {%- endfor %}

),

monthly as (

    select
        violation_days.policy_id,
        violation_days.subject_type,
        violation_days.subject_id,
        violation_days.x_team,
        violation_days.provider_name,
        violation_days.service_name,
        violation_days.x_environment,
        {{ dbt.date_trunc('month', 'violation_days.charge_date') }}
            as violation_month,
        min(violation_days.charge_date) as first_seen_date,
        max(violation_days.charge_date) as last_seen_date,
        count(distinct violation_days.charge_date) as violating_days,
        sum(violation_days.x_cost_reporting) as x_cost_reporting,
        max(violation_days.violation_detail) as violation_detail,
        max(violation_days.observed_value) as observed_value
    from violation_days
    group by 1, 2, 3, 4, 5, 6, 7, 8

),

monthly_with_inputs as (

    select
        monthly.*,
        month_inputs.x_inputs_loaded_at
    from monthly
    inner join month_inputs
        on cast(monthly.violation_month as date) = month_inputs.charge_month

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "monthly.policy_id", "'|'", "monthly.subject_id", "'|'",
            "coalesce(monthly.x_team, '')", "'|'",
            "cast(monthly.violation_month as string)"
        ])) }} as policy_violation_id,
        monthly.policy_id,
        monthly.subject_id,

        ---------- strings
        policies.policy_type,
        policies.description as policy_description,
        monthly.subject_type,
        monthly.x_team,
        monthly.provider_name,
        monthly.service_name,
        monthly.x_environment,
        monthly.violation_detail,
        case
            when
                monthly.x_cost_reporting is not null
                and monthly.x_cost_reporting / monthly.violating_days
                < settings.digest_max_daily_impact
                then 'digest'
            else 'ticket'
        end as alert_route,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        monthly.violating_days,
        monthly.observed_value,
        cast(policies.threshold as double) as threshold,
        monthly.x_cost_reporting,

        ---------- dates
        monthly.first_seen_date,
        monthly.last_seen_date,
        cast(monthly.violation_month as date) as violation_month,

        ---------- timestamps
        monthly.x_inputs_loaded_at

    from monthly_with_inputs as monthly
    cross join settings
    inner join policies
        on monthly.policy_id = policies.policy_id

)

select * from final
