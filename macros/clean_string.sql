{%- macro clean_string(expression) -%}
    {#- Surrounding whitespace removed; empty strings become null. -#}
    nullif(trim({{ expression }}), '')
{%- endmacro -%}
