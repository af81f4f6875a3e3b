{#- One row per deployment: its owning team's usage cost (in the reporting
    currency, every provider and service) over the `deploy_window_days` days
    before the deploy day, against the same number of days from the deploy
    day on. A deploy whose windows are not both inside the data (too early,
    too recent, or a team without cost yet) has no change figures and says
    why. What the debug dashboard lists as recent deploys against cost. -#}
with

deploys as (

    select * from {{ ref('stg_telemetry__deployments') }}

),

daily as (

    select * from {{ ref('int_cost_daily_by_owner_service') }}

),

settings as (

    select * from {{ ref('operations_settings') }}

),

deploy_days as (

    select
        deploy_id,
        team,
        cast(deployed_at as date) as deploy_date
    from deploys

),

team_days as (

    select
        x_team,
        charge_date,
        sum(x_effective_cost_reporting) as x_cost_reporting
    from daily
    group by 1, 2

),

windows as (

    select
        deploy_days.deploy_id,
        deploy_days.deploy_date,
        settings.deploy_window_days as window_days,
        count(
            case when team_days.charge_date < deploy_days.deploy_date then 1 end
        ) as days_before,
        count(
            case when team_days.charge_date >= deploy_days.deploy_date then 1 end
        ) as days_after,
        sum(
            case
                when team_days.charge_date < deploy_days.deploy_date
                    then team_days.x_cost_reporting
            end
        ) as x_cost_before_reporting,
        sum(
            case
                when team_days.charge_date >= deploy_days.deploy_date
                    then team_days.x_cost_reporting
            end
        ) as x_cost_after_reporting
    from deploy_days
    cross join settings
    left join team_days
        on
            deploy_days.team = team_days.x_team
            and team_days.charge_date >= {{ dbt.dateadd(
                'day', '-settings.deploy_window_days', 'deploy_days.deploy_date'
            ) }}
            and team_days.charge_date < {{ dbt.dateadd(
                'day', 'settings.deploy_window_days', 'deploy_days.deploy_date'
            ) }}
    group by 1, 2, 3

),

final as (

    select
        ---------- ids
        deploys.deploy_id,

        ---------- strings
        deploys.service_name,
        deploys.team as x_team,
        deploys.environment,
        deploys.deploy_version,
        '{{ var("reporting_currency") }}' as x_reporting_currency,
        case
            when windows.days_before < windows.window_days
                then 'fewer than window_days days of cost before the deploy'
            when windows.days_after < windows.window_days
                then 'fewer than window_days days of cost from the deploy on'
        end as not_compared_reason,

        ---------- numerics
        cast(windows.window_days as bigint) as window_days,
        windows.days_before,
        windows.days_after,
        cast(windows.x_cost_before_reporting as {{ type_money() }})
            as x_cost_before_reporting,
        cast(windows.x_cost_after_reporting as {{ type_money() }})
            as x_cost_after_reporting,
        case
            when
                windows.days_before = windows.window_days
                and windows.days_after = windows.window_days
                then cast(
                    windows.x_cost_after_reporting
                    - windows.x_cost_before_reporting
                    as {{ type_money() }}
                )
        end as x_cost_change_reporting,
        case
            when
                windows.days_before = windows.window_days
                and windows.days_after = windows.window_days
                and windows.x_cost_before_reporting > 0
                then {{ ratio(
                    'windows.x_cost_after_reporting
                    - windows.x_cost_before_reporting',
                    'windows.x_cost_before_reporting'
                ) }}
        end as cost_change_ratio,

        ---------- timestamps
        deploys.deployed_at,
        windows.deploy_date

    from deploys
    inner join windows
        on deploys.deploy_id = windows.deploy_id

)

select * from final
