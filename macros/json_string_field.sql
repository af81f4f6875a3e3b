{%- macro json_string_field(json_text, field) -%}
{#- The string value of the top-level `field` of a JSON object held as text;
    null when the text is not valid JSON or has no such field. -#}
    {{ return(adapter.dispatch('json_string_field', 'itfm')(json_text, field)) }}
{%- endmacro %}

{%- macro default__json_string_field(json_text, field) -%}
json_extract_string(
    case when json_valid({{ json_text }}) then {{ json_text }} end,
    '$.{{ field }}'
)
{%- endmacro %}

{%- macro spark__json_string_field(json_text, field) -%}
get_json_object({{ json_text }}, '$.{{ field }}')
{%- endmacro %}
