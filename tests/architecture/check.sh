#!/usr/bin/env bash
# The layering rules of docs (DESIGN.md, issue 13) as greps over the source.
# usage: check.sh SOURCE_DIR RULE
#   getenv  the environment is read in cli/ only (bench/, tests/, fuzz/ may too)
#   sql     no SQL in cli/ or reports/ (they receive computed results)
#   hints   no "assay <command>" hint text in engine/ string literals (the CLI
#           words hints); the commands are those of the table in cli/main.cc
# Prints every offending line as FILE:LINE: TEXT and exits 1 when there is one.
set -euo pipefail
src=$1 rule=$2
cd "$src"

# C and C++ sources under the given directories, without build trees.
sources() {
  find "$@" -type d \( -name '.git' -o -name 'build*' \) -prune -o \
    -type f \( -name '*.cc' -o -name '*.h' -o -name '*.cpp' -o -name '*.hpp' -o -name '*.in' \) -print 2>/dev/null | sort
}

# Every line matching the extended regex $1 in the files that follow, minus
# lines that are only a // comment.
matches() {
  local re=$1; shift
  [ $# -eq 0 ] && return 0
  grep -nHE -- "$re" "$@" | grep -vE '^[^:]+:[0-9]+:[[:space:]]*//' || true
}

case $rule in
  getenv)
    mapfile -t files < <(sources . | grep -vE '^\./(cli|bench|tests|fuzz)/')
    why='the environment is read in cli/ only; pass the value down as an option'
    found=$(matches '\b(secure_)?getenv[[:space:]]*\(|\benviron\b' "${files[@]}")
    ;;
  sql)
    dirs=(); for d in cli reports; do [ -d "$d" ] && dirs+=("$d"); done
    mapfile -t files < <(sources "${dirs[@]}")
    why='cli/ and reports/ run no SQL; the engine computes, they render'
    found=$(matches '\b(SELECT [^"]*\bFROM\b|SELECT [A-Za-z_*(]|INSERT (OR [A-Z]+ )?INTO|UPDATE [A-Za-z_]+ SET|DELETE FROM|CREATE (TABLE|INDEX|VIEW|TRIGGER)|PRAGMA [a-z_]+)' "${files[@]}")
    ;;
  hints)
    mapfile -t commands < <(grep -oE '^[[:space:]]*\{"[a-z][a-z-]*",' cli/main.cc | grep -oE '[a-z][a-z-]*')
    [ ${#commands[@]} -gt 5 ] || { echo "check.sh: no command table found in cli/main.cc"; exit 2; }
    alt=$(IFS='|'; echo "${commands[*]}")
    mapfile -t files < <(sources engine)
    why='the engine has no "assay <command>" hints; its Status names the place and IDs, the CLI adds the hint'
    re="\"[^\"]*\\bassay ($alt)([^a-z-]|\$)"
    # "an assay workspace", "the assay workspace": a noun, not a command.
    found=$(matches "$re" "${files[@]}" | while IFS= read -r line; do
      sed -E 's/\b([Aa]n|[Tt]he) assay / /g' <<<"${line#*:*:}" | grep -qE -- "$re" && echo "$line"
    done || true)
    ;;
  *)
    echo "check.sh: unknown rule '$rule' (getenv, sql, hints)"; exit 2 ;;
esac

if [ -n "$found" ]; then
  echo "$found"
  echo "architecture rule '$rule' broken at $(echo "$found" | wc -l) place(s): $why"
  exit 1
fi
echo "architecture rule '$rule': ok (${#files[@]} files)"
