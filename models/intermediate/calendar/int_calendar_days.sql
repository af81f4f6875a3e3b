{{ config(materialized='table') }}
{#- Every day between the vars calendar_first_date and calendar_last_date: the
    one calendar that daily exchange rates and contract amortization share. -#}
with

days as (

    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('calendar_first_date') ~ "' as date)",
        "cast('" ~ var('calendar_last_date') ~ "' as date)"
    ) }}

),

calendar as (

    select cast(date_day as date) as calendar_date
    from days

)

select * from calendar
