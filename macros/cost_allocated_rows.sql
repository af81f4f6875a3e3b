{% macro cost_allocated_rows(months, part='split') -%}
{#- Rows of fct_cost_allocated, in its columns. `part` 'split': the rows the
    splits produce for the billing months `months` (a query with one column,
    billing_month) selects; int_allocation_split_rows builds every month with it
    in a full build, and each stale month in a statement of its own in an
    incremental build (see that model and build_other_allocation_months).
    `part` 'direct': one row per line item that no split reaches, every month
    (`months` is not read); fct_cost_allocated is a view of these rows and the
    split rows, so that the line items are not written a third time. -#}
{%- set direct = part == 'direct' -%}
{%- set rules = allocation_rules() -%}
{%- set pools = allocation_pool_predicates(rules) -%}
{%- set grain = allocation_grain() -%}
{%- set passthrough = [
    'x_line_item_id', 'resource_id', 'x_product_tag', 'x_cost_center_tag',
    'x_cost_object_id'
] + grain -%}
{%- set amounts = ['billed_cost', 'effective_cost'] -%}
{%- set row_columns = passthrough + [
    'x_allocation_id', 'x_allocation_method', 'x_allocation_rule_id',
    'x_allocation_share'
] + amounts -%}

{#- Step 1 splits Kubernetes node cost by the cluster day's owner shares; each
    later step applies one allocation rule, in step order. After each step,
    rows in no later rule's pool leave the chain (exit_n); the others
    (chain_n) go on to the next step. -#}
{%- set steps = [{
    'pool': 'is_on_a_cluster',
    'targets': 'left join k8s_shares on pool.__in_pool and pool.x_kubernetes_cluster = k8s_shares.cluster_name and pool.charge_date = k8s_shares.usage_date',
    'target': 'k8s_shares.x_team',
    'share': 'k8s_shares.piece_share',
    'method': "'kubernetes'",
    'rule_id': "'kubernetes:' || x_kubernetes_cluster",
    'tag': 'k8s',
    'note': 'Kubernetes node cost by the owner shares of the cluster day'
}] -%}
{%- for rule in rules -%}
    {%- do steps.append({
        'pool': pools[loop.index0],
        'targets': "left join shares on pool.__in_pool and shares.rule_id = '" ~ rule.rule_id ~ "' and pool.billing_month = shares.billing_month",
        'target': "coalesce(shares.team, 'unallocated')",
        'share': 'coalesce(shares.piece_share, cast(1 as decimal(18, 12)))',
        'method': "case when coalesce(shares.team, 'unallocated') = 'unallocated' then 'unallocated' else 'shared' end",
        'rule_id': "'" ~ rule.rule_id ~ "'",
        'tag': rule.rule_id,
        'note': 'rule ' ~ rule.rule_id ~ ': ' ~ rule.pool_column ~ ' ' ~ rule.pool_operator ~ ' ' ~ rule.pool_value ~ ', ' ~ rule.method ~ ' ' ~ rule.driver
    }) -%}
{%- endfor %}
{%- set all_pools = ['is_on_a_cluster'] + pools %}
{#- Where the allocation runs stepwise (Spark, allocation_runs_stepwise), the
    chain of steps is too large for one statement: each step is written to a
    table of its own (`<model>__step_<n>`, reading the one before) when the
    model compiles, and the model's statement reads the rows each step lets
    go; the model's last post-hook drops them (drop_allocation_step_tables). -#}
{%- set stepwise = allocation_runs_stepwise() -%}
{%- set step_tables = [] -%}
{%- for step in steps -%}
    {%- do step_tables.append(
        this.schema ~ '.' ~ this.identifier ~ '__step_' ~ loop.index
    ) -%}
{%- endfor -%}

{%- set line_item_ctes -%}
month_inputs as (

    select * from {{ ref('int_allocation_month_inputs') }}

),

{%- if direct %}

line_items as (

    select * from {{ ref('int_allocation_line_items') }}
    where not is_split

),
{%- else %}

months_to_build as (

    {{ months }}

),

line_items as (

    select all_line_items.*
    from {{ ref('int_allocation_line_items') }} as all_line_items
    inner join months_to_build
        on all_line_items.billing_month = months_to_build.billing_month
    where all_line_items.is_split

),
{%- endif %}

{%- endset -%}

{%- set share_ctes_k8s -%}
{#- Each target's share of a cluster day or of a rule's month, computed once
    here rather than per split row: every row of the cluster day (or in the
    rule's pool that month) splits onto the same targets by the same weights.
    The expression is the one largest_remainder_split uses. -#}
k8s_shares as (

    select
        cluster_name,
        usage_date,
        x_team,
        {{ share_of_partition('cost_share', 'cluster_name, usage_date') }}
            as piece_share
    from {{ ref('int_k8s_cluster_shares_daily') }}
    where cost_share > 0

),

{%- endset -%}

{%- set share_ctes_rules -%}
shares as (

    select
        rule_id,
        billing_month,
        team,
        {{ share_of_partition('weight', 'rule_id, billing_month') }}
            as piece_share
    from {{ ref('int_allocation_shares_monthly') }}

),

{%- endset -%}

{%- set final_ctes -%}
teams as (

    select * from {{ ref('teams') }}

),

{%- if direct %}

unsplit as (

    {#- A line item no split reaches: one row, its own. -#}
    select
        {%- for column in passthrough %}
        {{ column }},
        {%- endfor %}
        x_line_item_id as x_allocation_id,
        'direct' as x_allocation_method,
        cast(null as string) as x_allocation_rule_id,
        cast(1 as decimal(18, 12)) as x_allocation_share,
        billed_cost,
        effective_cost,
        x_billed_cost_reporting,
        x_effective_cost_reporting
    from line_items

),
{%- endif %}

{%- endset -%}

{%- set cost_object_ctes -%}
cost_objects as (

    {#- The cost objects: the line items a split reaches, summed per cost
        object (the grain), before any split. Their id, a hash of the grain,
        is computed here once per cost object, not once per line item (at
        `medium`, 37,278 cost objects of 2.7 million line items). -#}
    select
        {%- for column in grain %}
        {{ column }},
        {%- endfor %}
        sum(billed_cost) as billed_cost,
        sum(effective_cost) as effective_cost
    from line_items
    where is_split
    group by {{ grain | join(', ') }}

),

step_0 as (

    select
        cast(null as string) as x_line_item_id,
        cast(null as string) as resource_id,
        cast(null as string) as x_product_tag,
        cast(null as string) as x_cost_center_tag,
        {{ cost_object_id() }} as x_cost_object_id,
        {%- for column in grain %}
        {{ column }},
        {%- endfor %}
        {{ cost_object_id() }} as x_allocation_id,
        'direct' as x_allocation_method,
        cast(null as string) as x_allocation_rule_id,
        cast(1 as decimal(18, 12)) as x_allocation_share,
        billed_cost,
        effective_cost
    from cost_objects

),



chain_0 as (

    select * from step_0

),
{%- endset -%}


{%- if stepwise and not direct and execute and flags.WHICH in ['run', 'build'] -%}
    {%- for step in steps -%}
        {%- set previous -%}
            {%- if not loop.first %}
chain_{{ loop.index - 1 }} as (

    select * from {{ step_tables[loop.index0 - 1] }}
    where {{ allocation_later_pools(all_pools[loop.index - 1:]) }}

),
            {%- endif %}
        {%- endset -%}
        {%- set step_sql = 'with ' ~ (
                line_item_ctes ~ share_ctes_k8s ~ cost_object_ctes if loop.first
                else share_ctes_rules ~ previous
            )
            ~ allocation_step(loop.index, step, all_pools[loop.index:], row_columns, passthrough)
            ~ '\nsteps_done as (select 1 as done)\nselect * from step_' ~ loop.index -%}
        {%- for statement in create_table_statements(step_tables[loop.index0], step_sql) -%}
            {%- do run_query(statement) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endif %}

with

{{ line_item_ctes }}
{%- if not stepwise and not direct %}
{{ share_ctes_k8s }}
{{ share_ctes_rules }}
{%- endif %}
{{ final_ctes }}
{%- if not stepwise and not direct %}
{{ cost_object_ctes }}
{%- for step in steps %}
{{ allocation_step(loop.index, step, all_pools[loop.index:], row_columns, passthrough) }}
{%- endfor %}
{%- endif %}

allocated_rows as (

    {%- if direct %}
    select * from unsplit
    {%- else %}
    {%- for step in steps %}
    {%- if not loop.first %}
    union all
    {%- endif %}
    {%- if stepwise %}
    select * from {{ step_tables[loop.index0] }}
    where not {{ allocation_later_pools(all_pools[loop.index:]) }}
    {%- else %}
    select * from exit_{{ loop.index }}
    {%- endif %}
    {%- endfor %}
    {%- endif %}

),

final as (

    select
        ---------- ids
        allocated.x_allocation_id,
        allocated.x_cost_object_id,
        allocated.x_line_item_id,
        allocated.billing_account_id,
        allocated.sub_account_id,
        allocated.resource_id,

        ---------- strings
        allocated.x_team,
        case
            when teams.team is null then allocated.x_team
            when allocated.x_allocation_method = 'direct'
                then coalesce(allocated.x_cost_center_tag, teams.cost_center)
            else teams.cost_center
        end as x_cost_center,
        case
            when teams.team is null then allocated.x_team
            when allocated.x_allocation_method = 'direct'
                then coalesce(allocated.x_product_tag, teams.default_product)
            else teams.default_product
        end as x_product,
        coalesce(allocated.x_environment, 'unknown') as x_environment,
        allocated.x_original_team,
        allocated.x_attribution_method,
        allocated.x_attribution_rule_id,
        allocated.x_allocation_method,
        allocated.x_allocation_rule_id,
        allocated.x_kubernetes_cluster,
        allocated.provider_name,
        allocated.sub_account_name,
        allocated.service_name,
        allocated.service_category,
        allocated.charge_category,
        allocated.commitment_discount_status,
        allocated.billing_currency,
        '{{ var("reporting_currency") }}' as x_reporting_currency,

        ---------- numerics
        allocated.x_allocation_share,
        allocated.billed_cost,
        allocated.effective_cost,
        {%- if direct %}
        {#- The fact's own amounts, the same expression on the same row: a
            read of the view does not multiply 2 x 128-bit decimals per row
            again (most of the view's cost when it did). #}
        allocated.x_billed_cost_reporting,
        allocated.x_effective_cost_reporting,
        {%- else %}
        cast(
            allocated.billed_cost * allocated.x_exchange_rate as {{ type_money() }}
        ) as x_billed_cost_reporting,
        cast(
            allocated.effective_cost * allocated.x_exchange_rate as {{ type_money() }}
        ) as x_effective_cost_reporting,
        {%- endif %}

        ---------- booleans
        teams.team is not null as is_known_team,

        ---------- dates
        {#- Dates as dates on every engine (Spark's charge day arrives as a
            timestamp, and a view's contract casts nothing). #}
        cast(allocated.billing_month as date) as billing_month,
        cast(allocated.charge_date as date) as charge_date,

        ---------- timestamps
        month_inputs.x_inputs_loaded_at

    from allocated_rows as allocated
    left join teams
        on allocated.x_team = teams.team
    left join month_inputs
        on allocated.billing_month = month_inputs.billing_month

)

select * from final
{%- endmacro %}
