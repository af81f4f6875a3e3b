{%- macro json_object_to_map(json_text) -%}
    {{ return(adapter.dispatch('json_object_to_map', 'itfm')(json_text)) }}
{%- endmacro -%}

{#- A JSON object as a map of text; anything else (malformed JSON, an array,
    the text NULL) is null. A key given twice keeps its first value (a cast to
    a map would fail the whole model on "Map keys must be unique"). Nested
    cases, not "and": json() on a malformed string fails the whole model. -#}
{%- macro duckdb__json_object_to_map(json_text) -%}
    case when json_valid({{ json_text }}) then case
        when json_type(json({{ json_text }})) = 'OBJECT'
            then map_from_entries(list_transform(
                list_distinct(json_keys(json({{ json_text }}))),
                lambda k: struct_pack(
                    key := k,
                    value := json_extract_string(
                        json({{ json_text }}), '$."' || replace(k, '"', '\"') || '"'
                    )
                )
            ))
    end end
{%- endmacro -%}

{%- macro spark__json_object_to_map(json_text) -%}
    from_json({{ json_text }}, 'map<string, string>')
{%- endmacro -%}
