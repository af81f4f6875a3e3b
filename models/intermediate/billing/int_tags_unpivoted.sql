with

tag_strings as (

    {#- Each distinct tag string is parsed once, however many rows carry it. -#}
    select * from {{ ref('int_tag_strings') }}

),

tag_maps as (

    select
        tags,
        {{ json_object_to_map('tags') }} as tag_map
    from tag_strings

),

tag_entries as (

    select
        tags,
        unnest(map_keys(tag_map)) as original_key,
        unnest(map_values(tag_map)) as original_value
    from tag_maps

),

normalized as (

    select
        tags,
        {#- Providers' tag-key prefixes (AWS: "user:" in FOCUS, "user_" in CUR
            2.0) come off before normalization: var tag_key_prefixes_to_strip. -#}
        {{ normalize_key(strip_tag_key_prefix('original_key')) }} as tag_key,
        original_key,
        {#- Invisible characters (a right-to-left mark, a zero-width space)
            would make look-alike values: removed. -#}
        {{ clean_string(strip_invisible('original_value')) }} as tag_value
    from tag_entries

),

deduplicated as (

    {#- "Team" and "team " normalize to one key: the first original key wins. -#}
    select
        tags,
        tag_key,
        arg_min(tag_value, original_key) as tag_value,
        min(original_key) as original_key,
        count(*) as original_key_count
    from normalized
    where tag_key != '' and tag_value is not null
    group by 1, 2

)

select * from deduplicated
