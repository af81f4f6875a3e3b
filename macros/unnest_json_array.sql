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

