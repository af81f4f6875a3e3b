{#- The daily usage cost series the forecasts are made from, at three
    levels: in total, per owner and per service (reporting currency). -#}
with

daily as (

    select * from {{ ref('int_cost_daily_by_owner_service') }}

),

total as (

    select
        'total' as forecast_level,
        cast(null as string) as x_team,
        cast(null as string) as service_name,
        charge_date,
        sum(x_effective_cost_reporting) as usage_cost
    from daily
    group by 1, 2, 3, 4

),

by_owner as (

    select
        'owner' as forecast_level,
        x_team,
        cast(null as string) as service_name,
        charge_date,
        sum(x_effective_cost_reporting) as usage_cost
    from daily
    group by 1, 2, 3, 4

),

by_service as (

    select
        'service' as forecast_level,
        cast(null as string) as x_team,
        service_name,
        charge_date,
        sum(x_effective_cost_reporting) as usage_cost
    from daily
    group by 1, 2, 3, 4

),

unioned as (

    select * from total
    union all
    select * from by_owner
    union all
    select * from by_service

)

select
    forecast_level,
    x_team,
    service_name,
    charge_date,
    cast(usage_cost as double) as usage_cost
from unioned
