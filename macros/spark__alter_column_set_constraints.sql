{%- macro spark__alter_column_set_constraints(relation, column_dict) -%}
{#- Spark's plain Parquet tables (the only table format on these machines: no
    Delta or Iceberg) refuse ALTER COLUMN ... SET NOT NULL, which dbt-spark
    issues for every not_null constraint of a contract. The contract's names
    and types are still enforced before the table is built; each not_null
    constraint here is also a not_null data test, which runs on Spark. -#}
{%- endmacro %}
