with

source as (

    select * from {{ source('telemetry', 'cloud_assets') }}

),

renamed as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "provider_name", "'|'", "resource_id", "'|'",
            "cast(snapshot_date as string)"
        ])) }} as cloud_asset_snapshot_id,
        {{ clean_string('resource_id') }} as resource_id,
        {{ clean_string('sub_account_id') }} as sub_account_id,
        {{ clean_string('attached_to') }} as attached_to,

        ---------- strings
        {{ clean_string('provider_name') }} as provider_name,
        {{ clean_string('resource_type') }} as resource_type,
        lower({{ clean_string('state') }}) as asset_state,

        ---------- booleans
        {{ clean_string('attached_to') }} is null as is_unattached,

        ---------- dates
        snapshot_date,

        ---------- timestamps
        x_loaded_at

    from source

)

select * from renamed
