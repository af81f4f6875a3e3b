{%- macro map_agg_sorted(key, value) -%}
{#- Aggregate: a map of `key` to `value` over the group, its entries in key
    order (keys are unique within the group). -#}
    {{ return(adapter.dispatch('map_agg_sorted', 'itfm')(key, value)) }}
{%- endmacro %}

{%- macro default__map_agg_sorted(key, value) -%}
map_from_entries(
    list(struct_pack(key := {{ key }}, value := {{ value }}) order by {{ key }})
)
{%- endmacro %}

{%- macro spark__map_agg_sorted(key, value) -%}
map_from_entries(
    array_sort(collect_list(struct({{ key }} as key, {{ value }} as value)))
)
{%- endmacro %}
