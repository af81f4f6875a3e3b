{#- A line item whose currency has no rate into the reporting currency on its
    charge date: add the rate to seeds/reference/exchange_rates.csv. -#}
select
    billing_currency,
    cast(charge_period_start as date) as charge_date,
    count(*) as line_items
from {{ ref('fct_billing_line_items') }}
where x_exchange_rate is null
group by 1, 2
