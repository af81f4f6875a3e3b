{%- macro json_object_to_map(json_text) -%}
    {{ return(adapter.dispatch('json_object_to_map', 'itfm')(json_text)) }}
{%- endmacro -%}

{%- macro duckdb__json_object_to_map(json_text) -%}
    case
        when json_valid({{ json_text }}) and json_type(json({{ json_text }})) = 'OBJECT'
            then cast(json({{ json_text }}) as map(varchar, varchar))
    end
{%- endmacro -%}

{%- macro spark__json_object_to_map(json_text) -%}
    from_json({{ json_text }}, 'map<string, string>')
{%- endmacro -%}
