{%- macro type_money() -%}
    {{ return(adapter.dispatch('type_money', 'itfm')()) }}
{%- endmacro -%}

{%- macro default__type_money() -%}
    decimal(38, 10)
{%- endmacro -%}
