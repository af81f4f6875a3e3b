{#- A double that holds a cent amount (a forecast rounded by
    itfm.forecast.to_cents) as money, equal on every engine: through
    decimal(38, 2) first, since casting the double straight to money's ten
    decimals gives its binary expansion on DuckDB (98765432109.87 becomes
    98765432109.8699964416) and its decimal string on Spark. -#}
{%- macro money_from_cents(expression) -%}
    cast(cast({{ expression }} as decimal(38, 2)) as {{ type_money() }})
{%- endmacro -%}
