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
        map_from_entries(
            list(struct_pack(key := tag_key, value := tag_value) order by tag_key)
        ) as x_tags,
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
        {#- A case, not "and": the engine may evaluate both sides of an "and",
            and json() fails the whole model on one malformed string. -#}
        case
            when json_valid(tag_strings.tags)
                then json_type(json(tag_strings.tags)) = 'OBJECT'
            else false
        end as x_is_tags_valid
    from tag_strings
    left join tag_maps
        on tag_strings.tags = tag_maps.tags

)

select * from tag_sets
