{#- Per month and currency, what the TBM model hands to consuming teams equals
    the general-ledger lines plus the contracts without a team: a cost pool,
    tower or solution without a mapping would lose cost and fails here. -#}
with

sources as (

    select
        cast(posting_month as date) as billing_month,
        currency as billing_currency,
        sum(amount) as amount
    from {{ ref('gl_lines') }}
    group by 1, 2

    union all

    select
        cast({{ dbt.date_trunc('month', 'charge_date') }} as date) as billing_month,
        billing_currency,
        sum(amount) as amount
    from {{ ref('int_contracts_amortized_daily') }}
    where x_team = 'unallocated'
    group by 1, 2

),

expected as (

    select
        billing_month,
        billing_currency,
        sum(amount) as amount
    from sources
    group by 1, 2

),

allocated as (

    select
        billing_month,
        billing_currency,
        sum(amount) as amount
    from {{ ref('int_gl_costs_allocated_monthly') }}
    group by 1, 2

)

select
    coalesce(expected.billing_month, allocated.billing_month) as billing_month,
    coalesce(expected.billing_currency, allocated.billing_currency)
        as billing_currency,
    expected.amount as expected_amount,
    allocated.amount as allocated_amount
from expected
full outer join allocated
    on
        expected.billing_month = allocated.billing_month
        and expected.billing_currency = allocated.billing_currency
where expected.amount is distinct from allocated.amount
