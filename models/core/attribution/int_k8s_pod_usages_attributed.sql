{#- Pod usage with its owner and workload. The owner: the pod's `team` label
    first, then the namespace mapping seed (a row for the cluster, else for
    every cluster "*"). The workload: its `app` label, else the pod's name. -#}
with

pod_usages as (

    select * from {{ ref('stg_telemetry__k8s_pod_usages') }}

),

namespace_owners as (

    select * from {{ ref('k8s_namespace_owners') }}

),

labelled as (

    select
        pod_usages.*,
        lower({{ json_string_field('pod_usages.pod_labels', 'team') }})
            as label_team,
        {#- The workload a pod belongs to: its `app` label, else its name. -#}
        coalesce(
            {{ json_string_field('pod_usages.pod_labels', 'app') }},
            pod_usages.pod_name
        ) as workload_name
    from pod_usages

),

attributed as (

    select
        labelled.*,
        coalesce(
            labelled.label_team,
            cluster_owner.team,
            any_cluster_owner.team,
            'unmapped'
        ) as x_team,
        case
            when labelled.label_team is not null then 'label'
            when coalesce(cluster_owner.team, any_cluster_owner.team) is not null
                then 'namespace'
            else 'unmapped'
        end as x_attribution_method
    from labelled
    left join namespace_owners as cluster_owner
        on
            labelled.cluster_name = cluster_owner.cluster_name
            and labelled.namespace = cluster_owner.namespace
    left join namespace_owners as any_cluster_owner
        on
            any_cluster_owner.cluster_name = '*'
            and labelled.namespace = any_cluster_owner.namespace

)

select * from attributed
