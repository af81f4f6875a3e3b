{#- The allocated cost fact: every dollar of fct_billing_line_items on the
    owner that pays for it. A line item that no split reaches is one row of
    its own (x_allocation_method 'direct'); the line items a split reaches
    are summed into cost objects and split onto their targets
    (int_allocation_split_rows: Kubernetes node cost by the cluster day's
    owner shares, then the allocation rules in step order, each step exact to
    the cent).
    A view: the direct rows are read from the fact as they are asked for, and
    only the split rows are stored, so the line items are written twice (the
    raw copy and the fact), not three times. At 8.9 million line items, 94%
    of this view's rows are direct: stored, they were three quarters of the
    allocation's build time and a sixth of the warehouse file. -#}
-- noqa: disable=LT02,LT05,AL09,ST05,ST03
-- (Layout: the direct rows' CTEs are the macro cost_allocated_rows.)
-- depends_on: {{ ref('allocation_rules') }}
-- depends_on: {{ ref('allocation_targets') }}
{{ config(materialized='view') }}
{#- Both parts by name, in the contract's order: a positional union would
    misalign them where the split rows' table keeps its partition column last
    (Spark). -#}
{%- set columns = model['columns'].keys() | list %}

with

direct_rows as (

    {{ cost_allocated_rows(none, part='direct') }}

),

split_rows as (

    select * from {{ ref('int_allocation_split_rows') }}

),

final as (

    select {{ columns | join(', ') }} from direct_rows
    union all
    select {{ columns | join(', ') }} from split_rows

)

select * from final
