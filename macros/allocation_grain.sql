{%- macro allocation_grain() -%}
{#- The grain shared cost is split at (the issue's decision, docs/decisions.md):
    billing month, charge day and every column of fct_cost_allocated that a
    mart, export or allocation rule reads, so that every mart and every pool
    sees the same cost as if each line item were split on its own. Columns
    not in the grain (the line item id, the resource, the product and cost
    center tags) are null on split rows: their lineage is the cost object
    (int_allocation_line_items) and the rule. The allocation rules' pool
    columns (allocation_rules()) are all in this list. -#}
{{ return([
    'billing_month', 'charge_date', 'billing_account_id', 'sub_account_id',
    'sub_account_name', 'provider_name', 'service_name', 'service_category',
    'charge_category', 'commitment_discount_status', 'billing_currency',
    'x_exchange_rate', 'x_environment', 'x_attribution_method',
    'x_attribution_rule_id', 'x_team', 'x_original_team', 'x_kubernetes_cluster',
    'is_on_a_cluster'
]) }}
{%- endmacro %}

{%- macro allocation_grain_key() -%}
{#- The grain's columns as the parts of one string key, for dbt.concat. -#}
{%- set parts = [] -%}
{%- for column in allocation_grain() -%}
    {%- if not loop.first %}{% do parts.append("'|'") %}{% endif -%}
    {%- do parts.append("coalesce(cast(" ~ column ~ " as string), '')") -%}
{%- endfor -%}
{{ return(parts) }}
{%- endmacro %}

{%- macro cost_object_id() -%}
{#- A cost object's id: a hash of its grain (allocation_grain), the same in
    int_allocation_line_items (each line item's cost object) and in the split
    rows (computed once per cost object, after the line items are summed). -#}
'co:' || {{ dbt.hash(dbt.concat(allocation_grain_key())) }}
{%- endmacro %}
