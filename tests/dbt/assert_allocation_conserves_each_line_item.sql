{#- Every line item's allocated pieces add up to the line item, exactly. -#}
with

pieces as (

    select
        x_line_item_id,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(x_allocation_share) as total_share
    from {{ ref('fct_cost_allocated') }}
    group by 1

)

select
    line_items.x_line_item_id,
    line_items.billed_cost,
    pieces.billed_cost as allocated_billed_cost,
    line_items.effective_cost,
    pieces.effective_cost as allocated_effective_cost,
    pieces.total_share
from {{ ref('fct_billing_line_items') }} as line_items
left join pieces
    on line_items.x_line_item_id = pieces.x_line_item_id
where
    pieces.x_line_item_id is null
    or line_items.billed_cost != pieces.billed_cost
    or line_items.effective_cost != pieces.effective_cost
    or abs(pieces.total_share - 1) > 0.000001
