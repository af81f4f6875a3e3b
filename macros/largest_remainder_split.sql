{%- macro largest_remainder_split(
    pieces,
    columns,
    amount_columns,
    split_key='split_key',
    target_key='target_key',
    weight='weight',
    share=none,
    units_per_currency_unit=100,
    money_type='decimal(38, 10)'
) -%}
{#-
    Splits each amount of a row into pieces by weight, exactly. `pieces` has one
    row per (split_key, target_key) with a positive weight and the row's amounts
    repeated. Each piece gets its share of the amount's absolute value rounded
    down to a whole unit (a cent by default); the units left over go one each
    to the pieces with the largest remainders (ties: target_key ascending), and
    the sub-unit rest to the first of them, so the pieces add up to the amount
    to the last decimal. The sign is applied last: a credit splits like a
    charge. Returns `columns`, the split amounts and x_allocation_share.
    `share` names a column of `pieces` that already holds each piece's share of
    its split key, its weight over the sum of the split key's weights cast to
    decimal(18, 12) (when every split key of a group has the same targets and
    weights, computed once per group): the window that sums the weights per
    split key is then skipped.
    Plain SQL (window functions; no dbt calls, only the macro ratio()): tests
    render it with Jinja alone.
-#}
{%- set unit = 'cast(1.0 / ' ~ units_per_currency_unit ~ ' as decimal(18, 12))' -%}
select
    {%- for column in columns %}
    {{ column }},
    {%- endfor %}
    {%- for amount in amount_columns %}
    cast(
        sign({{ amount }}) * (
            __units_{{ amount }} * {{ unit }}
            + case
                when __rank_{{ amount }} <= least(__spare_{{ amount }}, __pieces)
                    then {{ unit }}
                else 0
            end
            + case
                when __rank_{{ amount }} = 1
                    then __rest_{{ amount }}
                    - least(__spare_{{ amount }}, __pieces) * {{ unit }}
                else 0
            end
        ) as {{ money_type }}
    ) as {{ amount }},
    {%- endfor %}
    x_allocation_share
from (
    select
        units.*,
        count(*) over (partition by {{ split_key }}) as __pieces
        {%- for amount in amount_columns %},
        abs({{ amount }})
        - sum(__units_{{ amount }}) over (partition by {{ split_key }}) * {{ unit }}
            as __rest_{{ amount }},
        greatest(
            floor(
                (
                    abs({{ amount }})
                    - sum(__units_{{ amount }}) over (partition by {{ split_key }})
                    * {{ unit }}
                ) * {{ units_per_currency_unit }}
            ),
            0
        ) as __spare_{{ amount }},
        row_number() over (
            partition by {{ split_key }}
            order by __fraction_{{ amount }} desc, {{ target_key }} asc
        ) as __rank_{{ amount }}
        {%- endfor %}
    from (
        select
            shares.*
            {%- for amount in amount_columns %},
            floor(
                abs({{ amount }}) * x_allocation_share * {{ units_per_currency_unit }}
            ) as __units_{{ amount }},
            abs({{ amount }}) * x_allocation_share * {{ units_per_currency_unit }}
            - floor(
                abs({{ amount }}) * x_allocation_share * {{ units_per_currency_unit }}
            ) as __fraction_{{ amount }}
            {%- endfor %}
        from (
            select
                {{ pieces }}.*,
                {%- if share %}
                {{ share }} as x_allocation_share
                {%- else %}
                {#- Weights are summed as decimals: a sum of doubles depends on the
                    order rows arrive in, and so would the rounding. -#}
                cast(
                    {{ ratio(
                        'cast(' ~ weight ~ ' as decimal(38, 12))',
                        'sum(cast(' ~ weight ~ ' as decimal(38, 12))) over ('
                        ~ 'partition by ' ~ split_key ~ ')'
                    ) }}
                    as decimal(18, 12)
                ) as x_allocation_share
                {%- endif %}
            from {{ pieces }}
        ) as shares
    ) as units
) as ranked
{%- endmacro -%}
