{#- Every billing account has data for every month between its first and its
    last billing period: a month in between with no rows is a delivery that
    never arrived (or was lost), an error rather than an empty success.
    (An account whose deliveries stop altogether is caught by the sources'
    freshness thresholds: `dbt source freshness`.) -#}
with

periods as (

    select distinct
        provider_name,
        billing_account_id,
        cast(billing_period_start as date) as billing_month
    from {{ ref('fct_billing_line_items') }}

),

bounds as (

    select
        provider_name,
        billing_account_id,
        min(billing_month) as first_month,
        max(billing_month) as last_month
    from periods
    group by 1, 2

),

months as (

    select distinct
        cast({{ dbt.date_trunc('month', 'calendar_date') }} as date) as calendar_month
    from {{ ref('int_calendar_days') }}

),

expected as (

    select
        bounds.provider_name,
        bounds.billing_account_id,
        months.calendar_month as billing_month
    from bounds
    inner join months
        on
            bounds.first_month <= months.calendar_month
            and bounds.last_month >= months.calendar_month

)

select
    expected.provider_name,
    expected.billing_account_id,
    expected.billing_month as missing_billing_month
from expected
left join periods
    on
        expected.billing_account_id = periods.billing_account_id
        and expected.provider_name = periods.provider_name
        and expected.billing_month = periods.billing_month
where periods.billing_month is null
