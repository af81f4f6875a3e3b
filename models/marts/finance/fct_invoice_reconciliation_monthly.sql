{#- One row per invoice, or per billing account, currency and month that
    has billed cost and no invoice yet: the modeled billed cost against the
    provider's invoice total. A period is `estimated` until its invoice is
    final; `missing_invoice` when there is none. Final invoices must tie to
    the cent (is_tied); estimated ones are reported, not failed. -#}
with

invoices as (

    select * from {{ ref('stg_finance__invoices') }}

),

billed as (

    {#- The fact's per-period totals (int_line_item_totals_monthly), not its
        rows: the same sums. -#}
    select
        provider_name,
        billing_account_id,
        billing_currency,
        billing_month as billing_period_start,
        sum(billed_cost) as billed_cost,
        cast(sum(line_items) as bigint) as line_items
    from {{ ref('int_line_item_totals_monthly') }}
    group by 1, 2, 3, 4

),

joined as (

    select
        invoices.invoice_id,
        coalesce(invoices.provider_name, billed.provider_name) as provider_name,
        coalesce(invoices.billing_account_id, billed.billing_account_id)
            as billing_account_id,
        coalesce(invoices.billing_currency, billed.billing_currency)
            as billing_currency,
        coalesce(invoices.billing_period_start, billed.billing_period_start)
            as billing_period_start,
        invoices.invoice_total,
        coalesce(billed.billed_cost, 0) as modeled_billed_cost,
        coalesce(billed.line_items, 0) as line_items,
        case
            when invoices.invoice_id is null then 'missing_invoice'
            when invoices.is_final then 'final'
            else 'estimated'
        end as reconciliation_status
    from invoices
    full outer join billed
        on
            invoices.billing_account_id = billed.billing_account_id
            and invoices.billing_currency = billed.billing_currency
            and invoices.billing_period_start = billed.billing_period_start

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "coalesce(invoice_id, '')", "'|'", "billing_account_id", "'|'",
            "billing_currency", "'|'", "cast(billing_period_start as string)"
        ])) }} as invoice_reconciliation_id,
        invoice_id,
        billing_account_id,

        ---------- strings
        provider_name,
        billing_currency,
        reconciliation_status,

        ---------- numerics
        line_items,
        invoice_total,
        modeled_billed_cost,
        cast(modeled_billed_cost - invoice_total as {{ type_money() }}) as variance,
        cast(
            (modeled_billed_cost - invoice_total) / nullif(invoice_total, 0)
            as double
        ) as variance_ratio,

        ---------- booleans
        coalesce(abs(modeled_billed_cost - invoice_total) < 0.005, false)
            as is_tied,

        ---------- dates
        billing_period_start

    from joined

)

select * from final
