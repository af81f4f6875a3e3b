{#- One row per guardrail policy, subject (resource, owner, observed service
    or Kubernetes node) and month in violation, with the days and the cost
    incurred while in violation. Policies and thresholds: seed
    guardrail_policies; each policy_type is one block below. A violation is
    ticketed, or goes to the daily digest when its cost per violating day is
    under `digest_max_daily_impact` (operations_settings). -#}
with

settings as (

    select * from {{ ref('operations_settings') }}

),

policies as (

    select * from {{ ref('guardrail_policies') }}

),

line_items as (

    select
        resource_id,
        provider_name,
        coalesce(service_name, '(no service)') as service_name,
        service_category,
        x_team,
        x_environment,
        tags,
        charge_date,
        x_effective_cost_reporting
    from {{ ref('int_line_items_attributed') }}
    where charge_category = 'Usage'

),

present_keys as (

    select distinct
        tag_pairs.tags,
        tag_keys.canonical_key
    from {{ ref('int_tags_unpivoted') }} as tag_pairs
    inner join {{ ref('tag_keys') }} as tag_keys
        on tag_pairs.tag_key = tag_keys.alias_key

),

tagged_sets as (

    select distinct tags from {{ ref('int_tags_unpivoted') }}

),

required_keys as (

    select * from {{ ref('tag_required_keys') }}

),

