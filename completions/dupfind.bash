# bash completion for dupfind                          -*- shell-script -*-
#
# Installed as share/bash-completion/completions/dupfind, where the
# bash-completion package loads it on first use.  The option list is
# written by hand from "dupfind --help"; a golden test
# (tests/cli/cases/completions_options) checks that every long option
# of --help appears here and in _dupfind.  Self-contained: it does not
# need bash-completion's helper functions.  Needs bash 4 (mapfile).
# shellcheck disable=SC2207   # compgen -W words hold no blanks

_dupfind()
{
    local cur prev opt i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}

    # After "--" every word is a path.
    for ((i = 1; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == -- ]]; then
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
            return
        fi
    done

    # With "=" in COMP_WORDBREAKS (the default), "--format=cs" arrives
    # as "--format" "=" "cs".
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
    fi

    case $prev in
    -f | --format)
        COMPREPLY=($(compgen -W 'tsv csv jsonl text' -- "$cur"))
        return
        ;;
    --color)
        COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
        return
        ;;
    --keep)
        COMPREPLY=($(compgen -W 'first oldest newest longest shortest' \
            -- "$cur"))
        return
        ;;
    --records)
        COMPREPLY=($(compgen -W 'lines nul jsonl' -- "$cur"))
        return
        ;;
    --verify)
        COMPREPLY=($(compgen -W 'auto estimate exact' -- "$cur"))
        return
        ;;
    --simd)
        COMPREPLY=($(compgen -W 'auto scalar sse avx2 avx512 neon' \
            -- "$cur"))
        return
        ;;
    -k | --shingle)
        COMPREPLY=($(compgen -W 'words: chars:' -- "$cur"))
        compopt -o nospace 2>/dev/null
        return
        ;;
    --files-from | --baseline | --write-baseline)
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
        ;;
    -t | --threshold | --containment | --perm | --bands | --seed | \
    --ignore-common | --text-field | --id-field | -j | --jobs)
        # A number or a key: nothing to offer.
        return
        ;;
    esac

    if [[ $cur == -* ]]; then
        opt='--threshold= --containment= --shingle= --perm= --bands=
            --seed= --ignore-common= --exact --verify= --format= --color
            --color= --clusters --keep= --unique --duplicates --records=
            --text-field= --id-field= --check --baseline= --write-baseline=
            --null --files-from= --follow --hidden --text --simd= --jobs=
            --quiet --progress --no-progress --stats --help --version
            -t -k -f -0 -L -a -j -q -h -V --'
        COMPREPLY=($(compgen -W "$opt" -- "$cur"))
        # No space after "--name=": the value follows.
        [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] &&
            compopt -o nospace 2>/dev/null
        return
    fi
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
} &&
    complete -F _dupfind dupfind
