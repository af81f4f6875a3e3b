{%- macro allocation_step(index, step, later_pools, row_columns, passthrough) -%}
{#- The CTEs of one allocation step (a part of cost_allocated_rows): the rows
    of chain_<index - 1> in the step's pool split onto its targets with exact
    largest-remainder rounding (so the step conserves billed and effective
    cost), the others unchanged; then exit_<index>, the rows no later pool
    (`later_pools`) reaches, and chain_<index>, the rest. `step` holds the
    pool predicate, the join to the targets' shares (on `pool`), the target,
    share, method and rule id expressions and the tag of the new allocation
    ids.
    Every CTE reads the one before it once: rows outside the pool go through
    the split as one piece of share 1 (which returns their amounts exactly),
    so no CTE is read twice and the chain stays linear when an engine inlines
    CTEs (Spark's analyzer ran out of memory on the branching form). -#}
{%- set previous = 'chain_' ~ (index - 1) -%}
{%- set current = 'step_' ~ index -%}
{%- set in_later = allocation_later_pools(later_pools) -%}
{%- set carried = passthrough + ['x_allocation_id', 'x_allocation_method', 'x_allocation_rule_id'] %}

{{ current }}_flagged as (

    select
        *,
        {{ step.pool }} as __in_pool
    from {{ previous }}

),

{{ current }}_pieces as (

    -- {{ step.note }}
    select
        {%- for column in carried %}
        pool.{{ column }},
        {%- endfor %}
        pool.__in_pool,
        pool.x_allocation_id as split_key,
        pool.x_allocation_share as __parent_share,
        case when pool.__in_pool then {{ step.target }} else pool.x_team end
            as target_key,
        case
            when pool.__in_pool then {{ step.share }}
            else cast(1 as decimal(18, 12))
        end as piece_share,
        case
            when pool.__in_pool then {{ step.method }}
            else pool.x_allocation_method
        end as __method,
        pool.billed_cost,
        pool.effective_cost
    from {{ current }}_flagged as pool
    {{ step.targets }}

),

{{ current }}_split as (

    {{ largest_remainder_split(
        current ~ '_pieces',
        carried + ['__in_pool', 'split_key', '__parent_share', 'target_key', '__method'],
        ['billed_cost', 'effective_cost'], share='piece_share'
    ) }}

),

{{ current }} as (

    select
        {%- for column in row_columns %}
        {%- if column == 'x_team' %}
        target_key as x_team,
        {%- elif column == 'x_allocation_id' %}
        case
            when __in_pool
                then x_allocation_id || '>{{ step.tag }}:' || target_key
            else x_allocation_id
        end as x_allocation_id,
        {%- elif column == 'x_allocation_method' %}
        __method as x_allocation_method,
        {%- elif column == 'x_allocation_rule_id' %}
        case
            when __in_pool then {{ step.rule_id }} else x_allocation_rule_id
        end as x_allocation_rule_id,
        {%- elif column == 'x_allocation_share' %}
        cast(__parent_share * x_allocation_share as decimal(18, 12))
            as x_allocation_share,
        {%- else %}
        {{ column }}{{ "," if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from {{ current }}_split

),

exit_{{ index }} as (

    select * from {{ current }} where not {{ in_later }}

),

chain_{{ index }} as (

    select * from {{ current }} where {{ in_later }}

),
{%- endmacro %}
