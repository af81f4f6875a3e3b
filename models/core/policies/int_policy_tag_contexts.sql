{#- The tag policies check each distinct (tags, environment, owner) context of
    usage with a resource once, not each line item. -#}
with

line_items as (

    select * from {{ ref('int_policy_usage_line_items') }}

),

final as (

    select distinct
        tags,
        x_environment,
        x_team
    from line_items
    where resource_id is not null

)

select * from final
