{%- macro normalize_key(expression) -%}
    {{ return(adapter.dispatch('normalize_key', 'itfm')(expression)) }}
{%- endmacro -%}

{#- camelCase is split, then lower case; every run of characters other than a-z and
    0-9 becomes one "_"; leading and trailing "_" are dropped:
    "CostCenter", "cost-center " and "Cost Center" all become "cost_center". -#}
{%- macro default__normalize_key(expression) -%}
    trim(
        regexp_replace(
            lower(regexp_replace(trim({{ expression }}), '([a-z0-9])([A-Z])', '\1_\2', 'g')),
            '[^a-z0-9]+', '_', 'g'
        ),
        '_'
    )
{%- endmacro -%}

{%- macro spark__normalize_key(expression) -%}
    regexp_replace(
        regexp_replace(
            lower(regexp_replace(trim({{ expression }}), '([a-z0-9])([A-Z])', '$1_$2')),
            '[^a-z0-9]+', '_'
        ),
        '^_+|_+$', ''
    )
{%- endmacro -%}
