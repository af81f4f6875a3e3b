{{ config(materialized='table') }}
{#- Every day the data needs: from the earliest billing or charge period, contract start
    or exchange rate to the latest billing or charge period end or contract end (and the
    vars calendar_first_date / calendar_last_date when set, which can only
    widen it). The one calendar that daily exchange rates, contract
    amortization and the daily cost series share, so no row falls outside it,
    whatever years the exports cover. -#}
with

billing_line_items as (

    select * from {{ ref('int_billing_line_items') }}

),

contracts as (

    select * from {{ ref('contracts') }}

),

exchange_rates as (

    select * from {{ ref('exchange_rates') }}

),

bounds_of_inputs as (

    select
        cast(min(least(billing_period_start, charge_period_start)) as date)
            as first_date,
        cast(max(greatest(billing_period_end, charge_period_end)) as date)
            as last_date
    from billing_line_items

    union all

    select
        cast(min(start_date) as date) as first_date,
        cast(max(end_date) as date) as last_date
    from contracts

    union all

    select
        cast(min(rate_date) as date) as first_date,
        cast(max(rate_date) as date) as last_date
    from exchange_rates

    {%- if var('calendar_first_date', none) or var('calendar_last_date', none) %}

    union all

    select
        {{ "cast('" ~ var('calendar_first_date') ~ "' as date)"
            if var('calendar_first_date', none) else 'cast(null as date)' }}
            as first_date,
        {{ "cast('" ~ var('calendar_last_date') ~ "' as date)"
            if var('calendar_last_date', none) else 'cast(null as date)' }}
            as last_date
    {%- endif %}

),

bounds as (

    select
        coalesce(min(first_date), current_date) as first_date,
        coalesce(max(last_date), current_date) as last_date
    from bounds_of_inputs

),

digits as (

    select numbers.digit
    from (values (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) as numbers (digit)

),

day_numbers as (

    {#- 0 … 99,999: up to 273 years of days. -#}
    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit
        + 10000 * ten_thousands.digit as day_number
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    cross join digits as ten_thousands

),

calendar as (

    select
        cast(
            {{ dbt.dateadd('day', 'day_numbers.day_number', 'bounds.first_date') }}
            as date
        ) as calendar_date
    from day_numbers
    cross join bounds
    where
        day_numbers.day_number
        <= {{ dbt.datediff('bounds.first_date', 'bounds.last_date', 'day') }}

)

select * from calendar
