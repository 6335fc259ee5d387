#!/usr/bin/env bash
# Runs the command examples of a Markdown document and compares what they
# print with what the document shows.
# usage: doc_examples.sh ASSAY DOC.md SOURCE_DIR
# Every ```sh block is run, in order, in a fresh directory that has a link
# `models` to SOURCE_DIR/models, with `assay` meaning ASSAY; when the next
# block is a plain ``` block, the commands' stdout and stderr together must
# equal it, line for line.
set -u
assay=$1 doc=$2 root=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ln -s "$root/models" "$dir/models"
fail=0
mapfile -t lines <"$doc"
n=${#lines[@]}
i=0
while [ $i -lt $n ]; do
  if [ "${lines[$i]}" != '```sh' ]; then i=$((i + 1)); continue; fi
  cmds=()
  i=$((i + 1))
  while [ $i -lt $n ] && [ "${lines[$i]}" != '```' ]; do cmds+=("${lines[$i]}"); i=$((i + 1)); done
  i=$((i + 1))
  j=$i
  while [ $j -lt $n ] && [ -z "${lines[$j]}" ]; do j=$((j + 1)); done
  expected=
  has_output=0
  if [ $j -lt $n ] && [ "${lines[$j]}" = '```' ]; then
    has_output=1
    j=$((j + 1))
    while [ $j -lt $n ] && [ "${lines[$j]}" != '```' ]; do expected+="${lines[$j]}"$'\n'; j=$((j + 1)); done
    i=$((j + 1))
  fi
  got=
  for c in "${cmds[@]}"; do
    c=${c//assay /\"\$assay\" }
    got+=$(cd "$dir" && eval "$c" 2>&1)$'\n'
  done
  if [ $has_output = 1 ] && [ "$got" != "$expected" ]; then
    echo "$doc: ${cmds[*]}: prints something else than the document shows:"
    diff <(printf '%s' "$expected") <(printf '%s' "$got") | head -20
    fail=1
  fi
done
exit $fail
