{#- One row per attributed line item, in the columns the allocation reads, with
    its cost object: the line item itself when no split reaches it, else the
    group of line items that share its billing month, charge day and every
    dimension a mart or export reads from fct_cost_allocated (see
    allocation_grain). Shared pools and Kubernetes node cost are split per
    cost object, not per line item: the split rows describe the cost object,
    and this model says which line items make it up.
    A line item is split when it ran on a Kubernetes cluster that day (the
    cluster has pod shares) or lies in some allocation rule's pool; a pool
    that only a split row can reach (x_team after a Kubernetes split) is
    reached through the cluster's cost object. A view: fct_cost_allocated
    reads it one billing month at a time. -#}
-- depends_on: {{ ref('allocation_rules') }}
-- depends_on: {{ ref('allocation_targets') }}
{%- set pools = allocation_pool_predicates(allocation_rules()) %}

with

line_items as (

    select * from {{ ref('int_line_items_attributed') }}

),

k8s_shares as (

    select * from {{ ref('int_k8s_cluster_shares_daily') }}
    where cost_share > 0

),

cluster_days as (

    select distinct
        cluster_name,
        usage_date
    from k8s_shares

),

renamed as (

    select
        line_items.x_line_item_id,
        line_items.billing_month,
        line_items.charge_date,
        line_items.billing_account_id,
        line_items.sub_account_id,
        line_items.sub_account_name,
        line_items.provider_name,
        line_items.service_name,
        line_items.service_category,
        line_items.charge_category,
        line_items.commitment_discount_status,
        line_items.resource_id,
        line_items.billing_currency,
        line_items.x_exchange_rate,
        line_items.x_environment,
        line_items.x_attribution_method,
        line_items.x_attribution_rule_id,
        line_items.x_team,
        line_items.x_team as x_original_team,
        line_items.tag_kubernetes_cluster as x_kubernetes_cluster,
        line_items.tag_product as x_product_tag,
        line_items.tag_cost_center as x_cost_center_tag,
        line_items.billed_cost,
        line_items.effective_cost,
        line_items.x_billed_cost_reporting,
        line_items.x_effective_cost_reporting,
        cluster_days.cluster_name is not null as is_on_a_cluster
    from line_items
    left join cluster_days
        on
            line_items.tag_kubernetes_cluster = cluster_days.cluster_name
            and line_items.charge_date = cluster_days.usage_date

),

flagged as (

    select
        *,
        (is_on_a_cluster or {{ pools | join(' or ') if pools else 'false' }})
            as is_split
    from renamed

),

final as (

    select
        *,
        case
            when is_split
                then {{ cost_object_id() }}
            else x_line_item_id
        end as x_cost_object_id
    from flagged

)

select * from final
