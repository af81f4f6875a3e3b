{%- macro allocation_pool_predicates(rules) -%}
{#- One SQL predicate per allocation rule (in step order): true for a row in
    the rule's pool. Pool columns are the allocation rows' own columns
    (allocation_rules() checks them against its list). -#}
{%- set predicates = [] -%}
{%- for rule in rules -%}
    {%- set value = rule.pool_value | replace("'", "''") -%}
    {%- if rule.pool_operator == 'equals' -%}
        {%- do predicates.append(
            "coalesce(" ~ rule.pool_column ~ " = '" ~ value ~ "', false)"
        ) -%}
    {%- else -%}
        {%- do predicates.append(
            "coalesce(" ~ matches_pattern(rule.pool_column, "'" ~ value ~ "'")
            ~ ", false)"
        ) -%}
    {%- endif -%}
{%- endfor -%}
{{ return(predicates) }}
{%- endmacro %}
