{#- FOCUS: EffectiveCost is 0 on purchases that cover future eligible charges
    (commitment discount purchases); their cost reaches EffectiveCost through
    the covered usage and the unused-commitment rows. -#}
select
    x_line_item_id,
    x_source_file,
    x_source_row,
    commitment_discount_id,
    effective_cost
from {{ ref('fct_billing_line_items') }}
where
    charge_category = 'Purchase'
    and commitment_discount_id is not null
    and effective_cost != 0
