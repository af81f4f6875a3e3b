{{ config(materialized='table') }}
{#- The distinct tag strings, read from the line items once and kept as a small
    table: the tag parsing models start here instead of scanning every row. -#}
with

line_items as (

    select tags from {{ ref('int_billing_line_items') }}

),

tag_strings as (

    select distinct tags
    from line_items
    where tags is not null

)

select * from tag_strings
