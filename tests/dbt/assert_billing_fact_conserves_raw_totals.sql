-- noqa: disable=CP02
-- (The providers' CamelCase column names stay unquoted: a double-quoted name is
-- a string literal on Spark.)
{# Per source, billing account, billing period and currency, the fact holds
    exactly the rows and the billed and effective cost of the loaded raw FOCUS
    rows: nothing lost, nothing counted twice. (Native exports, whose rows the
    mapping splits and folds, are tied to their raw totals by
    assert_native_exports_tie_to_raw_totals.) -#}
with

raw_totals as (

    select
        x_source,
        BillingAccountId as billing_account_id,
        BillingPeriodStart as billing_period_start,
        upper(trim(BillingCurrency)) as billing_currency,
        count(*) as row_count,
        sum(BilledCost) as billed_cost,
        sum(EffectiveCost) as effective_cost
    from {{ source('focus', 'focus_line_items') }}
    group by 1, 2, 3, 4

),

fact_totals as (

    select
        x_source,
        billing_account_id,
        billing_period_start,
        billing_currency,
        count(*) as row_count,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from {{ ref('fct_billing_line_items') }}
    where x_source = 'focus'
    group by 1, 2, 3, 4

)

select
    coalesce(raw_totals.x_source, fact_totals.x_source) as x_source,
    coalesce(raw_totals.billing_account_id, fact_totals.billing_account_id)
        as billing_account_id,
    coalesce(raw_totals.billing_period_start, fact_totals.billing_period_start)
        as billing_period_start,
    coalesce(raw_totals.billing_currency, fact_totals.billing_currency)
        as billing_currency,
    raw_totals.row_count as raw_row_count,
    fact_totals.row_count as fact_row_count,
    raw_totals.billed_cost as raw_billed_cost,
    fact_totals.billed_cost as fact_billed_cost,
    raw_totals.effective_cost as raw_effective_cost,
    fact_totals.effective_cost as fact_effective_cost
from raw_totals
full outer join fact_totals
    on
        raw_totals.x_source = fact_totals.x_source
        and raw_totals.billing_account_id = fact_totals.billing_account_id
        and raw_totals.billing_period_start = fact_totals.billing_period_start
        and raw_totals.billing_currency = fact_totals.billing_currency
where
    raw_totals.row_count is distinct from fact_totals.row_count
    or raw_totals.billed_cost is distinct from fact_totals.billed_cost
    or raw_totals.effective_cost is distinct from fact_totals.effective_cost
