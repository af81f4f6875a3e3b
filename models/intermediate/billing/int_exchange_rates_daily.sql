with

rates as (

    select * from {{ ref('exchange_rates') }}

),

into_reporting as (

    select
        from_currency,
        rate_date,
        cast(exchange_rate as decimal(18, 8)) as exchange_rate
    from rates
    where to_currency = '{{ var("reporting_currency") }}'

    union all

    select
        to_currency as from_currency,
        rate_date,
        cast(1 / exchange_rate as decimal(18, 8)) as exchange_rate
    from rates
    where from_currency = '{{ var("reporting_currency") }}'

),

bounded as (

    select
        from_currency,
        exchange_rate,
        rate_date as valid_from_date,
        lead(rate_date) over (
            partition by from_currency order by rate_date
        ) as valid_to_date
    from into_reporting

),

days as (

    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('fx_first_date') ~ "' as date)",
        "cast('" ~ var('fx_last_date') ~ "' as date)"
    ) }}

),

daily as (

    select
        bounded.from_currency,
        bounded.exchange_rate,
        cast(days.date_day as date) as rate_date
    from days
    inner join bounded
        on
            cast(days.date_day as date) >= bounded.valid_from_date
            and (
                bounded.valid_to_date is null
                or cast(days.date_day as date) < bounded.valid_to_date
            )

)

select * from daily
