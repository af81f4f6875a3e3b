{#- Every line item with an owner and the method that found it, first that
    applies: tags -> resource inventory -> sub-account mapping -> ordered
    pattern rules -> unmapped.
    A table, incremental by billing month like fct_billing_line_items (a month
    any of whose line items was loaded after the newest load this table holds
    is rebuilt whole; others are kept): eight models read it, most by month.
    Edits to the attribution seeds need `dbt build --full-refresh`. -#}
-- noqa: disable=LT02
-- (Layout: the incremental branch is Jinja inside the CTEs.)
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    **incremental_by_period('billing_month')
) }}

with

line_items as (

    select
        all_line_items.x_line_item_id,
        all_line_items.billing_account_id,
        all_line_items.sub_account_id,
        all_line_items.sub_account_name,
        all_line_items.resource_id,
        all_line_items.resource_name,
        all_line_items.provider_name,
        all_line_items.service_name,
        all_line_items.service_category,
        all_line_items.service_subcategory,
        all_line_items.region_id,
        all_line_items.charge_category,
        all_line_items.commitment_discount_status,
        all_line_items.billing_currency,
        all_line_items.tags,
        all_line_items.billed_cost,
        all_line_items.effective_cost,
        all_line_items.x_exchange_rate,
        all_line_items.x_effective_cost_reporting,
        all_line_items.x_loaded_at,
        cast(all_line_items.billing_period_start as date) as billing_month,
        cast(all_line_items.charge_period_start as date) as charge_date
    from {{ ref('fct_billing_line_items') }} as all_line_items
    {%- if is_incremental() %}
        where all_line_items.billing_period_start in (
            {{ periods_loaded_since_built(
                ref('fct_billing_line_items'), 'billing_period_start'
            ) }}
        )
    {%- endif %}

),

tag_sets as (

    select * from {{ ref('int_tag_sets_attributed') }}

),

inventory as (

    select * from {{ ref('resource_inventory') }}

),

sub_accounts as (

    select * from {{ ref('sub_account_owners') }}

),

rules as (

    select * from {{ ref('attribution_rules') }}

),

teams as (

    select * from {{ ref('teams') }}

),

known_owner as (

    select
        line_items.*,
        tag_sets.tag_team,
        tag_sets.tag_cost_center,
        tag_sets.tag_product,
        tag_sets.tag_kubernetes_cluster,
        inventory.team as inventory_team,
        sub_accounts.team as sub_account_team,
        coalesce(
            tag_sets.tag_environment,
            inventory.environment,
            sub_accounts.environment
        ) as x_environment
    from line_items
    left join tag_sets
        on line_items.tags = tag_sets.tags
    left join inventory
        on line_items.resource_id = inventory.resource_id
    left join sub_accounts
        on
            line_items.provider_name = sub_accounts.provider_name
            and line_items.sub_account_id = sub_accounts.sub_account_id

),

unowned_keys as (

    {#- Patterns are tried only where no earlier step found an owner, once per
        distinct combination of the columns they can match (not per line item:
        at 9 million line items, matching each row took 12 s a read). -#}
    select distinct
        resource_name,
        resource_id,
        service_name,
        sub_account_name,
        sub_account_id,
        billing_account_id,
        provider_name
    from known_owner
    where
        tag_team is null
        and inventory_team is null
        and sub_account_team is null

),

rule_candidates as (

    select
        unowned_keys.resource_name,
        unowned_keys.resource_id,
        unowned_keys.service_name,
        unowned_keys.sub_account_name,
        unowned_keys.sub_account_id,
        unowned_keys.billing_account_id,
        unowned_keys.provider_name,
        min_by(rules.team, rules.rule_order) as rule_team,
        min_by(rules.rule_id, rules.rule_order) as rule_id
    from unowned_keys
    inner join rules
        on {{ matches_pattern(
            "case rules.match_column
                when 'resource_name' then unowned_keys.resource_name
                when 'resource_id' then unowned_keys.resource_id
                when 'service_name' then unowned_keys.service_name
                when 'sub_account_name' then unowned_keys.sub_account_name
                when 'sub_account_id' then unowned_keys.sub_account_id
                when 'billing_account_id' then unowned_keys.billing_account_id
                when 'provider_name' then unowned_keys.provider_name
            end",
            'rules.pattern'
        ) }}
    group by 1, 2, 3, 4, 5, 6, 7

),

attributed as (

    select
        known_owner.*,
        rule_candidates.rule_id as x_attribution_rule_id,
        coalesce(
            known_owner.tag_team,
            known_owner.inventory_team,
            known_owner.sub_account_team,
            rule_candidates.rule_team,
            'unmapped'
        ) as x_team,
        case
            when known_owner.tag_team is not null then 'tag'
            when known_owner.inventory_team is not null then 'inventory'
            when known_owner.sub_account_team is not null then 'sub_account'
            when rule_candidates.rule_team is not null then 'rule'
            else 'unmapped'
        end as x_attribution_method
    from known_owner
    left join rule_candidates
        on
            known_owner.tag_team is null
            and known_owner.inventory_team is null
            and known_owner.sub_account_team is null
            and known_owner.resource_name
            is not distinct from rule_candidates.resource_name
            and known_owner.resource_id
            is not distinct from rule_candidates.resource_id
            and known_owner.service_name
            is not distinct from rule_candidates.service_name
            and known_owner.sub_account_name
            is not distinct from rule_candidates.sub_account_name
            and known_owner.sub_account_id
            is not distinct from rule_candidates.sub_account_id
            and known_owner.billing_account_id
            is not distinct from rule_candidates.billing_account_id
            and known_owner.provider_name
            is not distinct from rule_candidates.provider_name

),

with_team_defaults as (

    select
        attributed.*,
        teams.team is not null as is_known_team,
        coalesce(attributed.tag_cost_center, teams.cost_center) as x_cost_center,
        coalesce(attributed.tag_product, teams.default_product) as x_product
    from attributed
    left join teams
        on attributed.x_team = teams.team

)

select * from with_team_defaults
