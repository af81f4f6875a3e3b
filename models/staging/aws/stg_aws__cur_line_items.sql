{#- The aws_cur_line_items rows as the loader wrote them (typed, empty values as null,
    with lineage); the mapping to FOCUS columns is core work
    (int_aws__line_items_as_focus). -#}
with

source as (

    select * from {{ source('aws_cur', 'aws_cur_line_items') }}

)

select * from source
