{%- macro relation_is_built(relation) -%}
    {#- Whether `relation` (a ref) is in the warehouse yet. A macro that reads
        a table when a model is compiled asks this first: `dbt compile`,
        `dbt docs generate` or a linter on a new warehouse render every model
        before any seed or model is built; `dbt build` builds a model's inputs
        before compiling it. -#}
    {{ return(adapter.get_relation(
        database=relation.database,
        schema=relation.schema,
        identifier=relation.identifier
    ) is not none) }}
{%- endmacro -%}
