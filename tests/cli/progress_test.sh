#!/usr/bin/env bash
# Progress bars (cli/progress.h): drawn on stderr when it is a terminal (here a
# pty from script(1)), erased at the end, never drawn when stderr is a file or
# TERM is dumb; what goes to stdout is the same bytes either way.
# usage: progress_test.sh ASSAY MODELS_DIR
set -euo pipefail
a=$1 models=$2
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
w=$d/w.db
"$a" --db "$w" import "$models/examples/northwind-2026.json" >/dev/null 2>&1
"$a" --db "$w" assessment new SECOND-2026 --model itsm-20000 >/dev/null 2>&1

# on_tty NAME COMMAND...: runs the command with stderr (and stdin) on a pty;
# its stdout goes to $d/NAME.out, the terminal's transcript to $d/NAME.tty.
on_tty() {
  local name=$1; shift
  local cmd; printf -v cmd '%q ' "$@"
  TERM=${term:-xterm} script -qec "$cmd >$(printf '%q' "$d/$name.out")" /dev/null >"$d/$name.tty" </dev/null
}

# Not a terminal: nothing on stderr.
"$a" --db "$w" profile --all --format csv >"$d/plain.out" 2>"$d/plain.err"
[ ! -s "$d/plain.err" ] || fail "stderr is not a terminal, yet: $(cat -v "$d/plain.err")"

# A terminal: the bar, then erased; the same profiles on stdout.
on_tty all "$a" --db "$w" profile --all --format csv
grep -q 'profiles \[###############---------------\]  50%  1/2' "$d/all.tty" \
  || fail "no bar on the terminal: $(cat -v "$d/all.tty")"
grep -q $'\r\e\\[K' "$d/all.tty" || fail "the bar is not erased: $(cat -v "$d/all.tty")"
cmp "$d/plain.out" "$d/all.out" || fail 'stdout differs with a terminal on stderr'

# The report, in its steps.
on_tty report "$a" --db "$w" report NW-2026-01 --format json
grep -q 'report \[.*1/3  rendering' "$d/report.tty" || fail "no report bar: $(cat -v "$d/report.tty")"
"$a" --db "$w" report NW-2026-01 --format json 2>"$d/report.err" | cmp - "$d/report.out" \
  || fail 'report bytes differ with a terminal on stderr'
[ ! -s "$d/report.err" ] || fail "report: stderr not a terminal, yet: $(cat -v "$d/report.err")"

# A message written while a bar is drawn erases it first: the note on the
# picked assessment starts its own line, with no bar before it.
on_tty picked "$a" --db "$w" report --format json || true  # (the newest assessment has no ratings)
grep -q 'using assessment' "$d/picked.tty" || fail "no note: $(cat -v "$d/picked.tty")"
if tr '\r' '\n' <"$d/picked.tty" | grep 'using assessment' | grep -q 'report \['; then
  fail "a bar runs into the message: $(cat -v "$d/picked.tty")"
fi
grep -q $'\r\e\\[Kassay: using assessment' "$d/picked.tty" || fail "bar not erased before the note: $(cat -v "$d/picked.tty")"

# TERM=dumb: no bar.
term=dumb on_tty dumb "$a" --db "$w" profile --all --format csv
! grep -q 'profiles \[' "$d/dumb.tty" || fail "a bar with TERM=dumb: $(cat -v "$d/dumb.tty")"
echo "ok: a bar on a terminal, none otherwise"
