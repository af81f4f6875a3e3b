{#- ISO day of the week of a date: 1 = Monday ... 7 = Sunday. -#}
{%- macro iso_day_of_week(expression) -%}
    {{ return(adapter.dispatch('iso_day_of_week', 'itfm')(expression)) }}
{%- endmacro -%}

{%- macro default__iso_day_of_week(expression) -%}
    extract(isodow from {{ expression }})
{%- endmacro -%}

{%- macro spark__iso_day_of_week(expression) -%}
    ((dayofweek({{ expression }}) + 5) % 7 + 1)
{%- endmacro -%}
