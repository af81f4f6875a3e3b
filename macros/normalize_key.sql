{%- macro normalize_key(expression) -%}
    {{ return(adapter.dispatch('normalize_key', 'itfm')(expression)) }}
{%- endmacro -%}

{#- Invisible characters removed (strip_invisible), compatibility forms folded
    (Unicode NFKC: fullwidth "ｔｅａｍ" and ligatures, nfkc_fold) and composed (NFC);
    camelCase is split, then lower case; every run of characters other than
    letters and digits of any script and symbols such as emoji becomes one "_";
    leading and trailing "_" are dropped: "CostCenter", "cost-center " and
    "Cost Center" all become "cost_center", "環境" stays "環境" and "team 🚀" is
    "team_🚀", not "team". -#}
{%- macro default__normalize_key(expression) -%}
    trim(
        regexp_replace(
            lower(regexp_replace(
                nfc_normalize({{ nfkc_fold(
                    'nfc_normalize(trim(' ~ strip_invisible(expression) ~ '))'
                ) }}),
                '([a-z0-9])([A-Z])', '\1_\2', 'g'
            )),
            '[^\p{L}\p{N}\p{So}]+', '_', 'g'
        ),
        '_'
    )
{%- endmacro -%}

{%- macro spark__normalize_key(expression) -%}
    regexp_replace(
        regexp_replace(
            lower(regexp_replace(
                {{ nfkc_fold('trim(' ~ strip_invisible(expression) ~ ')') }},
                '([a-z0-9])([A-Z])', '$1_$2'
            )),
            '[^\\p{L}\\p{N}\\p{So}]+', '_'
        ),
        '^_+|_+$', ''
    )
{%- endmacro -%}
