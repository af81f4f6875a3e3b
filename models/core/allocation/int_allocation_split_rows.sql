{#
    (Lint layout rules are off: the step CTEs are generated from the rules seed.)
    The rows of fct_cost_allocated that a split produces (fct_cost_allocated
    is a view of these and of the line items no split reaches, which are not
    written again here). The line items a split reaches are summed into cost
    objects (int_allocation_line_items: billing month, charge day and the
    dimensions the marts read, allocation_grain()), and the cost objects are
    split: Kubernetes node cost onto owners and idle by the daily cluster
    shares, then the allocation rules (seeds/allocation) in step order; each
    step splits the rows in its pool onto its targets with exact
    largest-remainder rounding, so every step conserves billed and effective
    cost, per billing period, currency and cost object. Splitting cost
    objects rather than line items keeps the table small at scale. A row in
    no remaining pool leaves the chain (its columns no longer change), so the
    steps carry the shared pools, not the whole fact.
    Incremental by billing month: x_inputs_loaded_at records, per month, the
    newest load of its inputs (its billing line items and the telemetry that
    drives its shares); a month whose inputs were loaded since it was built,
    or that this table holds no row of, is rebuilt whole (delete + insert),
    others are kept. Edits to the allocation or attribution seeds need
    `dbt build --full-refresh`.
    A full build builds every month in the model's one statement (the split
    rows are a small share of the line items: at `medium`, all months in one
    statement took 7.0 s against 11.0 s one month at a time, for the same
    rows). An incremental build's statement selects no month, and a post-hook
    (build_other_allocation_months) rebuilds each stale month in a statement
    of its own (delete + insert), so that its time and memory grow with a
    month's rows. The SQL of the steps is therefore a macro,
    cost_allocated_rows(months), which the hook calls once per month.
#}
-- noqa: disable=LT02,LT05,LT14,AL09,ST05,ST03
-- depends_on: {{ ref('allocation_rules') }}
-- depends_on: {{ ref('allocation_targets') }}
{{ config(
    materialized='incremental',
    on_schema_change='fail',
    pre_hook="{{ delete_months_to_rebuild(
        'billing_month', ref('int_allocation_month_inputs')
    ) }}",
    post_hook=[
        "{{ build_other_allocation_months() }}",
        "{{ drop_allocation_step_tables() }}"
    ],
    **incremental_by_period('billing_month')
) }}

{#- A full build builds every month here. An incremental build selects no
    month here and leaves every month to rebuild to the post-hook, one
    statement per month; except where each allocation step is
    a statement of its own (Spark, allocation_runs_stepwise): there one
    statement builds every month to build, as a statement per month would
    multiply the steps' statements. -#}
{%- if is_incremental() and not allocation_runs_stepwise() -%}
    {%- set months_to_build = 'select cast(null as date) as billing_month where false' -%}
{%- else -%}
    {%- set months_to_build = allocation_months(is_incremental()) -%}
{%- endif %}

{{ cost_allocated_rows(months_to_build) }}
