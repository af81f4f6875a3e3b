{%- macro share_of_partition(weight, partition_by) -%}
{#- A row's share of its partition's total weight, as largest_remainder_split
    computes it: the weight over the partition's sum (both summed in
    decimal(38, 12), divided in double, ratio()), cast to decimal(18, 12). `partition_by` is the window's column list. -#}
cast(
    {{ ratio(
        'cast(' ~ weight ~ ' as decimal(38, 12))',
        'sum(cast(' ~ weight ~ ' as decimal(38, 12))) over (partition by '
        ~ partition_by ~ ')'
    ) }}
    as decimal(18, 12)
)
{%- endmacro %}
