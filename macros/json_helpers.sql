{#- JSON helpers the native billing exports need; DuckDB and Spark versions. -#}

{%- macro unnest_json_array(json_text, fields) -%}
    {#- One row per element of a JSON array of objects, as a struct with the
        given text fields (use in a select list: `... as element`). -#}
    {{ return(adapter.dispatch('unnest_json_array', 'itfm')(json_text, fields)) }}
{%- endmacro -%}

{%- macro duckdb__unnest_json_array(json_text, fields) -%}
    unnest(from_json({{ json_text }}, '[{
        {%- for field in fields -%}
            "{{ field }}": "VARCHAR"{{ ", " if not loop.last }}
        {%- endfor -%}
    }]'))
{%- endmacro -%}

{%- macro spark__unnest_json_array(json_text, fields) -%}
    explode(from_json({{ json_text }}, 'array<struct<
        {%- for field in fields -%}
            {{ field }}: string{{ ", " if not loop.last }}
        {%- endfor -%}
    >>'))
{%- endmacro -%}

{%- macro key_value_array_to_json_object(json_text) -%}
    {#- '[{"key": "team", "value": "data"}]' -> '{"team":"data"}' (the first
        value of a repeated key wins); null or not an array -> null. -#}
    {{ return(adapter.dispatch('key_value_array_to_json_object', 'itfm')(json_text)) }}
{%- endmacro -%}

{%- macro duckdb__key_value_array_to_json_object(json_text) -%}
    case
        when json_valid({{ json_text }}) and json_type(json({{ json_text }})) = 'ARRAY'
            then cast(to_json(map_from_entries(list_filter(
                from_json(
                    {{ json_text }}, '[{"key": "VARCHAR", "value": "VARCHAR"}]'
                ),
                lambda entry, i: entry.key is not null
                and list_position(
                    list_transform(
                        from_json(
                            {{ json_text }},
                            '[{"key": "VARCHAR", "value": "VARCHAR"}]'
                        ),
                        lambda other: other.key
                    ),
                    entry.key
                ) = i
            ))) as varchar)
    end
{%- endmacro -%}

{%- macro spark__key_value_array_to_json_object(json_text) -%}
    to_json(map_from_entries(
        from_json({{ json_text }}, 'array<struct<key: string, value: string>>')
    ))
{%- endmacro -%}
