{#
    (Lint layout rules are off: the step CTEs are generated from the rules seed.)
    The allocated cost fact: one row per line item and consumer share. It starts
    from the attributed line items (one row each, x_allocation_method 'direct'),
    splits Kubernetes node cost onto owners and idle by the daily cluster shares,
    then applies the allocation rules (seeds/allocation) in step order; each
    rule splits the rows in its pool onto its targets with exact largest-
    remainder rounding, so every step conserves billed and effective cost.
#}
-- noqa: disable=LT02,LT05,LT14,AL09,ST05,ST03
-- depends_on: {{ ref('allocation_rules') }}
-- depends_on: {{ ref('allocation_targets') }}
{% set rules = allocation_rules() -%}
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

line_items as (

    select * from {{ ref('int_line_items_attributed') }}

),

k8s_shares as (

    select * from {{ ref('int_k8s_cluster_shares_daily') }}

),

shares as (

    select * from {{ ref('int_allocation_shares_monthly') }}

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

    select
        {%- for column in row_columns if column != 'x_allocation_share' %}
        direct.{{ column }} as {{ column }},
        {%- endfor %}
        direct.x_allocation_share as __parent_share,
        direct.x_allocation_id as split_key,
        k8s_shares.x_team as target_key,
        k8s_shares.cost_share as weight
    from direct
    inner join k8s_shares
        on
            direct.x_kubernetes_cluster = k8s_shares.cluster_name
            and direct.charge_date = k8s_shares.usage_date
    where k8s_shares.cost_share > 0

),

k8s_split as (

    {{ largest_remainder_split(
        'k8s_pieces',
        passthrough + ['x_allocation_id', '__parent_share', 'target_key'],
        amounts
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
        {{ column }},
        {%- endfor %}
        x_allocation_id || '>k8s:' || target_key as x_allocation_id,
        target_key as x_team,
        'kubernetes' as x_allocation_method,
        'kubernetes:' || x_kubernetes_cluster as x_allocation_rule_id,
        cast(__parent_share * x_allocation_share as decimal(18, 12))
            as x_allocation_share,
        billed_cost,
        effective_cost
    from k8s_split

),

{%- for rule in rules %}
{%- set previous = 'step_' ~ loop.index0 %}
{%- set current = 'step_' ~ loop.index %}
{%- if rule.pool_operator == 'equals' %}
{%- set in_pool = "coalesce(" ~ rule.pool_column ~ " = '" ~ rule.pool_value ~ "', false)" %}
{%- else %}
{%- set in_pool = "coalesce(regexp_matches(" ~ rule.pool_column ~ ", '" ~ rule.pool_value ~ "'), false)" %}
{%- endif %}

{{ current }}_pieces as (

    {#- Rule {{ rule.rule_id }}: {{ rule.pool_column }} {{ rule.pool_operator }} {{ rule.pool_value }}, {{ rule.method }} {{ rule.driver }} -#}
    select
        {%- for column in row_columns if column != 'x_allocation_share' %}
        pool.{{ column }} as {{ column }},
        {%- endfor %}
        pool.x_allocation_share as __parent_share,
        pool.x_allocation_id as split_key,
        coalesce(rule_shares.team, 'unallocated') as target_key,
        coalesce(rule_shares.weight, 1) as weight
    from (select * from {{ previous }} where {{ in_pool }}) as pool
    left join (
        select * from shares where rule_id = '{{ rule.rule_id }}'
    ) as rule_shares
        on pool.billing_month = rule_shares.billing_month

),

{{ current }}_split as (

    {{ largest_remainder_split(
        current ~ '_pieces',
        passthrough + ['x_allocation_id', '__parent_share', 'target_key'],
        amounts
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
        {{ column }},
        {%- endfor %}
        x_allocation_id || '>{{ rule.rule_id }}:' || target_key as x_allocation_id,
        target_key as x_team,
        case
            when target_key = 'unallocated' then 'unallocated' else 'shared'
        end as x_allocation_method,
        '{{ rule.rule_id }}' as x_allocation_rule_id,
        cast(__parent_share * x_allocation_share as decimal(18, 12))
            as x_allocation_share,
        billed_cost,
        effective_cost
    from {{ current }}_split

),
{%- endfor %}

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
        allocated.charge_date

    from step_{{ rules | length }} as allocated
    left join teams
        on allocated.x_team = teams.team

)

select * from final
