{#- Every line item belongs to exactly one cost object (int_allocation_line_items
    holds each billing month's line items once), and every split cost
    object's allocated pieces (int_allocation_split_rows) add up to its line
    items, exactly: billed and effective cost, with shares summing to 1. A
    line item no split reaches is a cost object of its own, and
    fct_cost_allocated reads it from the fact as it is (a view), so there is
    nothing computed to check on it here; the per-period conservation test
    (assert_allocation_conserves_cost) covers the view as a whole. Reading the
    split cost objects alone keeps this test's work at the size of the pools,
    not of the fact. -#}
with

line_items as (

    select * from {{ ref('fct_billing_line_items') }}

),

members as (

    select * from {{ ref('int_allocation_line_items') }}

),

split_rows as (

    select * from {{ ref('int_allocation_split_rows') }}

),

line_item_months as (

    select
        cast(billing_period_start as date) as billing_month,
        count(*) as line_items
    from line_items
    group by 1

),

member_months as (

    select
        billing_month,
        count(*) as members,
        count(x_cost_object_id) as with_cost_object
    from members
    group by 1

),

membership as (

    {#- A month whose line items are not each one member (dropped, doubled by
        a join, or with no cost object). -#}
    select
        coalesce(line_item_months.billing_month, member_months.billing_month)
            as billing_month,
        cast(null as string) as x_cost_object_id,
        coalesce(line_item_months.line_items, 0) as line_items,
        coalesce(member_months.members, 0) as members,
        cast(null as {{ type_money() }}) as billed_cost,
        cast(null as {{ type_money() }}) as allocated_billed_cost,
        cast(null as {{ type_money() }}) as effective_cost,
        cast(null as {{ type_money() }}) as allocated_effective_cost,
        cast(null as decimal(18, 12)) as total_share
    from line_item_months
    full outer join member_months
        on line_item_months.billing_month = member_months.billing_month
    where
        line_item_months.billing_month is null
        or member_months.billing_month is null
        or line_item_months.line_items != member_months.members
        or member_months.members != member_months.with_cost_object

),

cost_objects as (

    select
        x_cost_object_id,
        min(billing_month) as billing_month,
        count(*) as line_items,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from members
    where is_split
    group by 1

),

pieces as (

    select
        x_cost_object_id,
        min(billing_month) as billing_month,
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost,
        sum(x_allocation_share) as total_share
    from split_rows
    group by 1

),

unbalanced as (

    select
        coalesce(cost_objects.billing_month, pieces.billing_month)
            as billing_month,
        coalesce(cost_objects.x_cost_object_id, pieces.x_cost_object_id)
            as x_cost_object_id,
        coalesce(cost_objects.line_items, 0) as line_items,
        coalesce(cost_objects.line_items, 0) as members,
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
        or cost_objects.billed_cost != pieces.billed_cost
        or cost_objects.effective_cost != pieces.effective_cost
        or abs(pieces.total_share - 1) > 0.000001

)

select * from membership
union all
select * from unbalanced
