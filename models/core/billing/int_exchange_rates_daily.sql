{#- One row per currency and calendar day: the rate into the reporting currency
    that holds that day. Two sources, the seed first:
    * seeds/reference/exchange_rates.csv: for a currency it lists, its rates
      hold from its first rate_date on (each until the next);
    * the ECB's euro reference rates (stg_reference__ecb_exchange_rates, every
      business day since 1999) for every other currency and day: a rate holds
      until the ECB's next publication of that currency (at most a week),
      cross rates through the euro; a currency the ECB suspended or stopped
      publishing gets no rate in the gap, so a missing rate is reported,
      never an old one reused. -#}
with

seed_rates as (

    select * from {{ ref('exchange_rates') }}

),

seed_into_reporting as (

    select
        from_currency,
        cast(rate_date as date) as rate_date,
        cast(exchange_rate as decimal(18, 8)) as exchange_rate
    from seed_rates
    where to_currency = '{{ var("reporting_currency") }}'

    union all

    select
        to_currency as from_currency,
        cast(rate_date as date) as rate_date,
        cast(1 / exchange_rate as decimal(18, 8)) as exchange_rate
    from seed_rates
    where from_currency = '{{ var("reporting_currency") }}'

),

seed_first_dates as (

    select
        from_currency,
        min(rate_date) as first_rate_date
    from seed_into_reporting
    group by 1

),

ecb_rates as (

    select * from {{ ref('stg_reference__ecb_exchange_rates') }}

),

ecb as (

    select
        rate_date,
        currency,
        units_per_eur
    from ecb_rates

    union all

    select distinct
        rate_date,
        'EUR' as currency,
        cast(1 as decimal(18, 8)) as units_per_eur
    from ecb_rates

),

ecb_last_publication as (

    select max(rate_date) as last_rate_date from ecb

),

ecb_into_reporting as (

    select
        ecb.currency as from_currency,
        ecb.rate_date,
        cast(
            reporting.units_per_eur / ecb.units_per_eur as decimal(18, 8)
        ) as exchange_rate
    from ecb
    inner join ecb as reporting
        on
            ecb.rate_date = reporting.rate_date
            and reporting.currency = '{{ var("reporting_currency") }}'
    left join seed_first_dates
        on ecb.currency = seed_first_dates.from_currency
    where
        ecb.currency != '{{ var("reporting_currency") }}'
        and (
            seed_first_dates.first_rate_date is null
            or ecb.rate_date < seed_first_dates.first_rate_date
        )

),

combined as (

    select
        from_currency,
        rate_date,
        exchange_rate,
        'seed' as rate_source
    from seed_into_reporting

    union all

    select
        from_currency,
        rate_date,
        exchange_rate,
        'ecb' as rate_source
    from ecb_into_reporting

),

next_rates as (

    select
        from_currency,
        exchange_rate,
        rate_source,
        rate_date,
        lead(rate_date) over (
            partition by from_currency order by rate_date
        ) as next_rate_date
    from combined

),

bounded as (

    {#- A seed rate holds until the next. An ECB rate holds until the ECB's
        next rate of the currency, at most a week (weekends and TARGET
        holidays; a currency it suspended or stopped publishing gets no rate
        in the gap), and the latest publication holds on. -#}
    select
        next_rates.from_currency,
        next_rates.exchange_rate,
        next_rates.rate_date as valid_from_date,
        case
            when next_rates.rate_source = 'seed' then next_rates.next_rate_date
            when next_rates.rate_date = ecb_last_publication.last_rate_date
                then next_rates.next_rate_date
            when next_rates.next_rate_date is null
                then {{ dbt.dateadd('day', 1, 'next_rates.rate_date') }}
            else least(
                next_rates.next_rate_date,
                {{ dbt.dateadd('day', 7, 'next_rates.rate_date') }}
            )
        end as valid_to_date
    from next_rates
    cross join ecb_last_publication

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
