{#-
    The attributed line items summed per billing period and charge day by the
    owner and the columns the daily and monthly cost marts group and filter
    on (attribution method, provider, billing account, region, environment,
    service, charge category, commitment status): about one row for fifty
    line items. The owner-and-service daily cost series, the unmapped-cost
    mart and the KPI values read it instead of every line item, so a build
    that rebuilds one billing period reads that period's line items once.
    Every measure is a sum, a count or a max of the fact's rows, so any
    coarser grouping of these rows equals the same grouping of the line
    items, exactly (decimal sums).
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

    {#- The fact, not int_line_items_attributed (a view of it with the same
        owner columns): the filter on billing_period_start then skips the
        other periods' row groups. -#}
    select
        billing_account_id,
        region_id,
        x_team,
        x_attribution_method,
        x_environment,
        provider_name,
        service_name,
        service_category,
        service_subcategory,
        charge_category,
        commitment_discount_status,
        x_effective_cost_reporting,
        billing_period_start,
        x_loaded_at,
        cast(charge_period_start as date) as charge_date
    from {{ ref('fct_billing_line_items') }}
    {%- if is_incremental() %}
        where {{ changed_periods }}
    {%- endif %}

),

final as (

    select
        ---------- ids
        billing_account_id,
        region_id,

        ---------- strings
        x_team,
        x_attribution_method,
        x_environment,
        provider_name,
        service_name,
        service_category,
        service_subcategory,
        charge_category,
        commitment_discount_status,

        ---------- numerics
        count(*) as line_items,
        sum(x_effective_cost_reporting) as x_effective_cost_reporting,

        ---------- dates
        cast(billing_period_start as date) as billing_month,
        charge_date,

        ---------- timestamps
        billing_period_start,
        max(x_loaded_at) as x_loaded_at

    from line_items
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16

)

select * from final
