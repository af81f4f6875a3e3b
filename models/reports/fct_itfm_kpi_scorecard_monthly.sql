{#- One row per month and KPI of the ITFM measurement table (M1-M15): the
    value, its target (seed kpi_targets) and a status:
      ok / warn / breach  against the target; warn within `warn_margin` of it
      not available       no value (with the reason) or, for month-over-month
                          targets, no previous month to compare with
    Target types: max (value <= target_high), min (value >= target_low),
    range (between both), max_mom_change (value rises no more than
    target_high against the previous month). -#}
with

targets as (

    select * from {{ ref('kpi_targets') }}

),

months as (

    select distinct billing_month as kpi_month
    from {{ ref('fct_chargeback_statements_monthly') }}

),

data_end as (

    select max(charge_date) as last_date
    from {{ ref('int_cost_daily_by_owner_service') }}

),

values_ as (

    select * from {{ ref('rpt_kpi_values_monthly') }}

),

grid as (

    select
        months.kpi_month,
        targets.*,
        values_.numerator,
        values_.denominator,
        cast(
            case
                when targets.unit = 'count' then values_.numerator
                else values_.numerator / nullif(values_.denominator, 0)
            end as {{ type_money() }}
        ) as kpi_value,
        case
            when values_.kpi_id is null then 'no input data for the month'
            when targets.unit != 'count' and values_.denominator is null
                then 'no denominator for the month'
            when targets.unit != 'count' and values_.denominator = 0
                then 'denominator is zero'
        end as value_null_reason,
        {{ dbt.last_day('months.kpi_month', 'month') }} <= data_end.last_date
            as is_complete_month
    from months
    cross join targets
    cross join data_end
    left join values_
        on
            months.kpi_month = values_.kpi_month
            and targets.kpi_id = values_.kpi_id

),

with_previous as (

    select
        grid.*,
        lag(grid.kpi_value) over (
            partition by grid.kpi_id order by grid.kpi_month
        ) as previous_value
    from grid

),

measured as (

    select
        with_previous.*,
        case
            when with_previous.target_type = 'max_mom_change'
                then cast(
                    with_previous.kpi_value
                    / nullif(with_previous.previous_value, 0) - 1 as double
                )
            else cast(with_previous.kpi_value as double)
        end as measured_value
    from with_previous

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "kpi_id", "'|'", "cast(kpi_month as string)"
        ])) }} as kpi_scorecard_id,
        kpi_id,

        ---------- strings
        kpi_name,
        unit as kpi_unit,
        target_type,
        description as kpi_definition,
        case
            when kpi_value is null then 'not available'
            when measured_value is null then 'not available'
            when target_type in ('max', 'max_mom_change')
                then
                    case
                        when measured_value <= target_high then 'ok'
                        when measured_value <= target_high + warn_margin then 'warn'
                        else 'breach'
                    end
            when target_type = 'min'
                then
                    case
                        when measured_value >= target_low then 'ok'
                        when measured_value >= target_low - warn_margin then 'warn'
                        else 'breach'
                    end
            when target_type = 'range'
                then
                    case
                        when measured_value between target_low and target_high
                            then 'ok'
                        when
                            measured_value
                            between target_low - warn_margin
                            and target_high + warn_margin
                            then 'warn'
                        else 'breach'
                    end
        end as kpi_status,
        coalesce(
            value_null_reason,
            case
                when measured_value is null
                    then 'no previous month to compare with'
            end
        ) as not_available_reason,
        case when unit = 'currency' then '{{ var("reporting_currency") }}' end
            as x_reporting_currency,

        ---------- numerics
        numerator,
        denominator,
        kpi_value,
        previous_value,
        measured_value,
        cast(target_low as double) as target_low,
        cast(target_high as double) as target_high,
        cast(warn_margin as double) as warn_margin,

        ---------- booleans
        is_complete_month,

        ---------- dates
        kpi_month

    from measured

)

select * from final
