{%- macro allocation_step(index, step, later_pools, row_columns, passthrough) -%}
{#- The CTEs of one allocation step (a part of cost_allocated_rows): the rows
    of chain_<index - 1> in the step's pool split onto its targets with exact
    largest-remainder rounding (so the step conserves billed and effective
    cost), the others unchanged; then exit_<index>, the rows no later pool
    (`later_pools`) reaches, and chain_<index>, the rest. `step` holds the
    pool predicate, the join to the targets' shares, the target, share,
    method and rule id expressions and the tag of the new allocation ids. -#}
{%- set previous = 'chain_' ~ (index - 1) -%}
{%- set current = 'step_' ~ index -%}
{%- set in_later = '(' ~ (later_pools | join(' or ') if later_pools else 'false') ~ ')' %}

{{ current }}_pool as (

    select * from {{ previous }} where {{ step.pool }}

),

{{ current }}_pieces as (

    -- {{ step.note }}
    select
        pool.x_allocation_id as split_key,
        pool.x_allocation_share as __parent_share,
        {{ step.target }} as target_key,
        {{ step.share }} as piece_share,
        {{ step.method }} as __method,
        pool.billed_cost,
        pool.effective_cost
    from {{ current }}_pool as pool
    {{ step.targets }}

),

{{ current }}_split as (

    {{ largest_remainder_split(
        current ~ '_pieces', ['split_key', '__parent_share', 'target_key', '__method'],
        ['billed_cost', 'effective_cost'], share='piece_share'
    ) }}

),

{{ current }} as (

    select
        {%- for column in row_columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ previous }}
    where not {{ step.pool }}

    union all

    select
        {%- for column in passthrough %}
        {%- if column == 'x_team' %}
        split.target_key as x_team,
        {%- else %}
        pool.{{ column }},
        {%- endif %}
        {%- endfor %}
        pool.x_allocation_id || '>{{ step.tag }}:' || split.target_key
            as x_allocation_id,
        split.__method as x_allocation_method,
        {{ step.rule_id }} as x_allocation_rule_id,
        cast(split.__parent_share * split.x_allocation_share as decimal(18, 12))
            as x_allocation_share,
        split.billed_cost,
        split.effective_cost
    from {{ current }}_split as split
    inner join {{ current }}_pool as pool
        on split.split_key = pool.x_allocation_id

),

exit_{{ index }} as (

    select * from {{ current }} where not {{ in_later }}

),

chain_{{ index }} as (

    select * from {{ current }} where {{ in_later }}

),
{%- endmacro %}
