with

source as (

    select * from {{ source('telemetry', 'business_metrics') }}

),

renamed as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "product", "'|'", "coalesce(feature, '')", "'|'",
            "cast(metric_date as string)"
        ])) }} as business_metric_id,
        {{ clean_string('product') }} as product,
        {{ clean_string('feature') }} as feature,

        ---------- numerics
        transactions,
        active_users,
        feature_usage_count,

        ---------- dates
        metric_date,

        ---------- timestamps
        x_loaded_at

    from source

)

select * from renamed
