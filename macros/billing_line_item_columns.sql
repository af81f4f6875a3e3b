{%- macro billing_line_item_columns() -%}
    {#- The columns every billing staging model produces, in one order, so the
        union of providers is by name on any engine. -#}
    {{ return([
        'x_line_item_id', 'billing_account_id', 'sub_account_id', 'invoice_id',
        'resource_id', 'sku_id', 'sku_price_id', 'commitment_discount_id',
        'capacity_reservation_id', 'region_id', 'billing_account_name',
        'billing_account_type', 'sub_account_name', 'sub_account_type',
        'billing_currency', 'pricing_currency', 'provider_name', 'publisher_name',
        'invoice_issuer_name', 'charge_category', 'charge_class',
        'charge_description', 'charge_frequency', 'pricing_category',
        'pricing_unit', 'consumed_unit', 'service_name', 'service_category',
        'service_subcategory', 'region_name', 'availability_zone',
        'resource_name', 'resource_type', 'sku_meter', 'sku_price_details',
        'commitment_discount_category', 'commitment_discount_name',
        'commitment_discount_status', 'commitment_discount_type',
        'commitment_discount_unit', 'capacity_reservation_status', 'tags',
        'x_source', 'x_feed', 'x_source_file', 'x_file_hash', 'x_load_id',
        'x_focus_version', 'x_extra_columns', 'billed_cost', 'effective_cost',
        'list_cost', 'contracted_cost', 'pricing_currency_effective_cost',
        'list_unit_price', 'contracted_unit_price',
        'pricing_currency_list_unit_price',
        'pricing_currency_contracted_unit_price', 'pricing_quantity',
        'consumed_quantity', 'commitment_discount_quantity',
        'x_provider_usd_exchange_rate', 'x_amortized_upfront_cost',
        'x_source_row', 'x_source_line',
        'billing_period_start', 'billing_period_end', 'charge_period_start',
        'charge_period_end', 'x_loaded_at'
    ]) }}
{%- endmacro -%}
