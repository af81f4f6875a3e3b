with

source as (

    select * from {{ source('telemetry', 'ci_builds') }}

),

renamed as (

    select
        ---------- ids
        {{ clean_string('build_id') }} as build_id,

        ---------- strings
        {{ clean_string('pipeline') }} as pipeline,
        lower({{ clean_string('team') }}) as team,
        lower({{ clean_string('runner_type') }}) as runner_type,
        lower({{ clean_string('status') }}) as build_status,

        ---------- numerics
        duration_seconds,
        billable_minutes,

        ---------- timestamps
        started_at,
        x_loaded_at

    from source

)

select * from renamed
