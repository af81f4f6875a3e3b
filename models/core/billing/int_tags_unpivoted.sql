{#- On Spark a table: the key normalization (macros/nfkc_fold.sql) makes the
    view's text longer than a Hive metastore keeps (32,700 characters). -#}
{{ config(materialized='table' if target.type == 'spark' else 'view') }}
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
        {{ unnest_map('tag_map', 'original_key', 'original_value') }}
    from tag_maps

),

key_names as (

    {#- Each distinct key is normalized once (an estate has a few hundred). -#}
    select distinct original_key from tag_entries

),

normalized_keys as (

    select
        original_key,
        {#- Providers' tag-key prefixes (AWS: "user:" in FOCUS, "user_" in CUR
            2.0) come off before normalization: var tag_key_prefixes_to_strip. -#}
        {{ normalize_key(strip_tag_key_prefix('original_key')) }} as tag_key
    from key_names

),

normalized as (

    select
        tag_entries.tags,
        normalized_keys.tag_key,
        tag_entries.original_key,
        {#- Invisible characters (a right-to-left mark, a zero-width space)
            would make look-alike values: removed. -#}
        {{ clean_string(strip_invisible('tag_entries.original_value')) }}
            as tag_value
    from tag_entries
    inner join normalized_keys
        on tag_entries.original_key = normalized_keys.original_key

),

deduplicated as (

    {#- "Team" and "team " normalize to one key: the first original key wins. -#}
    select
        tags,
        tag_key,
        min_by(tag_value, original_key) as tag_value,
        min(original_key) as original_key,
        count(*) as original_key_count
    from normalized
    where tag_key != '' and tag_value is not null
    group by 1, 2

)

select * from deduplicated
