{%- macro data_quality_issues() -%}
    {#- The provider-data checks of one billing line item (seeds/reference/
        data_quality_checks.csv, check_level row): the codes of the checks the
        row fails, joined by ', ', or null. A failing row is kept as delivered
        and flagged, never refused: these are the provider's data problems, not
        ours (ours are dbt tests that stop the build). Reads the columns of the
        fact's line_items_enriched CTE, before the enumerations are checked
        against the allowed-values seed (read at compile time). -#}
    {%- set tolerance_pct = var('data_quality_list_cost_tolerance_pct') -%}
    {%- set missing = [
        'list_cost', 'contracted_cost', 'invoice_issuer_name',
        'publisher_name', 'service_name', 'service_category'
    ] -%}
    {%- set enumerations = [
        'charge_class', 'charge_frequency', 'pricing_category',
        'service_category', 'commitment_discount_category',
        'commitment_discount_status', 'capacity_reservation_status'
    ] -%}
    {%- set allowed = focus_allowed_values() -%}
    {%- set checks = [
        ("charge_category = 'Credit' and effective_cost != billed_cost",
            'credit_effective_cost_differs_from_billed'),
        ("charge_category = 'Purchase' and commitment_discount_id is not null"
            ~ " and effective_cost != 0",
            'commitment_purchase_effective_cost_not_zero'),
        ("charge_category = 'Usage' and commitment_discount_id is null"
            ~ " and billed_cost > 0 and effective_cost = 0",
            'effective_cost_zero_on_billed_usage'),
        ("charge_category = 'Usage' and list_cost > 0 and effective_cost > list_cost"
            ~ " * (1 + " ~ tolerance_pct ~ " / 100.0) + 0.01",
            'effective_cost_above_list_cost'),
        ("try_cast(availability_zone as double) is not null",
            'availability_zone_is_a_number'),
    ] -%}
    {%- for column in missing -%}
        {%- do checks.append((column ~ ' is null', column ~ '_missing')) -%}
    {%- endfor -%}
    {%- for column in enumerations -%}
        {%- set values = allowed.get(column, []) -%}
        {%- if values -%}
            {%- do checks.append((
                column ~ " is not null and " ~ column ~ " not in ('"
                ~ values | join("', '") ~ "')",
                column ~ '_not_a_focus_value'
            )) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do checks.append(('not x_is_tags_valid', 'tags_not_a_json_object')) -%}
    {%- do checks.append(('x_has_tag_key_collision', 'tag_keys_collide')) -%}
    nullif(concat_ws(', '
    {%- for condition, code in checks %},
        case when {{ condition }} then '{{ code }}' end
    {%- endfor %}
    ), '')
{%- endmacro -%}
