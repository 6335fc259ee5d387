#!/usr/bin/env bash
# Runs a command and checks its exit code and output.
# usage: expect.sh CODE STDOUT_REGEX STDERR_REGEX -- command args...
# An empty regex matches anything. Output is matched with grep -E over the whole text.
set -u
code=$1 out_re=$2 err_re=$3
shift 3
[ "$1" = "--" ] && shift
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
"$@" >"$out" 2>"$err"
got=$?
fail=0
if [ "$got" != "$code" ]; then echo "exit code $got, expected $code"; fail=1; fi
if [ -n "$out_re" ] && ! grep -Eq -- "$out_re" "$out"; then echo "stdout does not match: $out_re"; fail=1; fi
if [ -n "$err_re" ] && ! grep -Eq -- "$err_re" "$err"; then echo "stderr does not match: $err_re"; fail=1; fi
if [ $fail = 1 ]; then
  echo "--- command: $*"; echo "--- stdout:"; head -c 4000 "$out"; echo "--- stderr:"; head -c 4000 "$err"
fi
exit $fail
