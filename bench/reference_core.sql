-- The reference: the core path written by hand as one DuckDB script over the
-- landing files themselves (FOCUS Parquet read as delivered, the seeds from their
-- CSVs), with no loader and no warehouse in between: line items -> attributed
-- (tags, inventory, sub-account, rules) -> daily cost by owner and service ->
-- unmapped % per month. The project must give the same results (`itfm bench`
-- and tests/python/integration/test_bench_equality.py compare them row for row).
-- ${focus} is a list of the FOCUS Parquet files, ${seeds} the seeds folder; it
-- runs in a database of its own and writes schema bench there.
set TimeZone = 'UTC';
create schema if not exists bench;

create or replace temp view focus_files as
select * from read_parquet(${focus}, union_by_name = true, filename = true);

create or replace temp view tag_keys as
select * from read_csv('${seeds}/attribution/tag_keys.csv', header = true);

create or replace temp view tag_value_aliases as
select * from read_csv('${seeds}/attribution/tag_value_aliases.csv', header = true, all_varchar = true);

create or replace temp view resource_inventory as
select * from read_csv('${seeds}/attribution/resource_inventory.csv', header = true, all_varchar = true);

create or replace temp view sub_account_owners as
select * from read_csv('${seeds}/attribution/sub_account_owners.csv', header = true, all_varchar = true);

create or replace temp view attribution_rules as
select * from read_csv('${seeds}/attribution/attribution_rules.csv', header = true);

create or replace table bench.core_daily as
with
tag_pairs as (
    -- Keys: invisible characters out, NFC, camelCase split, lower case, runs of
    -- anything but letters, digits and symbols (emoji) as "_". A key given twice
    -- keeps its first value; malformed tags are skipped.
    select
        tags,
        trim(regexp_replace(lower(regexp_replace(nfc_normalize(trim(
            regexp_replace(k, '[\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2060}-\x{2069}\x{FEFF}]', '', 'g')
        )), '([a-z0-9])([A-Z])', '\1_\2', 'g')), '[^\p{L}\p{N}\p{So}]+', '_', 'g'), '_') as tag_key,
        k as original_key,
        nullif(trim(regexp_replace(
            json_extract_string(json(tags), '$."' || replace(k, '"', '\"') || '"'),
            '[\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2060}-\x{2069}\x{FEFF}]', '', 'g'
        )), '') as tag_value
    from (
        select tags, unnest(list_distinct(json_keys(json(tags)))) as k
        from (select distinct "Tags" as tags from focus_files
              where nullif(trim("Tags"), '') is not null) as t
        where case when json_valid(tags) then json_type(json(tags)) = 'OBJECT' else false end
    )
),
tag_team as (
    select tags,
        arg_min(
            coalesce(aliases.canonical_value, lower(first_value)), priority
        ) as team
    from (
        select pairs.tags, keys.priority, pairs.first_value
        from (
            select tags, tag_key, arg_min(tag_value, original_key) as first_value
            from tag_pairs where tag_key != '' and tag_value is not null
            group by 1, 2
        ) as pairs
        inner join tag_keys as keys
            on pairs.tag_key = keys.alias_key and keys.canonical_key = 'team'
    ) as team_pairs
    left join tag_value_aliases as aliases
        on aliases.canonical_key = 'team'
        and lower(team_pairs.first_value) = aliases.alias_value
    group by 1
),
items as (
    select
        row_number() over () as line_id,
        nullif(trim("Tags"), '') as tags,
        nullif(trim("ResourceId"), '') as resource_id,
        nullif(trim("ResourceName"), '') as resource_name,
        nullif(trim("ServiceName"), '') as service_name,
        nullif(trim("SubAccountId"), '') as sub_account_id,
        nullif(trim("SubAccountName"), '') as sub_account_name,
        nullif(trim("BillingAccountId"), '') as billing_account_id,
        nullif(trim("ProviderName"), '') as provider_name,
        upper(nullif(trim("BillingCurrency"), '')) as billing_currency,
        cast(cast("ChargePeriodStart" as timestamp) as date) as charge_date,
        cast(cast("BillingPeriodStart" as timestamp) as date) as billing_month,
        cast("EffectiveCost" as decimal(38, 10)) as effective_cost
    from focus_files
),
known as (
    select items.*, tag_team.team as tag_team, inventory.team as inventory_team,
        owners.team as sub_account_team
    from items
    left join tag_team on items.tags = tag_team.tags
    left join resource_inventory as inventory
        on items.resource_id = inventory.resource_id
    left join sub_account_owners as owners
        on items.provider_name = owners.provider_name
        and items.sub_account_id = owners.sub_account_id
),
ruled as (
    select known.line_id, arg_min(rules.team, rules.rule_order) as rule_team
    from known
    inner join attribution_rules as rules on regexp_matches(
        case rules.match_column
            when 'resource_name' then known.resource_name
            when 'resource_id' then known.resource_id
            when 'service_name' then known.service_name
            when 'sub_account_name' then known.sub_account_name
            when 'sub_account_id' then known.sub_account_id
            when 'billing_account_id' then known.billing_account_id
            when 'provider_name' then known.provider_name
        end, rules.pattern)
    where known.tag_team is null and known.inventory_team is null
        and known.sub_account_team is null
    group by 1
)
select
    known.charge_date,
    known.billing_month,
    known.provider_name,
    known.billing_account_id,
    coalesce(known.tag_team, known.inventory_team, known.sub_account_team,
             ruled.rule_team, 'unmapped') as team,
    known.service_name,
    known.billing_currency,
    sum(known.effective_cost) as effective_cost,
    count(*) as line_items
from known
left join ruled on known.line_id = ruled.line_id
group by all;

create or replace table bench.core_unmapped as
select
    billing_month,
    provider_name,
    billing_account_id,
    billing_currency,
    sum(effective_cost) as effective_cost,
    sum(case when team = 'unmapped' then effective_cost else 0 end) as unmapped_cost
from bench.core_daily
group by all;
