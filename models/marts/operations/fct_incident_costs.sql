{#- One row per incident and resource: spend during the incident window
    against the resource's own baseline (median daily cost over the
    `incident_baseline_days` before the window, times the window's days), by
    owner, for postmortems. A resource with no cost before the window (spun up
    by the incident) has a baseline of 0. Windows are [started_at, ended_at);
    a charge day counts when it overlaps the window. Only the line items
    of the days some incident covers are read
    (incident_charge_period_filter()). -#}
with

settings as (

    select * from {{ ref('operations_settings') }}

),

incidents as (

    select
        incident_id,
        title,
        team,
        service_name,
        started_at,
        ended_at,
        cast(started_at as date) as first_date,
        cast({{ dbt.dateadd('second', -1, 'ended_at') }} as date) as last_date,
        cast({{ dbt.datediff(
            'cast(started_at as date)',
            'cast(' ~ dbt.dateadd('second', -1, 'ended_at') ~ ' as date)',
            'day'
        ) }} + 1 as bigint) as incident_days
    from {{ ref('incidents') }}

),

line_items as (

    select
        coalesce(resource_id, '(no resource)') as resource_id,
        x_team,
        provider_name,
        service_name,
        cast(charge_period_start as date) as charge_date,
        x_effective_cost_reporting
    from {{ ref('fct_billing_line_items') }}
    where
        charge_category = 'Usage'
        and {{ incident_charge_period_filter() }}

),

in_scope as (

    select
        incidents.incident_id,
        incidents.first_date,
        incidents.last_date,
        line_items.resource_id,
        line_items.x_team,
        line_items.provider_name,
        line_items.service_name,
        line_items.charge_date,
        sum(line_items.x_effective_cost_reporting) as x_cost_reporting
    from incidents
    cross join settings
    inner join line_items
        on
            (incidents.team is null or incidents.team = line_items.x_team)
            and (
                incidents.service_name is null
                or incidents.service_name = line_items.service_name
            )
            and incidents.last_date >= line_items.charge_date
            and {{ dbt.dateadd(
                'day', '-settings.incident_baseline_days', 'incidents.first_date'
            ) }} <= line_items.charge_date
    group by 1, 2, 3, 4, 5, 6, 7, 8

),

during as (

    select
        incident_id,
        resource_id,
        x_team,
        provider_name,
        service_name,
        sum(x_cost_reporting) as x_incident_cost_reporting
    from in_scope
    where charge_date >= first_date
    group by 1, 2, 3, 4, 5

),

before as (

    select
        incident_id,
        resource_id,
        x_team,
        provider_name,
        service_name,
        count(*) as baseline_days_with_cost,
        cast({{ median('x_cost_reporting') }} as {{ type_money() }})
            as x_baseline_daily_cost_reporting
    from in_scope
    where charge_date < first_date
    group by 1, 2, 3, 4, 5

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "during.incident_id", "'|'", "during.resource_id", "'|'",
            "during.x_team", "'|'", "during.provider_name", "'|'",
            "coalesce(during.service_name, '')"
        ])) }} as incident_cost_id,
        during.incident_id,
        during.resource_id,

        ---------- strings
        incidents.title as incident_title,
        during.x_team,
        during.provider_name,
        during.service_name,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        incidents.incident_days,
        coalesce(before.baseline_days_with_cost, 0) as baseline_days_with_cost,
        during.x_incident_cost_reporting,
        cast(
            coalesce(before.x_baseline_daily_cost_reporting, 0)
            * incidents.incident_days
            as {{ type_money() }}
        ) as x_baseline_cost_reporting,
        cast(
            during.x_incident_cost_reporting
            - coalesce(before.x_baseline_daily_cost_reporting, 0)
            * incidents.incident_days
            as {{ type_money() }}
        ) as x_incident_delta_reporting,

        ---------- timestamps
        incidents.started_at,
        incidents.ended_at

    from during
    inner join incidents
        on during.incident_id = incidents.incident_id
    left join before
        on
            during.incident_id = before.incident_id
            and during.resource_id = before.resource_id
            and during.x_team = before.x_team
            and during.provider_name = before.provider_name
            and during.service_name is not distinct from before.service_name

)

select * from final
