{%- macro absent_billing_columns(columns) -%}
    {#- Typed nulls for the billing_line_item_columns() an export does not have
        (an export without capacity reservations, prices in a pricing
        currency ...), so that every provider's mapping yields the same columns
        with the same types. One list per mapping, instead of a cast per column. -#}
    {%- set decimal_16 = [
        'list_unit_price', 'contracted_unit_price',
        'pricing_currency_list_unit_price', 'pricing_currency_contracted_unit_price'
    ] -%}
    {%- set decimal_10 = [
        'pricing_quantity', 'consumed_quantity', 'commitment_discount_quantity',
        'x_provider_usd_exchange_rate'
    ] -%}
    {%- set money = [
        'billed_cost', 'effective_cost', 'list_cost', 'contracted_cost',
        'pricing_currency_effective_cost', 'x_amortized_upfront_cost'
    ] -%}
    {%- for column in columns -%}
        {%- if column not in billing_line_item_columns() -%}
            {{ exceptions.raise_compiler_error(
                "absent_billing_columns: " ~ column
                ~ " is not one of billing_line_item_columns()"
            ) }}
        {%- endif -%}
        {%- if column in money -%}
            {%- set data_type = type_money() -%}
        {%- elif column in decimal_16 -%}
            {%- set data_type = 'decimal(38, 16)' -%}
        {%- elif column in decimal_10 -%}
            {%- set data_type = 'decimal(38, 10)' -%}
        {%- else -%}
            {%- set data_type = 'string' -%}
        {%- endif -%}
        cast(null as {{ data_type }}) as {{ column }}{{ ",\n        " if not loop.last }}
    {%- endfor -%}
{%- endmacro -%}
