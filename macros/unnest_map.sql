{%- macro unnest_map(map, key_alias, value_alias) -%}
{#- Select-list items that turn each entry of `map` into a row of its own,
    the key as `key_alias` and the value as `value_alias` (an empty or null
    map gives no row). -#}
    {{ return(adapter.dispatch('unnest_map', 'itfm')(map, key_alias, value_alias)) }}
{%- endmacro %}

{%- macro default__unnest_map(map, key_alias, value_alias) -%}
unnest(map_keys({{ map }})) as {{ key_alias }},
unnest(map_values({{ map }})) as {{ value_alias }}
{%- endmacro %}

{%- macro spark__unnest_map(map, key_alias, value_alias) -%}
explode({{ map }}) as ({{ key_alias }}, {{ value_alias }})
{%- endmacro %}
