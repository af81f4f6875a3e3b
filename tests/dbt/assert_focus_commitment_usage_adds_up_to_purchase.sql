{#- Per commitment discount and billing period: the effective cost of the usage
    it covered plus its unused part equals its recurring purchase fees. Checked
    where the period holds both the purchase and the usage rows and the
    commitment has no one-time (upfront) purchase, which amortization spreads
    over the term instead. -#}
with

line_items as (

    select * from {{ ref('fct_billing_line_items') }}
    where commitment_discount_id is not null

),

upfront as (

    select distinct commitment_discount_id
    from line_items
    where charge_category = 'Purchase' and charge_frequency = 'One-Time'

),

purchases as (

    select
        commitment_discount_id,
        billing_period_start,
        billing_currency,
        sum(billed_cost) as purchased_cost
    from line_items
    where charge_category = 'Purchase'
    group by 1, 2, 3

),

covered as (

    select
        commitment_discount_id,
        billing_period_start,
        billing_currency,
        sum(effective_cost) as covered_and_unused_cost
    from line_items
    where
        charge_category = 'Usage'
        and commitment_discount_status in ('Used', 'Unused')
    group by 1, 2, 3

)

select
    purchases.commitment_discount_id,
    purchases.billing_period_start,
    purchases.billing_currency,
    purchases.purchased_cost,
    covered.covered_and_unused_cost
from purchases
inner join covered
    on
        purchases.commitment_discount_id = covered.commitment_discount_id
        and purchases.billing_period_start = covered.billing_period_start
        and purchases.billing_currency = covered.billing_currency
left join upfront
    on purchases.commitment_discount_id = upfront.commitment_discount_id
where
    upfront.commitment_discount_id is null
    and purchases.purchased_cost != covered.covered_and_unused_cost
