{#- One row per billing slice (source, feed, billing account, billing period)
    that a load restated to no rows (`itfm load --allow-row-drop`): its billing
    period's first day (the line items' billing_month) and the load's time as
    x_loaded_at. A period or month that lost rows this way has no new row to
    show it changed, so the incremental models read this beside their inputs'
    loads: the fact rebuilds the period (fct_billing_line_items), the
    month-incremental models the month (int_allocation_month_inputs,
    int_policy_month_inputs, fct_tag_coverage_monthly), and a month left with
    no row is deleted. -#}
with

history as (

    select * from {{ ref('stg_itfm_load__slice_history') }}
    where
        x_source in ('focus', 'aws_cur', 'azure_cost', 'gcp_billing')
        and rows_after = 0
        and rows_before > 0
        and billing_period_start is not null

),

final as (

    select
        ---------- ids
        slice_key,

        ---------- strings
        x_source,

        ---------- dates
        billing_period_start,
        {#- The line items' billing_month: their billing period's first day. -#}
        billing_period_start as billing_month,

        ---------- timestamps
        replaced_at as x_loaded_at

    from history

)

select * from final
