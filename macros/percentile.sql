{#- A continuous percentile (0..1) of an expression as an aggregate, and the
    median as its 0.5 case. -#}
{%- macro percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile', 'itfm')(expression, fraction)) }}
{%- endmacro -%}

{%- macro default__percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro -%}

{%- macro duckdb__percentile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro -%}

{%- macro spark__percentile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro -%}

{%- macro median(expression) -%}
    {{ percentile(expression, 0.5) }}
{%- endmacro -%}
