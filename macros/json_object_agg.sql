{%- macro json_object_agg(key, value) -%}
    {#- Aggregate: a JSON object text of key -> value, keys in order. -#}
    {{ return(adapter.dispatch('json_object_agg', 'itfm')(key, value)) }}
{%- endmacro -%}

{%- macro duckdb__json_object_agg(key, value) -%}
    cast(to_json(map_from_entries(
        list(struct_pack(key := {{ key }}, value := {{ value }}) order by {{ key }})
    )) as string)
{%- endmacro -%}

{%- macro spark__json_object_agg(key, value) -%}
    to_json(map_from_entries(array_sort(collect_list(struct({{ key }}, {{ value }})))))
{%- endmacro -%}
