{#- untagged_resource policies: one row per policy and tag context (distinct
    tags, environment and owner of usage with a resource) with no tag at all
    (no tags, or tags that parse to nothing). -#}
with

context_months as (

    select * from {{ ref('int_policy_tag_contexts') }}

),

tag_contexts as (

    {#- Each context once, whatever months it occurs in. -#}
    select distinct
        tags,
        x_environment,
        x_team
    from context_months

),

policies as (

    select * from {{ ref('guardrail_policies') }}
    where policy_type = 'untagged_resource'

),

tag_pairs as (

    select * from {{ ref('int_tags_unpivoted') }}

),

tagged_sets as (

    select distinct tags from tag_pairs

),

final as (

    select
        policies.policy_id,
        tag_contexts.tags,
        tag_contexts.x_environment,
        tag_contexts.x_team
    from tag_contexts
    inner join policies
        on
            (
                policies.environment is null
                or tag_contexts.x_environment = policies.environment
            )
            and (policies.team is null or tag_contexts.x_team = policies.team)
    left join tagged_sets
        on tag_contexts.tags = tagged_sets.tags
    where tagged_sets.tags is null

)

select * from final
