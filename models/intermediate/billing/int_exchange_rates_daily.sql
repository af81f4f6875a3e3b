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

    select * from {{ ref('int_calendar_days') }}

),

daily as (

    select
        bounded.from_currency,
        bounded.exchange_rate,
        days.calendar_date as rate_date
    from days
    inner join bounded
        on
            days.calendar_date >= bounded.valid_from_date
            and (
                bounded.valid_to_date is null
                or days.calendar_date < bounded.valid_to_date
            )

)

select * from daily
