{%- macro strip_tag_key_prefix(expression) -%}
    {#- Removes the first matching prefix of var tag_key_prefixes_to_strip. -#}
    {%- set prefixes = var('tag_key_prefixes_to_strip', []) -%}
    {%- if prefixes | length == 0 -%}
        {{ expression }}
    {%- else -%}
        {%- set escaped = [] -%}
        {%- for prefix in prefixes -%}
            {%- do escaped.append(modules.re.escape(prefix)) -%}
        {%- endfor -%}
        regexp_replace({{ expression }}, '^({{ escaped | join("|") }})', '')
    {%- endif -%}
{%- endmacro -%}
