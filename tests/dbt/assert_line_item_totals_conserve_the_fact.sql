{#- int_line_item_totals_monthly holds the fact's line items summed, nothing
    lost or counted twice: per billing period, source and currency, its line
    items, billed, effective, reporting-currency and amortized upfront cost
    equal the fact's, exactly. The invoice reconciliation, commitment
    coverage and data quality marts read these totals instead of the fact. -#}
with

line_items as (

    select * from {{ ref('fct_billing_line_items') }}

),

line_item_totals as (

    select * from {{ ref('int_line_item_totals_monthly') }}

),

expected as (

    select
        billing_period_start,
        x_source,
        billing_currency,
        count(*) as line_items,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        sum(x_amortized_upfront_cost) as x_amortized_upfront_cost
    from line_items
    group by 1, 2, 3

),

actual as (

    select
        billing_period_start,
        x_source,
        billing_currency,
        sum(line_items) as line_items,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        sum(x_amortized_upfront_cost) as x_amortized_upfront_cost
    from line_item_totals
    group by 1, 2, 3

)

select
    coalesce(expected.billing_period_start, actual.billing_period_start)
        as billing_period_start,
    coalesce(expected.x_source, actual.x_source) as x_source,
    coalesce(expected.billing_currency, actual.billing_currency)
        as billing_currency,
    expected.line_items as fact_line_items,
    actual.line_items as totals_line_items,
    expected.billed_cost as fact_billed_cost,
    actual.billed_cost as totals_billed_cost
from expected
full outer join actual
    on
        expected.billing_period_start = actual.billing_period_start
        and expected.x_source = actual.x_source
        and expected.billing_currency is not distinct from actual.billing_currency
where
    expected.line_items is null
    or actual.line_items is null
    or expected.line_items != actual.line_items
    or expected.billed_cost is distinct from actual.billed_cost
    or expected.effective_cost is distinct from actual.effective_cost
    or expected.x_effective_cost_reporting
    is distinct from actual.x_effective_cost_reporting
    or expected.x_amortized_upfront_cost
    is distinct from actual.x_amortized_upfront_cost
