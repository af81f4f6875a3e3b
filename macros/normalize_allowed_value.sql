{%- macro normalize_allowed_value(expression, column_name) -%}
    {#-
        Maps a value that differs from an allowed FOCUS value only by case or
        surrounding whitespace onto the allowed spelling, reading the allowed
        values from the focus_allowed_values seed. Other values are kept (trimmed,
        empty as null) so the accepted-values tests can report them.
    -#}
    {%- set cleaned = clean_string(expression) -%}
    {%- set allowed = [] -%}
    {%- if execute -%}
        {%- set seed = ref('focus_allowed_values') -%}
        {%- set relation = adapter.get_relation(
            database=seed.database, schema=seed.schema, identifier=seed.identifier
        ) -%}
        {%- if relation is not none -%}
            {%- set result = run_query(
                "select allowed_value from " ~ relation
                ~ " where column_name = '" ~ column_name ~ "' order by 1"
            ) -%}
            {%- set allowed = result.columns[0].values() -%}
        {%- endif -%}
    {%- endif -%}
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
