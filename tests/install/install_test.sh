#!/usr/bin/env bash
# Tests of the installed assay: what `cmake --install` puts in a prefix, and
# that it works from there.
# usage: install_test.sh BUILD_DIR CHECK
#   prefix      install into a temporary prefix; P/bin/assay finds its models
#               next to itself and runs `assay demo` from another directory
#   man         man -l P/share/man/man1/assay.1 renders, without groff warnings
#   completion  the installed bash completion completes commands, options and
#               choices; the zsh one is valid zsh (when zsh is installed)
#   deb         cpack -G DEB builds a package with the files and dependencies
set -euo pipefail
build=$(cd "$1" && pwd) check=$2
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

install_prefix() {
  cmake --install "$build" --prefix "$d/p" >"$d/install.log" 2>&1 || { cat "$d/install.log"; fail 'cmake --install'; }
}

case $check in
  prefix)
    install_prefix
    p=$d/p
    for f in bin/assay share/man/man1/assay.1 share/bash-completion/completions/assay \
             share/zsh/vendor-completions/_assay share/assay/models/itsm-20000.json \
             share/assay/models/mf-33020.json share/assay/models/catalogues/iso20000-1-2018.json \
             share/assay/models/examples/northwind-2026.json share/assay/schemas/assessment.schema.json \
             share/doc/assay/README.md lib/assay/libassay-pg.so; do
      [ -e "$p/$f" ] || fail "not installed: $f"
    done
    # The PostgreSQL module is found beside the installed executable, not in
    # the build tree (which the message would name if it were): only libpq's
    # own refusal of the port can come back.
    pg_err=$("$p/bin/assay" --db 'postgresql://127.0.0.1:1/none' assessment list 2>&1 || true)
    case $pg_err in
      *"cannot connect to the PostgreSQL server"*) ;;
      *) fail "installed assay with a PostgreSQL URI: $pg_err" ;;
    esac
    ldd "$p/bin/assay" | grep -q 'libpq' && fail 'the executable links libpq itself (it belongs to the module)'
    # From another directory, with no model directory given: the packs come
    # from P/share/assay/models, found relative to the executable.
    mkdir "$d/elsewhere"
    cd "$d/elsewhere"
    env -u ASSAY_MODELS -u ASSAY_DB "$p/bin/assay" model list --format json >"$d/packs.json"
    grep -q "\"path\": *\"$p/share/assay/models/itsm-20000.json\"" "$d/packs.json" \
      || fail "packs not found in the prefix: $(head -c 600 "$d/packs.json")"
    env -u ASSAY_MODELS -u ASSAY_DB "$p/bin/assay" demo --out demo >"$d/demo.out" 2>"$d/demo.err" \
      || fail "assay demo: $(cat "$d/demo.out" "$d/demo.err")"
    for f in demo.db northwind-2026-report.pdf northwind-2026-report.json northwind-audit-NW-SV1-2025.pdf; do
      [ -s "demo/$f" ] || fail "demo did not write $f"
    done
    grep -q '== 6/6' "$d/demo.out" || fail "demo output: $(cat "$d/demo.out")"
    # $ASSAY_MODELS adds a directory (read by the command line, searched
    # before the bundled packs).
    mkdir "$d/more"
    ASSAY_MODELS="$d/more" "$p/bin/assay" model list >"$d/list.txt" 2>&1 || true
    "$p/bin/assay" --help | grep 'completion' >/dev/null || fail 'no completion command in --help'
    echo "ok: installed $(find "$p" -type f | wc -l) files into a prefix; demo ran from another directory"
    ;;
  man)
    install_prefix
    page=$d/p/share/man/man1/assay.1
    MANPAGER=cat MANWIDTH=100 man -l "$page" >"$d/man.txt" 2>"$d/man.err" || fail "man -l: $(cat "$d/man.err")"
    for want in 'NAME' 'assay - certification audits' 'SYNOPSIS' 'COMMANDS' 'assay audit client add' \
                'assay profile' '--format' 'ENVIRONMENT' 'ASSAY_MODELS' 'EXIT STATUS' 'share/assay/models'; do
      grep -qF -- "$want" "$d/man.txt" || fail "the manual page lacks '$want'"
    done
    # Every command of the command table has its section.
    "$build/cli/assay" --help | sed -n '/^Subcommands:/,/^$/p' | awk 'NR > 1 && NF {print $1}' >"$d/commands"
    [ "$(wc -l <"$d/commands")" -gt 15 ] || fail "cannot read the commands from assay --help"
    while read -r c; do
      grep -q "^ *assay $c\b" "$d/man.txt" || fail "no section for 'assay $c' in the manual page"
    done <"$d/commands"
    groff -man -Tutf8 -ww -z "$page" 2>"$d/groff.err"
    [ ! -s "$d/groff.err" ] || fail "groff warnings: $(cat "$d/groff.err")"
    echo "ok: assay(1) renders, $(wc -l <"$d/man.txt") lines, $(wc -l <"$d/commands") commands"
    ;;
  completion)
    install_prefix
    # complete WORDS...: the completions bash offers for the last word.
    cat >"$d/complete.sh" <<'SH'
