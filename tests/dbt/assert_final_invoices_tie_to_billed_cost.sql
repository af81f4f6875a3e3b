{{ config(store_failures=true) }}

{#- Every final invoice equals the billed cost of its billing account, billing
    period and currency in the fact, to the cent. Estimated invoices are
    reported by the reconciliation marts, not failed here. -#}
with

invoices as (

    select * from {{ ref('stg_finance__invoices') }}
    where is_final

),

billed as (

    select
        billing_account_id,
        billing_currency,
        cast(billing_period_start as date) as billing_period_start,
        sum(billed_cost) as billed_cost
    from {{ ref('fct_billing_line_items') }}
    group by 1, 2, 3

)

select
    invoices.invoice_id,
    invoices.billing_account_id,
    invoices.billing_period_start,
    invoices.billing_currency,
    invoices.invoice_total,
    billed.billed_cost,
    coalesce(billed.billed_cost, 0) - invoices.invoice_total as difference
from invoices
left join billed
    on
        invoices.billing_account_id = billed.billing_account_id
        and invoices.billing_currency = billed.billing_currency
        and invoices.billing_period_start = billed.billing_period_start
where abs(coalesce(billed.billed_cost, 0) - invoices.invoice_total) >= 0.005
