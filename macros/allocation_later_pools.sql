{%- macro allocation_later_pools(later_pools) -%}
{#- True for a row that a later step's pool (`later_pools`, predicates) reaches.
    Not `(false)` when there is none: Spark reads `from step_9 where (false)`
    as the alias `where` with one column name, `false`. -#}
{{- '(' ~ (later_pools | join(' or ') if later_pools else '1 = 0') ~ ')' -}}
{%- endmacro %}
