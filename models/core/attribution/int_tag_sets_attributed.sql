{#- Canonical owner attributes per distinct tag string: alias keys resolved by
    priority (seed tag_keys), values cased and mapped through tag_value_aliases. -#}
with

tag_pairs as (

    select * from {{ ref('int_tags_unpivoted') }}

),

tag_keys as (

    select * from {{ ref('tag_keys') }}

),

value_aliases as (

    select * from {{ ref('tag_value_aliases') }}

),

canonical_pairs as (

    select
        tag_pairs.tags,
        tag_keys.canonical_key,
        tag_keys.priority,
        case tag_keys.value_case
            when 'lower' then lower(tag_pairs.tag_value)
            when 'upper' then upper(tag_pairs.tag_value)
            else tag_pairs.tag_value
        end as tag_value
    from tag_pairs
    inner join tag_keys
        on tag_pairs.tag_key = tag_keys.alias_key

),

first_by_priority as (

    select
        tags,
        canonical_key,
        min_by(tag_value, priority) as tag_value
    from canonical_pairs
    group by 1, 2

),

aliased as (

    select
        first_by_priority.tags,
        first_by_priority.canonical_key,
        coalesce(value_aliases.canonical_value, first_by_priority.tag_value)
            as tag_value
    from first_by_priority
    left join value_aliases
        on
            first_by_priority.canonical_key = value_aliases.canonical_key
            and lower(first_by_priority.tag_value) = value_aliases.alias_value

),

pivoted as (

    select
        tags,
        max(case when canonical_key = 'team' then tag_value end) as tag_team,
        max(case when canonical_key = 'cost_center' then tag_value end)
            as tag_cost_center,
        max(case when canonical_key = 'environment' then tag_value end)
            as tag_environment,
        max(case when canonical_key = 'product' then tag_value end) as tag_product,
        max(case when canonical_key = 'feature' then tag_value end) as tag_feature,
        max(case when canonical_key = 'kubernetes_cluster' then tag_value end)
            as tag_kubernetes_cluster
    from aliased
    group by 1

)

select * from pivoted
