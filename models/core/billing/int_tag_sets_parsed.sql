with

tag_pairs as (

    select * from {{ ref('int_tags_unpivoted') }}

),

tag_strings as (

    select * from {{ ref('int_tag_strings') }}

),

tag_maps as (

    select
        tags,
        {{ map_agg_sorted('tag_key', 'tag_value') }} as x_tags,
        count(*) as x_tag_count,
        {#- Two original keys that normalize to one ("Team" and "team", or
            "team" and "team" + a zero-width space): the first one's value is
            used, and the line items are flagged (tag_keys_collide). -#}
        max(original_key_count) > 1 as x_has_tag_key_collision
    from tag_pairs
    group by 1

),

tag_sets as (

    select
        tag_strings.tags,
        tag_maps.x_tags,
        coalesce(tag_maps.x_tag_count, 0) as x_tag_count,
        coalesce(tag_maps.x_has_tag_key_collision, false)
            as x_has_tag_key_collision,
        {{ is_json_object('tag_strings.tags') }} as x_is_tags_valid
    from tag_strings
    left join tag_maps
        on tag_strings.tags = tag_maps.tags

)

select * from tag_sets
