{%- macro strip_invisible(expression) -%}
    {{ return(adapter.dispatch('strip_invisible', 'itfm')(expression)) }}
{%- endmacro -%}

{#- Zero-width characters (U+200B-U+200D, U+2060, U+FEFF) and bidirectional
    marks and controls (U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) removed:
    invisible, they would make "team" and "team" + a zero-width space two keys,
    or a right-to-left mark a look-alike team name. -#}
{%- macro default__strip_invisible(expression) -%}
    regexp_replace(
        {{ expression }},
        '[\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2060}-\x{2069}\x{FEFF}]', '', 'g'
    )
{%- endmacro -%}

{%- macro spark__strip_invisible(expression) -%}
    regexp_replace(
        {{ expression }},
        '[\\x{200B}-\\x{200F}\\x{202A}-\\x{202E}\\x{2060}-\\x{2069}\\x{FEFF}]', ''
    )
{%- endmacro -%}
