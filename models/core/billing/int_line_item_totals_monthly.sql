{#-
    The fact summed per billing period by what the monthly marts group and
    filter on (source, provider, billing account, currency, charge month,
    service category, charge category and frequency, commitment and its
    status, the row's data-quality flags): a few hundred rows where the fact
    holds millions. The invoice reconciliation, commitment coverage and data
    quality marts and the allocation's month inputs read it instead of the
    whole fact, so a build that rebuilds one billing period reads that
    period's line items once, not every period's once per mart.
    Every measure is a sum, a count, a min or a max of the fact's rows, so
    any coarser grouping of these rows equals the same grouping of the fact,
    exactly (decimal sums).
    Incremental by billing period as the fact is: a period with a line item
    loaded after the newest load this table holds, or one of whose slices a
    later load restated to no rows, is rebuilt whole; the others are not read.
-#}
-- depends_on: {{ ref('int_billing_slices_emptied') }}
-- noqa: disable=LT02
-- (Layout: the incremental branch is Jinja inside the CTE.)
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_periods_to_rebuild(
        ref('fct_billing_line_items'), 'billing_period_start'
    ) }}",
    **incremental_by_period('billing_period_start')
) }}
{%- set changed_periods = periods_loaded_since_built_filter(
    ref('fct_billing_line_items'), 'billing_period_start'
) if is_incremental() else '' %}
with

line_items as (

    select * from {{ ref('fct_billing_line_items') }}
    {%- if is_incremental() %}
        where {{ changed_periods }}
    {%- endif %}

),

final as (

    select
        ---------- ids
        billing_account_id,
        commitment_discount_id,

        ---------- strings
        x_source,
        provider_name,
        billing_currency,
        service_category,
        charge_category,
        charge_frequency,
        commitment_discount_status,
        x_data_quality_issues,
        min(x_source_file) as x_example_source_file,
        min(x_line_item_id) as x_example_line_item_id,

        ---------- numerics
        count(*) as line_items,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,
        sum(x_amortized_upfront_cost) as x_amortized_upfront_cost,
        count(x_amortized_upfront_cost) as amortized_upfront_line_items,

        ---------- dates
        cast(billing_period_start as date) as billing_month,
        cast(
            {{ dbt.date_trunc('month', 'charge_period_start') }} as date
        ) as charge_month,

        ---------- timestamps
        billing_period_start,
        max(x_loaded_at) as x_loaded_at

    from line_items
    group by
        billing_account_id,
        commitment_discount_id,
        x_source,
        provider_name,
        billing_currency,
        service_category,
        charge_category,
        charge_frequency,
        commitment_discount_status,
        x_data_quality_issues,
        billing_period_start,
        {{ dbt.date_trunc('month', 'charge_period_start') }}

)

select * from final
