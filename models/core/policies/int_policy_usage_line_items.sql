{#- The usage line items the guardrail policies look at, with the columns
    they need (one row per attributed usage line item). -#}
with

line_items as (

    select * from {{ ref('int_line_items_attributed') }}
    where charge_category = 'Usage'

),

final as (

    select
        resource_id,
        provider_name,
        coalesce(service_name, '(no service)') as service_name,
        service_category,
        x_team,
        x_environment,
        tags,
        charge_date,
        x_effective_cost_reporting,
        x_loaded_at
    from line_items

)

select * from final
