{#- FOCUS: a credit's EffectiveCost equals its BilledCost. -#}
select
    x_line_item_id,
    x_source_file,
    x_source_row,
    billed_cost,
    effective_cost
from {{ ref('fct_billing_line_items') }}
where
    charge_category = 'Credit'
    and effective_cost != billed_cost
