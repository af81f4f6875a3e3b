{#- The daily cost by owner (built incrementally by billing month) holds every
    allocated dollar once: per billing month and currency, its billed and
    effective cost, in billing and reporting currency, equal the allocated
    fact's exactly. A month the incremental build missed or doubled fails. -#}
with

allocated as (

    select
        billing_month,
        billing_currency,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(x_billed_cost_reporting) as x_billed_cost_reporting,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from {{ ref('fct_cost_allocated') }}
    group by 1, 2

),

daily as (

    select
        billing_month,
        billing_currency,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(x_billed_cost_reporting) as x_billed_cost_reporting,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting
    from {{ ref('fct_cost_daily_by_owner') }}
    group by 1, 2

)

select
    coalesce(allocated.billing_month, daily.billing_month) as billing_month,
    coalesce(allocated.billing_currency, daily.billing_currency)
        as billing_currency,
    allocated.effective_cost as allocated_effective_cost,
    daily.effective_cost as daily_effective_cost
from allocated
full outer join daily
    on
        allocated.billing_month = daily.billing_month
        and allocated.billing_currency = daily.billing_currency
where
    allocated.billed_cost is distinct from daily.billed_cost
    or allocated.effective_cost is distinct from daily.effective_cost
    or allocated.x_billed_cost_reporting is distinct from daily.x_billed_cost_reporting
    or allocated.x_effective_cost_reporting
    is distinct from daily.x_effective_cost_reporting