source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMPREPLY=()
_assay
printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
SH
    complete() { bash "$d/complete.sh" "$d/p/share/bash-completion/completions/assay" "$@"; }
    expect() {
      local want=$1; shift
      local got; got=$(complete "$@")
      [ "$got" = "$want" ] || fail "completing '$*': got '$got', expected '$want'"
    }
    expect 'audit ' assay aud
    expect 'check graph list show ' assay model ''
    expect 'check ' assay --db x.db model ch
    expect 'csv json table xlsx ' assay profile --format ''
    expect '--all ' assay profile --al
    expect 'add list show ' assay audit client ''
    expect 'bash zsh ' assay completion ''
    complete assay --mod | grep -- '--models' >/dev/null || fail 'global option --models'
    # Generated from the same table as the binary's own: bash -n parses it.
    bash -n "$d/p/share/bash-completion/completions/assay" || fail 'bash -n'
    command -v zsh >/dev/null || fail 'zsh is not installed (scripts/setup.sh --test)'
    zsh -n "$d/p/share/zsh/vendor-completions/_assay" || fail 'zsh -n'
    # zsh: the completion system's functions replaced by ones that print what
    # they were given.
    cat >"$d/complete.zsh" <<'ZSH'
compdef() { }
compadd() { [[ $1 == -- ]] && shift; print -rl -- "$@" }
_describe() { local -a entries; entries=("${(@P)4}"); print -rl -- "${entries[@]%%:*}" }
_files() { print -r -- '<files>' }
_directories() { print -r -- '<directories>' }
source "$1"; shift
words=("$@"); CURRENT=$#
_assay | sort | tr '\n' ' '
ZSH
    zcomplete() { zsh -f "$d/complete.zsh" "$d/p/share/zsh/vendor-completions/_assay" "$@"; }
    zexpect() {
      local want=$1; shift
      local got; got=$(zcomplete "$@")
      [ "$got" = "$want" ] || fail "zsh completing '$*': got '$got', expected '$want'"
    }
    zexpect 'check graph list show ' assay model ''
    zexpect 'csv json table xlsx ' assay profile --format ''
    zexpect 'bash zsh ' assay completion ''
    zexpect '<directories> ' assay --models ''
    zcomplete assay '' | grep 'audit' >/dev/null || fail 'zsh: no audit command'
    zcomplete assay audit client add -- | grep -- '--name' >/dev/null || fail 'zsh: no --name option'
    echo "ok: bash and zsh completion of commands, options and choices"
    ;;
  deb)
    command -v dpkg-deb >/dev/null || fail 'dpkg-deb is not installed (scripts/setup.sh --test)'
    (cd "$d" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$d/pkg" >"$d/cpack.log" 2>&1) \
      || { cat "$d/cpack.log"; fail 'cpack -G DEB'; }
    deb=$(ls "$d"/pkg/*.deb)
    dpkg-deb -I "$deb" >"$d/info"
    grep -q '^ Package: assay$' "$d/info" || fail "package name: $(cat "$d/info")"
    grep -Eq '^ Depends: .*fonts-dejavu-core' "$d/info" || fail "no Depends on fonts-dejavu-core: $(cat "$d/info")"
    grep -Eq '^ Depends: .*libsqlite3-0' "$d/info" || fail "no Depends on libsqlite3-0: $(cat "$d/info")"
    grep -Eq '^ Depends: .*libpqxx' "$d/info" || fail "no Depends on libpqxx (the PostgreSQL module): $(cat "$d/info")"
    dpkg-deb -c "$deb" >"$d/contents"
    for f in ./usr/bin/assay ./usr/share/man/man1/assay.1 ./usr/share/bash-completion/completions/assay \
             ./usr/share/zsh/vendor-completions/_assay ./usr/share/assay/models/itsm-20000.json \
             ./usr/share/assay/schemas/model.schema.json ./usr/lib/assay/libassay-pg.so; do
      grep -q " $f\$" "$d/contents" || fail "$f is not in the package"
    done
    echo "ok: $(basename "$deb"), $(stat -c %s "$deb") bytes, $(wc -l <"$d/contents") entries"
    ;;
  *)
    fail "unknown check '$check'"
    ;;
esac
