{%- macro normalize_allowed_value(expression, column_name) -%}
    {#-
        Maps a value that differs from an allowed FOCUS value only by case or
        surrounding whitespace onto the allowed spelling, reading the allowed
        values from the focus_allowed_values seed. Other values are kept (trimmed,
        empty as null) so the provider-data checks flag them (x_data_quality_issues).
    -#}
    {%- set cleaned = clean_string(expression) -%}
    {%- set allowed = focus_allowed_values().get(column_name, []) -%}
    {%- if allowed | length == 0 -%}
        {{ cleaned }}
    {%- else -%}
        case lower({{ cleaned }})
            {%- for value in allowed %}
            when '{{ value | lower }}' then '{{ value }}'
            {%- endfor %}
            else {{ cleaned }}
        end
    {%- endif -%}
{%- endmacro -%}
