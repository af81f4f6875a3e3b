{% macro cost_allocated_rows(months) -%}
{#- The rows of fct_cost_allocated for the billing months `months` (a query
    with one column, billing_month) selects. The model builds one month per
    statement with it (see the model and build_other_allocation_months). -#}
{% set rules = allocation_rules() -%}
{%- set pools = [] -%}
{%- for rule in rules -%}
{%- if rule.pool_operator == 'equals' -%}
{%- do pools.append("coalesce(" ~ rule.pool_column ~ " = '" ~ rule.pool_value ~ "', false)") -%}
{%- else -%}
{%- do pools.append("coalesce(regexp_matches(" ~ rule.pool_column ~ ", '" ~ rule.pool_value ~ "'), false)") -%}
{%- endif -%}
{%- endfor -%}
{%- set passthrough = [
    'x_line_item_id', 'billing_month', 'charge_date', 'billing_account_id',
    'sub_account_id', 'sub_account_name', 'provider_name', 'service_name',
    'service_category', 'charge_category', 'commitment_discount_status',
    'resource_id', 'billing_currency', 'x_exchange_rate', 'x_environment',
    'x_attribution_method', 'x_attribution_rule_id', 'x_original_team',
    'x_kubernetes_cluster', 'x_product_tag', 'x_cost_center_tag'
] -%}
{%- set amounts = ['billed_cost', 'effective_cost'] -%}
{%- set row_columns = passthrough + [
    'x_allocation_id', 'x_team', 'x_allocation_method', 'x_allocation_rule_id',
    'x_allocation_share'
] + amounts -%}

with

month_inputs as (

    select * from {{ ref('int_allocation_month_inputs') }}

),

months_to_build as (

    {{ months }}

),

line_items as (

    select all_line_items.*
    from {{ ref('int_line_items_attributed') }} as all_line_items
    inner join months_to_build
        on all_line_items.billing_month = months_to_build.billing_month

),

