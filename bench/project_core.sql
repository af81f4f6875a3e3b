-- The same outputs read from the project's models (after `dbt build`), for the
-- line items the hand-written script reads: those loaded from FOCUS exports.
create schema if not exists bench;

create or replace table bench.project_daily as
select
    charge_date,
    billing_month,
    provider_name,
    billing_account_id,
    x_team as team,
    service_name,
    billing_currency,
    sum(effective_cost) as effective_cost,
    count(*) as line_items
from main.int_line_items_attributed
where billing_account_id in (
    select distinct "BillingAccountId" from raw.focus_line_items
)
group by all;

create or replace table bench.project_unmapped as
select
    billing_month,
    provider_name,
    billing_account_id,
    billing_currency,
    sum(effective_cost) as effective_cost,
    sum(case when team = 'unmapped' then effective_cost else 0 end) as unmapped_cost
from bench.project_daily
group by all;
