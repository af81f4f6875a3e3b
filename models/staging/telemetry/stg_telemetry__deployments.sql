with

source as (

    select * from {{ source('telemetry', 'deployments') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_string('deploy_id') }} as deploy_id,

        ---------- strings
        {{ clean_string('service_name') }} as service_name,
        lower({{ clean_string('team') }}) as team,
        lower({{ clean_string('environment') }}) as environment,
        {{ clean_string('version') }} as deploy_version,

        ---------- timestamps
        deployed_at,
        x_loaded_at

    from source

)

select * from renamed