tag_contexts as (

    {#- The tag checks run once per distinct (tags, environment, owner)
        context, not per line item; only the resource days of a failing
        context (or of an unattached volume) are then grouped: grouping every
        usage line item by resource and day took most of this model's time
        at millions of rows. -#}
    select distinct
        tags,
        x_environment,
        x_team
    from line_items
    where resource_id is not null

),

-- required_tags: a resource without a key its environment requires
missing_key_contexts as (

    select
        policies.policy_id,
        tag_contexts.tags,
        tag_contexts.x_environment,
        tag_contexts.x_team,
        required_keys.canonical_key
    from tag_contexts
    inner join policies
        on
            policies.policy_type = 'required_tags'
            and (
                policies.environment is null
                or tag_contexts.x_environment = policies.environment
            )
            and (policies.team is null or tag_contexts.x_team = policies.team)
    inner join required_keys
        on tag_contexts.x_environment = required_keys.environment
    left join present_keys
        on
            tag_contexts.tags = present_keys.tags
            and required_keys.canonical_key = present_keys.canonical_key
    where present_keys.canonical_key is null

),

-- untagged_resource: no tag at all (no tags, or tags that parse to nothing)
untagged_contexts as (

    select
        policies.policy_id,
        tag_contexts.tags,
        tag_contexts.x_environment,
        tag_contexts.x_team
    from tag_contexts
    inner join policies
        on
            policies.policy_type = 'untagged_resource'
            and (
                policies.environment is null
                or tag_contexts.x_environment = policies.environment
            )
            and (policies.team is null or tag_contexts.x_team = policies.team)
    left join tagged_sets
        on tag_contexts.tags = tagged_sets.tags
    where tagged_sets.tags is null

),

failing_contexts as (

    select distinct
        tags,
        x_environment,
        x_team
    from missing_key_contexts
    union
    select
        tags,
        x_environment,
        x_team
    from untagged_contexts

),

unattached as (

    select
        resource_id,
        snapshot_date,
        min(snapshot_date) over (partition by resource_id) as first_unattached_date
    from {{ ref('stg_telemetry__cloud_assets') }}
    where is_unattached

),

resource_days as (

    select
        line_items.resource_id,
        line_items.provider_name,
        line_items.service_name,
        line_items.x_team,
        line_items.x_environment,
        line_items.tags,
        line_items.charge_date,
        sum(line_items.x_effective_cost_reporting) as x_cost_reporting
    from line_items
    where
        line_items.resource_id is not null
        and (
            exists (
                select 1 from failing_contexts
                where
                    line_items.tags is not distinct from failing_contexts.tags
                    and line_items.x_environment
                    is not distinct from failing_contexts.x_environment
                    and line_items.x_team
                    is not distinct from failing_contexts.x_team
            )
            or line_items.resource_id in (select unattached.resource_id from unattached)
        )
    group by 1, 2, 3, 4, 5, 6, 7

),

missing_keys as (

    select
        missing_key_contexts.policy_id,
        resource_days.resource_id,
        resource_days.provider_name,
        resource_days.service_name,
        resource_days.x_team,
        resource_days.x_environment,
        resource_days.charge_date,
        resource_days.x_cost_reporting,
        missing_key_contexts.canonical_key
    from resource_days
    inner join missing_key_contexts
        on
            resource_days.tags is not distinct from missing_key_contexts.tags
            and resource_days.x_environment = missing_key_contexts.x_environment
            and resource_days.x_team
            is not distinct from missing_key_contexts.x_team

),

required_tags as (

    select
        policy_id,
        'resource' as subject_type,
        resource_id as subject_id,
        x_team,
        provider_name,
        service_name,
        x_environment,
        charge_date,
        max(x_cost_reporting) as x_cost_reporting,
        'missing tag keys: '
        || {{ dbt.listagg('canonical_key', "', '", 'order by canonical_key') }}
            as violation_detail,
        cast(count(*) as double) as observed_value
    from missing_keys
    group by 1, 2, 3, 4, 5, 6, 7, 8

),

untagged as (

    select
        untagged_contexts.policy_id,
        'resource' as subject_type,
        resource_days.resource_id as subject_id,
        resource_days.x_team,
        resource_days.provider_name,
        resource_days.service_name,
        resource_days.x_environment,
        resource_days.charge_date,
        resource_days.x_cost_reporting,
        'resource has no tags' as violation_detail,
        cast(0 as double) as observed_value
    from resource_days
    inner join untagged_contexts
        on
            resource_days.tags is not distinct from untagged_contexts.tags
            and resource_days.x_environment
            is not distinct from untagged_contexts.x_environment
            and resource_days.x_team is not distinct from untagged_contexts.x_team

),

-- max_daily_owner_spend: an owner's usage cost on one day above the ceiling
owner_days as (

    select
        x_team,
        charge_date,
        sum(x_effective_cost_reporting) as x_cost_reporting
    from line_items
    group by 1, 2

),

owner_spend as (

    select
        policies.policy_id,
        'owner' as subject_type,
        owner_days.x_team as subject_id,
        owner_days.x_team,
        cast(null as varchar) as provider_name,
        cast(null as varchar) as service_name,
        cast(null as varchar) as x_environment,
        owner_days.charge_date,
        owner_days.x_cost_reporting,
        'daily usage cost above ' || cast(policies.threshold as varchar)
            as violation_detail,
        cast(owner_days.x_cost_reporting as double) as observed_value
    from owner_days
    inner join policies
        on
            policies.policy_type = 'max_daily_owner_spend'
            and (policies.team is null or owner_days.x_team = policies.team)
            and owner_days.x_cost_reporting > policies.threshold

),

-- egress_share_ceiling: an owner's month with too large an egress share
owner_months as (

    select
        line_items.x_team,
        {{ dbt.date_trunc('month', 'line_items.charge_date') }} as charge_month,
        policies.policy_id,
        policies.threshold,
        max(line_items.charge_date) as last_date,
        sum(
            case
                when line_items.service_category = policies.scope
                    then line_items.x_effective_cost_reporting
                else 0
            end
        ) as x_egress_cost_reporting,
        sum(line_items.x_effective_cost_reporting) as x_cost_reporting
    from line_items
    inner join policies
        on
            policies.policy_type = 'egress_share_ceiling'
            and (policies.team is null or line_items.x_team = policies.team)
    group by 1, 2, 3, 4

),

egress_share as (

    select
        policy_id,
        'owner' as subject_type,
        x_team as subject_id,
        x_team,
        cast(null as varchar) as provider_name,
        cast(null as varchar) as service_name,
        cast(null as varchar) as x_environment,
        cast(charge_month as date) as charge_date,
        x_egress_cost_reporting as x_cost_reporting,
        'egress share of monthly usage cost above ' || cast(threshold as varchar)
            as violation_detail,
        cast(x_egress_cost_reporting / x_cost_reporting as double)
            as observed_value
    from owner_months
    where
        x_cost_reporting > 0
        and x_egress_cost_reporting / x_cost_reporting > threshold

),

-- observability_retention_ceiling: log retention above the ceiling
retention as (

    select
        policies.policy_id,
        'observed_service' as subject_type,
        observability.service_name as subject_id,
        coalesce(observability.team, 'unmapped') as x_team,
        cast(null as varchar) as provider_name,
        observability.service_name,
        cast(null as varchar) as x_environment,
        observability.usage_date as charge_date,
        cast(null as {{ type_money() }}) as x_cost_reporting,
        'log retention (days) above ' || cast(policies.threshold as varchar)
            as violation_detail,
        cast(observability.retention_days as double) as observed_value
    from {{ ref('stg_telemetry__observability_usages') }} as observability
    inner join policies
        on
            policies.policy_type = 'observability_retention_ceiling'
            and (policies.team is null or observability.team = policies.team)
            and observability.retention_days > policies.threshold

),

-- orphaned_volume: attached to nothing for more than `threshold` days
orphaned as (

    select
        policies.policy_id,
        'resource' as subject_type,
        unattached.resource_id as subject_id,
        coalesce(resource_days.x_team, 'unmapped') as x_team,
        resource_days.provider_name,
        resource_days.service_name,
        resource_days.x_environment,
        unattached.snapshot_date as charge_date,
        resource_days.x_cost_reporting,
        'unattached since ' || cast(unattached.first_unattached_date as varchar)
            as violation_detail,
        cast({{ dbt.datediff(
            'unattached.first_unattached_date', 'unattached.snapshot_date', 'day'
        ) }} as double) as observed_value
    from unattached
    inner join policies
        on policies.policy_type = 'orphaned_volume'
    left join resource_days
        on
            unattached.resource_id = resource_days.resource_id
            and unattached.snapshot_date = resource_days.charge_date
    where
        {{ dbt.datediff(
            'unattached.first_unattached_date', 'unattached.snapshot_date', 'day'
        ) }} > policies.threshold

),

-- idle_kubernetes_node: pods request under `threshold` of the node's CPU
node_days as (

    select
        cluster_name,
        node_name,
        usage_date,
        sum(cpu_request_cores) as cpu_request_cores,
        max(node_cpu_cores) as node_cpu_cores,
        max(node_hourly_cost) * 24 as node_daily_cost
    from {{ ref('stg_telemetry__k8s_pod_usages') }}
    group by 1, 2, 3

),

idle_nodes as (

    select
        policies.policy_id,
        'kubernetes_node' as subject_type,
        node_days.cluster_name || '/' || node_days.node_name as subject_id,
        cast(null as varchar) as x_team,
        cast(null as varchar) as provider_name,
        cast(null as varchar) as service_name,
        cast(null as varchar) as x_environment,
        node_days.usage_date as charge_date,
        cast(node_days.node_daily_cost as {{ type_money() }}) as x_cost_reporting,
        'CPU requests under ' || cast(policies.threshold as varchar)
        || ' of node capacity' as violation_detail,
        cast(
            node_days.cpu_request_cores / nullif(node_days.node_cpu_cores, 0)
            as double
        ) as observed_value
    from node_days
    inner join policies
        on
            policies.policy_type = 'idle_kubernetes_node'
            and node_days.cpu_request_cores
            < policies.threshold * node_days.node_cpu_cores

),

violation_days as (

    select * from required_tags
    union all
    select * from untagged
    union all
    select * from owner_spend
    union all
    select * from egress_share
    union all
    select * from retention
    union all
    select * from orphaned
    union all
    select * from idle_nodes

),

monthly as (

    select
        violation_days.policy_id,
        violation_days.subject_type,
        violation_days.subject_id,
        violation_days.x_team,
        violation_days.provider_name,
        violation_days.service_name,
        violation_days.x_environment,
        {{ dbt.date_trunc('month', 'violation_days.charge_date') }}
            as violation_month,
        min(violation_days.charge_date) as first_seen_date,
        max(violation_days.charge_date) as last_seen_date,
        count(distinct violation_days.charge_date) as violating_days,
        sum(violation_days.x_cost_reporting) as x_cost_reporting,
        max(violation_days.violation_detail) as violation_detail,
        max(violation_days.observed_value) as observed_value
    from violation_days
    group by 1, 2, 3, 4, 5, 6, 7, 8

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "monthly.policy_id", "'|'", "monthly.subject_id", "'|'",
            "coalesce(monthly.x_team, '')", "'|'",
            "cast(monthly.violation_month as varchar)"
        ])) }} as policy_violation_id,
        monthly.policy_id,
        monthly.subject_id,

        ---------- strings
        policies.policy_type,
        policies.description as policy_description,
        monthly.subject_type,
        monthly.x_team,
        monthly.provider_name,
        monthly.service_name,
        monthly.x_environment,
        monthly.violation_detail,
        case
            when
                monthly.x_cost_reporting is not null
                and monthly.x_cost_reporting / monthly.violating_days
                < settings.digest_max_daily_impact
                then 'digest'
            else 'ticket'
        end as alert_route,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        monthly.violating_days,
        monthly.observed_value,
        cast(policies.threshold as double) as threshold,
        monthly.x_cost_reporting,

        ---------- dates
        monthly.first_seen_date,
        monthly.last_seen_date,
        cast(monthly.violation_month as date) as violation_month

    from monthly
    cross join settings
    inner join policies
        on monthly.policy_id = policies.policy_id

)

select * from final
