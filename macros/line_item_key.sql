{%- macro line_item_key(file_column, row_column, suffix=none) -%}
    {#- x_line_item_id: hash of source file and row (and a suffix for the extra
        rows one raw row can give, such as a credit or an unused commitment). -#}
    {%- set key = file_column ~ " || ':' || cast(" ~ row_column ~ " as string)" -%}
    {%- if suffix is not none -%}
        {%- set key = key ~ " || ':' || " ~ suffix -%}
    {%- endif -%}
    {{ dbt.hash(key) }}
{%- endmacro -%}