{#- Each target's share of a cluster day or of a rule's month, computed once
    here rather than per split line item: every line item of the cluster day
    (or in the rule's pool that month) splits onto the same targets by the same
    weights. The expression is the one largest_remainder_split uses. -#}
k8s_shares as (

    select
        cluster_name,
        usage_date,
        x_team,
        cast(
            cast(cost_share as decimal(38, 12))
            / sum(cast(cost_share as decimal(38, 12))) over (
                partition by cluster_name, usage_date
            )
            as decimal(18, 12)
        ) as piece_share
    from {{ ref('int_k8s_cluster_shares_daily') }}
    where cost_share > 0

),

shares as (

    select
        rule_id,
        billing_month,
        team,
        cast(
            cast(weight as decimal(38, 12))
            / sum(cast(weight as decimal(38, 12))) over (
                partition by rule_id, billing_month
            )
            as decimal(18, 12)
        ) as piece_share
    from {{ ref('int_allocation_shares_monthly') }}

),

teams as (

    select * from {{ ref('teams') }}

),

direct as (

    select
        x_line_item_id,
        billing_month,
        charge_date,
        billing_account_id,
        sub_account_id,
        sub_account_name,
        provider_name,
        service_name,
        service_category,
        charge_category,
        commitment_discount_status,
        resource_id,
        billing_currency,
        x_exchange_rate,
        x_environment,
        x_attribution_method,
        x_attribution_rule_id,
        x_team as x_original_team,
        tag_kubernetes_cluster as x_kubernetes_cluster,
        tag_product as x_product_tag,
        tag_cost_center as x_cost_center_tag,
        x_line_item_id as x_allocation_id,
        x_team,
        'direct' as x_allocation_method,
        cast(null as varchar) as x_allocation_rule_id,
        cast(1 as decimal(18, 12)) as x_allocation_share,
        billed_cost,
        effective_cost
    from line_items

),

k8s_pieces as (

    {#- The splits run on narrow rows (key, target, share, amounts); the line
        item's other columns are joined back to the split result. -#}
    select
        direct.x_allocation_id as split_key,
        direct.x_allocation_share as __parent_share,
        k8s_shares.x_team as target_key,
        k8s_shares.piece_share,
        direct.billed_cost,
        direct.effective_cost
    from direct
    inner join k8s_shares
        on
            direct.x_kubernetes_cluster = k8s_shares.cluster_name
            and direct.charge_date = k8s_shares.usage_date

),

k8s_split as (

    {{ largest_remainder_split(
        'k8s_pieces', ['split_key', '__parent_share', 'target_key'], amounts,
        share='piece_share'
    ) }}

),

step_0 as (

    select
        {%- for column in row_columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from direct
    where not exists (
        select 1 from k8s_pieces
        where k8s_pieces.split_key = direct.x_allocation_id
    )

    union all

    select
        {%- for column in passthrough %}
        direct.{{ column }},
        {%- endfor %}
        direct.x_allocation_id || '>k8s:' || k8s_split.target_key
            as x_allocation_id,
        k8s_split.target_key as x_team,
        'kubernetes' as x_allocation_method,
        'kubernetes:' || direct.x_kubernetes_cluster as x_allocation_rule_id,
        cast(
            k8s_split.__parent_share * k8s_split.x_allocation_share
            as decimal(18, 12)
        ) as x_allocation_share,
        k8s_split.billed_cost,
        k8s_split.effective_cost
    from k8s_split
    inner join direct
        on k8s_split.split_key = direct.x_allocation_id

),

{#- After each step, rows in no later rule's pool leave the chain (exit_n);
    the others (chain_n) go on to the next step. -#}
{%- for index in range(rules | length + 1) %}
{%- set later = pools[index:] %}
{%- set in_later = '(' ~ (later | join(' or ') if later else 'false') ~ ')' %}

exit_{{ index }} as (

    select * from step_{{ index }} where not {{ in_later }}

),

chain_{{ index }} as (

    select * from step_{{ index }} where {{ in_later }}

),
{%- if index < rules | length %}
{%- set rule = rules[index] %}
{%- set previous = 'chain_' ~ index %}
{%- set current = 'step_' ~ (index + 1) %}
{%- set in_pool = pools[index] %}

{{ current }}_pool as (

    select * from {{ previous }} where {{ in_pool }}

),

{{ current }}_pieces as (

    {#- Rule {{ rule.rule_id }}: {{ rule.pool_column }} {{ rule.pool_operator }} {{ rule.pool_value }}, {{ rule.method }} {{ rule.driver }} -#}
    select
        pool.x_allocation_id as split_key,
        pool.x_allocation_share as __parent_share,
        coalesce(rule_shares.team, 'unallocated') as target_key,
        coalesce(rule_shares.piece_share, cast(1 as decimal(18, 12)))
            as piece_share,
        pool.billed_cost,
        pool.effective_cost
    from {{ current }}_pool as pool
    left join (
        select * from shares where rule_id = '{{ rule.rule_id }}'
    ) as rule_shares
        on pool.billing_month = rule_shares.billing_month

),

{{ current }}_split as (

    {{ largest_remainder_split(
        current ~ '_pieces', ['split_key', '__parent_share', 'target_key'], amounts,
        share='piece_share'
    ) }}

),

{{ current }} as (

    select
        {%- for column in row_columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ previous }}
    where not {{ in_pool }}

    union all

    select
        {%- for column in passthrough %}
        pool.{{ column }},
        {%- endfor %}
        pool.x_allocation_id || '>{{ rule.rule_id }}:' || split.target_key
            as x_allocation_id,
        split.target_key as x_team,
        case
            when split.target_key = 'unallocated' then 'unallocated' else 'shared'
        end as x_allocation_method,
        '{{ rule.rule_id }}' as x_allocation_rule_id,
        cast(split.__parent_share * split.x_allocation_share as decimal(18, 12))
            as x_allocation_share,
        split.billed_cost,
        split.effective_cost
    from {{ current }}_split as split
    inner join {{ current }}_pool as pool
        on split.split_key = pool.x_allocation_id

),
{%- endif %}
{%- endfor %}

allocated_rows as (

    {%- for index in range(rules | length + 1) %}
    select * from exit_{{ index }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        ---------- ids
        allocated.x_allocation_id,
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
        cast(
            allocated.billed_cost * allocated.x_exchange_rate as {{ type_money() }}
        ) as x_billed_cost_reporting,
        cast(
            allocated.effective_cost * allocated.x_exchange_rate as {{ type_money() }}
        ) as x_effective_cost_reporting,

        ---------- booleans
        teams.team is not null as is_known_team,

        ---------- dates
        allocated.billing_month,
        allocated.charge_date,

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
