{#- Every line item with its owner and the method that found it (tags ->
    resource inventory -> sub-account mapping -> ordered pattern rules ->
    unmapped), in the columns the allocation, policies and marts read, with
    its billing month and charge day.
    The owner is found in fct_billing_line_items, in the pass that writes the
    fact: this is a view of it, so the line items are not written a second
    time (they were, as an incremental table, until the lean data path). -#}
with

line_items as (

    select * from {{ ref('fct_billing_line_items') }}

),

final as (

    select
        ---------- ids
        x_line_item_id,
        billing_account_id,
        sub_account_id,
        resource_id,
        region_id,
        x_attribution_rule_id,

        ---------- strings
        sub_account_name,
        resource_name,
        provider_name,
        service_name,
        service_category,
        service_subcategory,
        charge_category,
        commitment_discount_status,
        billing_currency,
        tags,
        x_tag_team as tag_team,
        x_tag_cost_center as tag_cost_center,
        x_tag_product as tag_product,
        x_kubernetes_cluster as tag_kubernetes_cluster,
        x_environment,
        x_team,
        x_attribution_method,
        x_cost_center,
        x_product,

        ---------- numerics
        billed_cost,
        effective_cost,
        x_exchange_rate,
        x_billed_cost_reporting,
        x_effective_cost_reporting,

        ---------- booleans
        x_is_known_team as is_known_team,

        ---------- dates
        cast(billing_period_start as date) as billing_month,
        cast(charge_period_start as date) as charge_date,

        ---------- timestamps
        x_loaded_at

    from line_items

)

select * from final
