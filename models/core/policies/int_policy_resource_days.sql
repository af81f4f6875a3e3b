{{ config(materialized='table') }}
{#- One row per resource, owner, environment, tags and day of usage that some
    policy looks at: resources of a tag context that fails a tag policy, and
    volumes the inventory saw unattached. Only these resource days are
    grouped: grouping every usage line item by resource and day took most of
    the policy checks' time at millions of rows. A table: three policies read
    it. -#}
with

line_items as (

    select * from {{ ref('int_policy_usage_line_items') }}

),

missing_tag_keys as (

    select * from {{ ref('int_policy_missing_tag_keys') }}

),

untagged_contexts as (

    select * from {{ ref('int_policy_untagged_contexts') }}

),

unattached as (

    select * from {{ ref('int_policy_unattached_volumes') }}

),

failing_contexts as (

    select distinct
        tags,
        x_environment,
        x_team
    from missing_tag_keys
    union
    select
        tags,
        x_environment,
        x_team
    from untagged_contexts

),

final as (

    select
        line_items.resource_id,
        line_items.provider_name,
        line_items.service_name,
        line_items.x_team,
        line_items.x_environment,
        line_items.tags,
        line_items.charge_date,
        sum(line_items.x_effective_cost_reporting) as x_cost_reporting
    from line_items
    where
        line_items.resource_id is not null
        and (
            exists (
                select 1 from failing_contexts
                where
                    line_items.tags is not distinct from failing_contexts.tags
                    and line_items.x_environment
                    is not distinct from failing_contexts.x_environment
                    and line_items.x_team
                    is not distinct from failing_contexts.x_team
            )
            or line_items.resource_id in (select unattached.resource_id from unattached)
        )
    group by 1, 2, 3, 4, 5, 6, 7

)

select * from final
