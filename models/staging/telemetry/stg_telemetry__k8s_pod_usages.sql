with

source as (

    select * from {{ source('telemetry', 'k8s_pod_usage') }}

),

renamed as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "cluster_name", "'|'", "namespace", "'|'", "pod_name", "'|'",
            "cast(usage_date as string)"
        ])) }} as pod_usage_id,
        {{ clean_string('cluster_name') }} as cluster_name,
        {{ clean_string('node_name') }} as node_name,
        {{ clean_string('namespace') }} as namespace,
        {{ clean_string('pod_name') }} as pod_name,

        ---------- strings
        {{ clean_string('pod_labels') }} as pod_labels,
        x_source_file,

        ---------- numerics
        cpu_request_cores,
        cpu_usage_cores,
        memory_request_gib,
        memory_usage_gib,
        running_hours,
        node_hourly_cost,
        node_cpu_cores,
        node_memory_gib,

        ---------- dates
        usage_date,

        ---------- timestamps
        x_loaded_at

    from source

)

select * from renamed
