-- depends_on: {{ ref('fct_billing_line_items') }}
{#- Every FOCUS 1.2 column whose feature level is Mandatory exists in the fact. -#}
{%- set present = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(ref('fct_billing_line_items')) -%}
        {%- do present.append(column.name | lower) -%}
    {%- endfor -%}
{%- endif %}

with

fact_columns as (

    select fact_column.column_name
    from (
        values
        {%- for name in present %}
            ('{{ name }}'){{ "," if not loop.last }}
        {%- endfor %}
    ) as fact_column (column_name)

),

mandatory as (

    select
        column_id,
        column_name
    from {{ ref('focus_columns') }}
    where feature_level = 'Mandatory'

)

select mandatory.*
from mandatory
left join fact_columns
    on mandatory.column_name = fact_columns.column_name
where fact_columns.column_name is null
