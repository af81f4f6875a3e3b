{#- One row per inventory snapshot of a volume attached to nothing, with the
    first day it was seen so. -#}
with

assets as (

    select * from {{ ref('stg_telemetry__cloud_assets') }}
    where is_unattached

),

final as (

    select
        resource_id,
        snapshot_date,
        min(snapshot_date) over (partition by resource_id) as first_unattached_date
    from assets

)

select * from final
