{%- macro allocation_rules() -%}
{#-
    The allocation rules seed, read when the model is compiled, in step order,
    after checking them: known pool columns, operators, methods and drivers;
    fixed percentages adding up to 100; and no rule sending cost to a team
    whose own pool an earlier (or the same) step already emptied, which is how
    a cycle shows (ITFM-A001). Returns a list of dicts.
-#}
{%- set rules = [] -%}
{%- if not execute -%}{{ return(rules) }}{%- endif -%}
{#- Before the seeds are loaded (a linter compiling a fresh clone) there are no
    rules to read; `dbt build` loads the seeds before this model. -#}
{%- for seed in ['allocation_rules', 'allocation_targets'] -%}
    {%- if not relation_is_built(ref(seed)) -%}
        {{ return(rules) }}
    {%- endif -%}
{%- endfor -%}
{%- set rule_rows = run_query(
    "select rule_id, cast(step as integer), pool_column, pool_operator, pool_value,"
    ~ " method, coalesce(driver, '') from " ~ ref('allocation_rules')
    ~ " order by 2, 1"
) -%}
{%- set target_rows = run_query(
    "select rule_id, team, fixed_percent from " ~ ref('allocation_targets')
) -%}
{%- set columns = [
    'x_team', 'charge_category', 'commitment_discount_status', 'service_category',
    'service_name', 'sub_account_name', 'sub_account_id', 'provider_name',
    'billing_account_id', 'x_attribution_method'
] -%}
{%- set drivers = [
    'effective_cost', 'cpu_hours', 'transactions', 'headcount',
    'observability_gb', 'ci_minutes'
] -%}
{%- set emptied = {} -%}
{%- for row in rule_rows.rows -%}
    {%- set rule = {
        'rule_id': row[0], 'step': row[1], 'pool_column': row[2],
        'pool_operator': row[3], 'pool_value': row[4], 'method': row[5],
        'driver': row[6]
    } -%}
    {%- set where = 'ITFM-A001 allocation rule ' ~ rule.rule_id ~ ' (step ' ~ rule.step ~ '): ' -%}
    {%- if rule.pool_column not in columns -%}
        {{ exceptions.raise_compiler_error(where ~ 'pool_column ' ~ rule.pool_column ~ ' is not one of ' ~ columns | join(', ')) }}
    {%- endif -%}
    {%- if rule.pool_operator not in ['equals', 'matches'] -%}
        {{ exceptions.raise_compiler_error(where ~ 'pool_operator must be equals or matches') }}
    {%- endif -%}
    {%- if rule.method not in ['proportional', 'even', 'fixed'] -%}
        {{ exceptions.raise_compiler_error(where ~ 'method must be proportional, even or fixed') }}
    {%- endif -%}
    {%- if rule.method == 'proportional' and rule.driver not in drivers -%}
        {{ exceptions.raise_compiler_error(where ~ 'driver must be one of ' ~ drivers | join(', ')) }}
    {%- endif -%}
    {%- set targets = [] -%}
    {%- set ns = namespace(percent=0) -%}
    {%- for target in target_rows.rows if target[0] == rule.rule_id -%}
        {%- do targets.append(target[1]) -%}
        {%- set ns.percent = ns.percent + (target[2] or 0) -%}
    {%- endfor -%}
    {%- if rule.method == 'fixed' and (ns.percent - 100) | abs > 0.0001 -%}
        {{ exceptions.raise_compiler_error(where ~ 'fixed percentages add up to ' ~ ns.percent ~ ', not 100') }}
    {%- endif -%}
    {%- if rule.pool_column == 'x_team' -%}
        {%- do emptied.update({rule.pool_value: rule.rule_id}) -%}
    {%- endif -%}
    {%- for team in targets -%}
        {%- if team in emptied -%}
            {{ exceptions.raise_compiler_error(where ~ 'sends cost to ' ~ team ~ ', whose pool rule ' ~ emptied[team] ~ ' has already run; the rules form a cycle or are out of order. Reorder the steps or remove the target.') }}
        {%- endif -%}
    {%- endfor -%}
    {%- do rules.append(rule) -%}
{%- endfor -%}
{{ return(rules) }}
{%- endmacro -%}
