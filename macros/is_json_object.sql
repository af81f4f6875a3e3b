{%- macro is_json_object(json_text) -%}
{#- True when the text is valid JSON and a JSON object, else false (never
    an error: one malformed string must not fail a model). -#}
    {{ return(adapter.dispatch('is_json_object', 'itfm')(json_text)) }}
{%- endmacro %}

{%- macro default__is_json_object(json_text) -%}
{#- A case, not "and": the engine may evaluate both sides of an "and", and
    json() fails the whole query on one malformed string. -#}
case
    when json_valid({{ json_text }})
        then json_type(json({{ json_text }})) = 'OBJECT'
    else false
end
{%- endmacro %}

{%- macro spark__is_json_object(json_text) -%}
coalesce(
    left(ltrim({{ json_text }}), 1) = '{'
    and from_json({{ json_text }}, 'map<string, string>') is not null,
    false
)
{%- endmacro %}
