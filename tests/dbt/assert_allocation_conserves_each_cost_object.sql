{#- Every line item belongs to one cost object (int_allocation_line_items), and
    every cost object's allocated pieces add up to its line items, exactly:
    billed and effective cost, with shares summing to 1. -#}
with

line_items as (

    select * from {{ ref('fct_billing_line_items') }}

),

members as (

    select * from {{ ref('int_allocation_line_items') }}

),

allocated as (

    select * from {{ ref('fct_cost_allocated') }}

),

cost_objects as (

    select
        members.x_cost_object_id,
        sum(line_items.billed_cost) as billed_cost,
        sum(line_items.effective_cost) as effective_cost,
        count(*) as line_items,
        count(members.x_line_item_id) as members
    from line_items
    left join members
        on line_items.x_line_item_id = members.x_line_item_id
    group by 1

),

pieces as (

    select
        x_cost_object_id,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(x_allocation_share) as total_share
    from allocated
    group by 1

)

select
    cost_objects.x_cost_object_id,
    cost_objects.line_items,
    cost_objects.members,
    cost_objects.billed_cost,
    pieces.billed_cost as allocated_billed_cost,
    cost_objects.effective_cost,
    pieces.effective_cost as allocated_effective_cost,
    pieces.total_share
from cost_objects
full outer join pieces
    on cost_objects.x_cost_object_id = pieces.x_cost_object_id
where
    cost_objects.x_cost_object_id is null
    or pieces.x_cost_object_id is null
    or cost_objects.members != cost_objects.line_items
    or cost_objects.billed_cost != pieces.billed_cost
    or cost_objects.effective_cost != pieces.effective_cost
    or abs(pieces.total_share - 1) > 0.000001
