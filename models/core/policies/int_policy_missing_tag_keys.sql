{#- required_tags policies: one row per policy, tag context (distinct tags,
    environment and owner of usage with a resource) and required key the
    context lacks. The checks run once per context, not per line item. -#}
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
    where policy_type = 'required_tags'

),

required_keys as (

    select * from {{ ref('tag_required_keys') }}

),

tag_pairs as (

    select * from {{ ref('int_tags_unpivoted') }}

),

tag_keys as (

    select * from {{ ref('tag_keys') }}

),

present_keys as (

    select distinct
        tag_pairs.tags,
        tag_keys.canonical_key
    from tag_pairs
    inner join tag_keys
        on tag_pairs.tag_key = tag_keys.alias_key

),

final as (

    select
        policies.policy_id,
        tag_contexts.tags,
        tag_contexts.x_environment,
        tag_contexts.x_team,
        required_keys.canonical_key
    from tag_contexts
    inner join policies
        on
            (
                policies.environment is null
                or tag_contexts.x_environment = policies.environment
            )
            and (policies.team is null or tag_contexts.x_team = policies.team)
    inner join required_keys
        on tag_contexts.x_environment = required_keys.environment
    left join present_keys
        on
            tag_contexts.tags = present_keys.tags
            and required_keys.canonical_key = present_keys.canonical_key
    where present_keys.canonical_key is null

)

select * from final
