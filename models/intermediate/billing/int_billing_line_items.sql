{#- Every provider's billing line items in one set of FOCUS 1.2 columns: FOCUS
    exports, AWS CUR 2.0, Azure cost details and the Google Cloud billing
    export, each mapped by its staging model. A view: the fact reads it once. -#}
{%- set billing_models = [
    'stg_focus__line_items',
    'stg_aws__cur_line_items',
    'stg_azure__cost_details',
    'stg_gcp__billing_line_items',
] -%}

with

{% for model in billing_models %}
    {{ model }} as (

        select {{ billing_line_item_columns() | join(', ') }}
        from {{ ref(model) }}

    ),

{% endfor %}
unioned as (

    {% for model in billing_models %}
        select * from {{ model }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from unioned
