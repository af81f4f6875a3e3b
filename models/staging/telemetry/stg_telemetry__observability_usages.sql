with

source as (

    select * from {{ source('telemetry', 'observability_usage') }}

),

renamed as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "service_name", "'|'", "cast(usage_date as string)"
        ])) }} as observability_usage_id,
        {{ clean_string('service_name') }} as service_name,

        ---------- strings
        lower({{ clean_string('team') }}) as team,

        ---------- numerics
        ingested_gb,
        retention_days,
        indexed_events_millions,

        ---------- dates
        usage_date,

        ---------- timestamps
        x_loaded_at

    from source

)

select * from renamed
