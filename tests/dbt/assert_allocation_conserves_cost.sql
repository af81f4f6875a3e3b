{#- Per billing period and currency, the allocated fact holds exactly the billed
    and effective cost of the normalized fact: allocation moves cost between
    owners, never creates or drops it. -#}
with

normalized as (

    select
        cast(billing_period_start as date) as billing_month,
        billing_currency,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from {{ ref('fct_billing_line_items') }}
    group by 1, 2

),

allocated as (

    select
        billing_month,
        billing_currency,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from {{ ref('fct_cost_allocated') }}
    group by 1, 2

)

select
    coalesce(normalized.billing_month, allocated.billing_month) as billing_month,
    coalesce(normalized.billing_currency, allocated.billing_currency)
        as billing_currency,
    normalized.billed_cost as normalized_billed_cost,
    allocated.billed_cost as allocated_billed_cost,
    normalized.effective_cost as normalized_effective_cost,
    allocated.effective_cost as allocated_effective_cost
from normalized
full outer join allocated
    on
        normalized.billing_month = allocated.billing_month
        and normalized.billing_currency = allocated.billing_currency
where
    normalized.billed_cost is distinct from allocated.billed_cost
    or normalized.effective_cost is distinct from allocated.effective_cost
