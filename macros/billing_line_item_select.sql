{%- macro billing_line_item_select(overrides={}) -%}
    {#- The select list of billing_line_item_columns(), each column as itself
        unless `overrides` gives an expression for it. -#}
    {%- for column in billing_line_item_columns() %}
        {%- if column in overrides %}
        {{ overrides[column] }} as {{ column }}
        {%- else %}
        {{ column }}
        {%- endif %}{{ "," if not loop.last }}
    {%- endfor %}
{%- endmacro -%}
