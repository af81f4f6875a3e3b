{#- The gcp_billing_export rows as the loader wrote them (typed, empty values as null,
    with lineage); the mapping to FOCUS columns is core work
    (int_gcp__line_items_as_focus). -#}
with

source as (

    select * from {{ source('gcp_billing', 'gcp_billing_export') }}

)

select * from source
