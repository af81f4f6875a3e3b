{%- macro matches_pattern(expression, pattern) -%}
{#- True when `expression` contains a match of the regular expression
    `pattern` (both SQL expressions); null when either is null. -#}
    {{ return(adapter.dispatch('matches_pattern', 'itfm')(expression, pattern)) }}
{%- endmacro %}

{%- macro default__matches_pattern(expression, pattern) -%}
regexp_matches({{ expression }}, {{ pattern }})
{%- endmacro %}

{%- macro spark__matches_pattern(expression, pattern) -%}
({{ expression }} rlike {{ pattern }})
{%- endmacro %}
