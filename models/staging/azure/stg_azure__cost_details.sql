{#- The azure_cost_details rows as the loader wrote them (typed, empty values as null,
    with lineage); the mapping to FOCUS columns is core work
    (int_azure__line_items_as_focus). -#}
with

source as (

    select * from {{ source('azure_cost', 'azure_cost_details') }}

)

select * from source
