-- noqa: disable=CP02
-- (The providers' CamelCase column names stay unquoted: a double-quoted name is
-- a string literal on Spark.)
{# Per native source, billing account, billing period and currency, the fact's
    billed cost equals the raw export's own total, to the cent and beyond:
    * AWS CUR 2.0: the sum of line_item_unblended_cost over every line
      (SavingsPlanNegation lines cancel the covered usage's on-demand cost);
    * Azure: the actual export's CostInBillingCurrency, and the fact's
      effective cost equals the amortized export's total where one was loaded;
    * Google Cloud: cost plus the amounts of every credits[] entry.
    Every raw row is accounted for: nothing lost, nothing counted twice. -#}
with

cur as (

    select
        'aws_cur' as x_source,
        bill_payer_account_id as billing_account_id,
        bill_billing_period_start_date as billing_period_start,
        upper(trim(line_item_currency_code)) as billing_currency,
        sum(line_item_unblended_cost) as raw_billed_cost,
        cast(null as {{ type_money() }}) as raw_effective_cost
    from {{ source('aws_cur', 'aws_cur_line_items') }}
    group by 1, 2, 3, 4

),

azure as (

    select
        'azure_cost' as x_source,
        BillingAccountId as billing_account_id,
        cast(BillingPeriodStartDate as timestamp) as billing_period_start,
        upper(trim(BillingCurrency)) as billing_currency,
        sum(case when x_feed = 'actual' then CostInBillingCurrency end)
            as raw_billed_cost,
        sum(case when x_feed = 'amortized' then CostInBillingCurrency end)
            as raw_effective_cost
    from {{ source('azure_cost', 'azure_cost_details') }}
    group by 1, 2, 3, 4

),

gcp_credits as (

    select
        entries.x_source_file,
        entries.x_source_row,
        sum(cast(entries.credit.amount as {{ type_money() }})) as credit_amount
    from (
        select
            export_rows.x_source_file,
            export_rows.x_source_row,
            {{ unnest_json_array('export_rows.credits', ['amount']) }} as credit
        from {{ source('gcp_billing', 'gcp_billing_export') }} as export_rows
        where export_rows.credits is not null and export_rows.credits != '[]'
    ) as entries
    group by 1, 2

),

gcp as (

    select
        'gcp_billing' as x_source,
        export_rows.billing_account_id,
        cast({{ dbt.concat([
            "substr(export_rows.invoice_month, 1, 4)", "'-'",
            "substr(export_rows.invoice_month, 5, 2)", "'-01'"
        ]) }} as timestamp) as billing_period_start,
        upper(trim(export_rows.currency)) as billing_currency,
        sum(export_rows.cost + coalesce(gcp_credits.credit_amount, 0))
            as raw_billed_cost,
        cast(null as {{ type_money() }}) as raw_effective_cost
    from {{ source('gcp_billing', 'gcp_billing_export') }} as export_rows
    left join gcp_credits
        on
            export_rows.x_source_file = gcp_credits.x_source_file
            and export_rows.x_source_row = gcp_credits.x_source_row
    group by 1, 2, 3, 4

),

raw_totals as (

    select * from cur
    union all
    select * from azure
    union all
    select * from gcp

),

fact_totals as (

    select
        x_source,
        billing_account_id,
        billing_period_start,
        billing_currency,
        sum(billed_cost) as fact_billed_cost,
        sum(effective_cost) as fact_effective_cost
    from {{ ref('fct_billing_line_items') }}
    where x_source in ('aws_cur', 'azure_cost', 'gcp_billing')
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
    raw_totals.raw_billed_cost,
    fact_totals.fact_billed_cost,
    raw_totals.raw_effective_cost,
    fact_totals.fact_effective_cost
from raw_totals
full outer join fact_totals
    on
        raw_totals.x_source = fact_totals.x_source
        and raw_totals.billing_account_id = fact_totals.billing_account_id
        and raw_totals.billing_period_start = fact_totals.billing_period_start
        and raw_totals.billing_currency = fact_totals.billing_currency
where
    coalesce(raw_totals.raw_billed_cost, 0)
    != coalesce(fact_totals.fact_billed_cost, 0)
    or raw_totals.x_source is null
    or fact_totals.x_source is null
    or (
        raw_totals.raw_effective_cost is not null
        and raw_totals.raw_effective_cost != fact_totals.fact_effective_cost
    )
