{#- The provider's data problems, per billing period, source, provider,
    billing account, currency and check: how many rows (or commitments) fail
    each check of seeds/reference/data_quality_checks.csv and how much cost
    they carry. The rows stay in the fact as delivered (x_data_quality_issues);
    this mart is where they are counted, and `itfm validate` reports it. -#}
with

line_items as (

    {#- The fact summed per billing period by everything the checks below
        group and filter on (int_line_item_totals_monthly), not its rows:
        counts, sums and the smallest example ids add up to the same
        figures. -#}
    select * from {{ ref('int_line_item_totals_monthly') }}
    where
        x_data_quality_issues is not null
        or commitment_discount_id is not null

),

checks as (

    select * from {{ ref('data_quality_checks') }}

),

flagged_rows as (

    select
        line_items.billing_period_start,
        line_items.x_source,
        line_items.provider_name,
        line_items.billing_account_id,
        line_items.billing_currency,
        checks.check_code,
        cast(sum(line_items.line_items) as bigint) as subjects_flagged,
        sum(line_items.billed_cost) as billed_cost,
        sum(line_items.effective_cost) as effective_cost,
        min(line_items.x_example_source_file) as x_example_source_file,
        min(line_items.x_example_line_item_id) as x_example_line_item_id
    from line_items
    inner join checks
        on
            checks.check_level = 'row'
            and ', ' || line_items.x_data_quality_issues || ', '
            like '%, ' || checks.check_code || ', %'
    where line_items.x_data_quality_issues is not null
    group by 1, 2, 3, 4, 5, 6

),

commitment_lines as (

    select * from line_items
    where commitment_discount_id is not null

),

upfront_unstated as (

    {#- A one-time purchase in the data whose amortization the provider does
        not state per period: its periods cannot be checked. -#}
    select distinct commitment_discount_id
    from commitment_lines
    where charge_category = 'Purchase' and charge_frequency = 'One-Time'
    except
    select distinct commitment_discount_id
    from commitment_lines
    where amortized_upfront_line_items > 0

),

commitment_periods as (

    select
        billing_period_start,
        x_source,
        provider_name,
        billing_account_id,
        billing_currency,
        commitment_discount_id,
        sum(
            case
                when charge_category = 'Purchase' and charge_frequency != 'One-Time'
                    then billed_cost + coalesce(x_amortized_upfront_cost, 0)
                else 0
            end
        ) as purchased_cost,
        sum(
            case
                when
                    charge_category = 'Usage'
                    and commitment_discount_status in ('Used', 'Unused')
                    then effective_cost
                else 0
            end
        ) as covered_and_unused_cost,
        sum(
            case
                when charge_category = 'Purchase' and charge_frequency != 'One-Time'
                    then line_items
                else 0
            end
        ) as fee_rows,
        sum(
            case
                when
                    charge_category = 'Usage'
                    and commitment_discount_status in ('Used', 'Unused')
                    then line_items
                else 0
            end
        ) as covered_rows,
        min(x_example_source_file) as x_example_source_file,
        min(x_example_line_item_id) as x_example_line_item_id
    from commitment_lines
    where
        commitment_discount_id not in (
            select upfront_unstated.commitment_discount_id from upfront_unstated
        )
    group by 1, 2, 3, 4, 5, 6

),

flagged_commitments as (

    select
        billing_period_start,
        x_source,
        provider_name,
        billing_account_id,
        billing_currency,
        'commitment_usage_differs_from_purchase' as check_code,
        count(*) as subjects_flagged,
        sum(purchased_cost) as billed_cost,
        sum(covered_and_unused_cost) as effective_cost,
        min(x_example_source_file) as x_example_source_file,
        min(x_example_line_item_id) as x_example_line_item_id
    from commitment_periods
    where
        fee_rows > 0
        and covered_rows > 0
        and abs(covered_and_unused_cost - purchased_cost)
        > {{ var('data_quality_commitment_tolerance') }}
    group by 1, 2, 3, 4, 5, 6

),

flagged as (

    select * from flagged_rows
    union all
    select * from flagged_commitments

),

final as (

    select
        ---------- ids
        {{ dbt.hash(dbt.concat([
            "cast(flagged.billing_period_start as string)", "'|'",
            "flagged.x_source", "'|'", "flagged.provider_name", "'|'",
            "flagged.billing_account_id", "'|'", "flagged.billing_currency",
            "'|'", "flagged.check_code"
        ])) }} as data_quality_issue_id,
        flagged.billing_account_id,
        flagged.x_example_line_item_id,

        ---------- strings
        flagged.x_source,
        flagged.provider_name,
        flagged.billing_currency,
        flagged.check_code,
        checks.check_level,
        checks.focus_rule,
        checks.description,
        checks.what_to_do,
        flagged.x_example_source_file,

        ---------- numerics
        flagged.subjects_flagged,
        cast(flagged.billed_cost as {{ type_money() }}) as billed_cost,
        cast(flagged.effective_cost as {{ type_money() }}) as effective_cost,

        ---------- timestamps
        flagged.billing_period_start

    from flagged
    inner join checks
        on flagged.check_code = checks.check_code

)

select * from final
