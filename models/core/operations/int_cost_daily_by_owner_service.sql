{{ config(materialized="table") }}

{#- One row per owner, provider, service and day of usage cost in the
    reporting currency, from each series' first day to the last day of data;
    days without cost are present with 0 (flagged), so baselines see them.
    Owners are the attributed resource owners (before shared-cost allocation):
    the people who can act on a change in consumption. The unused commitment
    in the cost is also shown on its own: it is not consumption (a
    reservation's unused fee arrives once a month), so anomaly scoring leaves
    it out and fct_commitment_coverage_monthly watches it as utilization. -#}
with

line_items as (

    {#- The line items summed per day and owner (int_line_item_totals_daily),
        not one row each: the same sums. -#}
    select
        charge_date,
        x_team,
        provider_name,
        coalesce(service_name, '(no service)') as service_name,
        x_effective_cost_reporting,
        case
            when commitment_discount_status = 'Unused'
                then x_effective_cost_reporting
            else 0
        end as x_unused_commitment_cost_reporting
    from {{ ref('int_line_item_totals_daily') }}
    where charge_category = 'Usage'

),

daily as (

    select
        charge_date,
        x_team,
        provider_name,
        service_name,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        sum(x_unused_commitment_cost_reporting)
            as x_unused_commitment_cost_reporting
    from line_items
    group by 1, 2, 3, 4

),

series as (

    select
        x_team,
        provider_name,
        service_name,
        min(charge_date) as first_date
    from daily
    group by 1, 2, 3

),

data_end as (

    select max(charge_date) as last_date from daily

),

calendar as (

    select calendar_date from {{ ref('int_calendar_days') }}

),

spine as (

    select
        series.x_team,
        series.provider_name,
        series.service_name,
        series.first_date,
        calendar.calendar_date as charge_date
    from series
    cross join data_end
    inner join calendar
        on
            series.first_date <= calendar.calendar_date
            and data_end.last_date >= calendar.calendar_date

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "spine.x_team", "'|'", "spine.provider_name", "'|'",
            "spine.service_name", "'|'", "cast(spine.charge_date as string)"
        ])) }} as cost_series_day_id,

        ---------- strings
        spine.x_team,
        spine.provider_name,
        spine.service_name,

        ---------- numerics
        cast(
            coalesce(daily.x_effective_cost_reporting, 0) as {{ type_money() }}
        ) as x_effective_cost_reporting,
        cast(
            coalesce(daily.x_unused_commitment_cost_reporting, 0)
            as {{ type_money() }}
        ) as x_unused_commitment_cost_reporting,

        ---------- booleans
        daily.charge_date is null as is_filled_day,

        ---------- dates
        spine.first_date as series_first_date,
        spine.charge_date,
        cast({{ dbt.date_trunc('month', 'spine.charge_date') }} as date)
            as charge_month

    from spine
    left join daily
        on
            spine.x_team = daily.x_team
            and spine.provider_name = daily.provider_name
            and spine.service_name = daily.service_name
            and spine.charge_date = daily.charge_date

)

select * from final
