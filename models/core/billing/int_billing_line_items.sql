-- noqa: disable=LT02
-- (Layout: the CTEs are written by a Jinja loop.)
{#- Every provider's billing line items in one set of FOCUS 1.2 columns: FOCUS
    exports, AWS CUR 2.0, Azure cost details and the Google Cloud billing
    export, each mapped by its core model (int_<provider>__line_items_as_focus).
    A view: the fact reads it once.

    The native exports' rows are itfm's own mapping, so they are made to follow
    the FOCUS 1.2 rules that tie columns to each other (checked by the FinOps
    Foundation's validator on `itfm focus-validate`): quantities and units only
    where FOCUS has them (consumed quantity on usage that is not unused
    commitment, pricing quantity not on tax, a unit only beside its quantity),
    unit prices not on tax and never negative (a credit's sign is in its cost),
    units in FOCUS's unit format (seeds/reference/native_units.csv: CUR "Hrs"
    and "GB-Mo" are "Hours" and "GB-Months"),
    a meter only beside its SKU, the pricing currency the billing currency when
    the export states none (and then the pricing-currency effective cost the
    effective cost). Rows a provider delivered in FOCUS are kept as delivered
    (their problems are flagged in the fact's x_data_quality_issues). -#}
{%- set billing_models = [
    'stg_focus__line_items',
    'int_aws__line_items_as_focus',
    'int_azure__line_items_as_focus',
    'int_gcp__line_items_as_focus',
] -%}
{%- set consumed_quantity -%}
    case
        when
            charge_category = 'Usage'
            and coalesce(commitment_discount_status, '') != 'Unused'
            then consumed_quantity
    end
{%- endset -%}
{%- set pricing_quantity -%}
    case when charge_category != 'Tax' then pricing_quantity end
{%- endset -%}
{%- set native_overrides = {
    'consumed_quantity': consumed_quantity,
    'consumed_unit':
        'case when (' ~ consumed_quantity ~ ') is not null then'
        ~ ' coalesce(x_focus_consumed_unit, consumed_unit) end',
    'pricing_quantity': pricing_quantity,
    'pricing_unit':
        'case when (' ~ pricing_quantity ~ ') is not null then'
        ~ ' coalesce(x_focus_pricing_unit, pricing_unit) end',
    'list_unit_price':
        "case when charge_category != 'Tax' and list_unit_price >= 0"
        ~ " then list_unit_price end",
    'contracted_unit_price':
        "case when charge_category != 'Tax' and contracted_unit_price >= 0"
        ~ " then contracted_unit_price end",
    'sku_meter': 'case when sku_id is not null then sku_meter end',
    'pricing_currency': 'coalesce(pricing_currency, billing_currency)',
    'pricing_currency_effective_cost':
        'coalesce(pricing_currency_effective_cost, case when'
        ~ ' coalesce(pricing_currency, billing_currency) = billing_currency'
        ~ ' then effective_cost end)',
} %}

with

native_units as (

    select * from {{ ref('native_units') }}

),

{% for model in billing_models %}
    {% if model != 'stg_focus__line_items' -%}
    {{ model }}_rows as (

        select * from {{ ref(model) }}

    ),

    {{ model }}_units as (

        select
            line_items.*,
            pricing_units.focus_unit as x_focus_pricing_unit,
            consumed_units.focus_unit as x_focus_consumed_unit
        from {{ model }}_rows as line_items
        left join native_units as pricing_units
            on
                line_items.x_source = pricing_units.billing_source
                and line_items.pricing_unit = pricing_units.native_unit
        left join native_units as consumed_units
            on
                line_items.x_source = consumed_units.billing_source
                and line_items.consumed_unit = consumed_units.native_unit

    ),

    {% endif -%}
    {{ model }} as (

        {% if model == 'stg_focus__line_items' -%}
            select {{ billing_line_item_columns() | join(', ') }}
            from {{ ref(model) }}
        {%- else -%}
            select {{ billing_line_item_select(native_overrides) }}
            from {{ model }}_units
        {%- endif %}

    ),

{% endfor %}
unioned as (

    {% for model in billing_models %}
        select * from {{ model }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from unioned
