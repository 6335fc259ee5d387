#!/usr/bin/env bash
# Safe outputs:
#  - `assay export -o` and `assay model graph -o` onto an existing file fail
#    (exit 3) without --force and leave it byte for byte unchanged; with
#    --force they replace it;
#  - `assay profile --format csv` neutralises cells a spreadsheet would run as
#    a formula (=, +, -, @ first): an assessment or instance ID such as
#    =cmd|' /C calc'!A0 comes out as '=cmd|' /C calc'!A0;
#  - error messages that echo user input show control characters (ESC of an
#    ANSI sequence, BEL, CR, LF) escaped as \xNN, never raw, on one line.
# usage: safe_output.sh ASSAY SOURCE_DIR
set -uo pipefail
assay=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/assay-safe.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASSAY_ACTOR=safe
failures=0 checks=0
fail() { echo "safe_output: FAIL: $*"; failures=$((failures + 1)); }
check() { checks=$((checks + 1)); }
sha() { sha256sum <"$1" | cut -c1-64; }
ws="$work/ws.db"
a() { "$assay" --db "$ws" "$@"; }

formula="=cmd|' /C calc'!A0"
a assessment new "$formula" --model itsm-20000 >/dev/null 2>&1 || { echo "cannot create the assessment"; exit 1; }
a scope add RES.1 --target 1 -a "$formula" >/dev/null 2>&1
a instance add "+RES.1/EU" --process RES.1 -a "$formula" >/dev/null 2>&1
a instance add "@SUM(A1:A9)" --process RES.1 -a "$formula" >/dev/null 2>&1
a rate -a "$formula" -i "@SUM(A1:A9)" -x PA1.1 -v F --consolidated >/dev/null 2>&1 || { echo "cannot rate"; exit 1; }

# 1. export -o and model graph -o never overwrite without --force.
for kind in export graph; do
  out="$work/$kind.out"
  printf 'precious %s\n' "$kind" >"$out"
  before=$(sha "$out")
  if [ $kind = export ]; then cmd=(a export "$formula" -o "$out"); else cmd=(a model graph itsm-20000 -o "$out"); fi
  check
  "${cmd[@]}" >"$work/stdout" 2>"$work/err"
  rc=$?
  [ $rc = 3 ] || fail "$kind -o onto an existing file: exit $rc, expected 3"
  grep -q "$out: exists; use --force to overwrite" "$work/err" || fail "$kind -o: message: $(cat "$work/err")"
  [ "$(sha "$out")" = "$before" ] || fail "$kind -o without --force changed the file"
  [ "$(ls "$work" | grep -c "^$kind.out")" = 1 ] || fail "$kind -o left other files: $(ls "$work")"
  check
  "${cmd[@]}" --force >/dev/null 2>"$work/err" || fail "$kind -o --force: $(cat "$work/err")"
  [ "$(sha "$out")" != "$before" ] || fail "$kind -o --force did not replace the file"
done
check
grep -q '"format": "assay-assessment/1"' "$work/export.out" || fail "the forced export is not an export"
grep -q '^digraph' "$work/graph.out" || fail "the forced graph is not a dot graph"

# 2. CSV cells are neutralised.
check
a profile "$formula" --format csv --instances >"$work/p.csv" 2>"$work/err" || fail "profile --format csv: $(cat "$work/err")"
LC_ALL=C grep -Eq "^'=cmd\|' /C calc'!A0,RES\.1,,PA1\.1," "$work/p.csv" || fail "the assessment ID cell is not neutralised: $(sed -n 2p "$work/p.csv")"
grep -Eq ",'\+RES\.1/EU,PA1\.1," "$work/p.csv" || fail "the +ID instance cell is not neutralised"
grep -Eq ",'@SUM\(A1:A9\),PA1\.1,1,rated,F," "$work/p.csv" || fail "the @ID instance cell is not neutralised"
# No data cell starts with a formula character.
cells=$(tail -n +2 "$work/p.csv" | tr ',' '\n' | grep -Ec '^[=+@]|^-[^0-9]' || true)
[ "$cells" = 0 ] || fail "$cells CSV cells start with a formula character"

# 3. Control characters in echoed input are escaped, on one line.
esc=$'\e[31mRES.1/EU\e[0m'
check
a rate -a "$formula" -i "$esc" -x PA1.1 -v F -s nobody >"$work/out" 2>"$work/err"
rc=$?
[ $rc = 4 ] || fail "rate with an ANSI-escaped instance: exit $rc, expected 4"
grep -Fq "unknown process instance '\\x1B[31mRES.1/EU\\x1B[0m'" "$work/err" || fail "ESC is not shown as \\x1B: $(cat -v "$work/err")"
check
a rate -a "$formula" -i "+RES.1/EU" -x PA1.1 -v $'F\a\r\nX' --consolidated >"$work/out" 2>"$work/err"
rc=$?
[ $rc != 0 ] || fail "a value with control characters was accepted"
grep -Fq "'F\\x07\\x0D\\x0AX'" "$work/err" || fail "BEL/CR/LF are not shown as \\xNN: $(cat -v "$work/err")"
check
a assessment show $'\e]0;pwned\a' >"$work/out" 2>"$work/err"
grep -Fq "\\x1B]0;pwned\\x07" "$work/err" || fail "an OSC sequence is not escaped: $(cat -v "$work/err")"
# C1 controls and bytes that are not UTF-8 are escaped too; UTF-8 text is kept.
check
a person add $'\xc2\x9b31m-\xff-\xc3\xa9' --role assessor -a "$formula" >"$work/out" 2>"$work/err"
a rate -a "$formula" -i "+RES.1/EU" -x PA1.1 -v F -s $'\xc2\x9b31m-\xff-\xc3\xa9x' >"$work/out" 2>>"$work/err"
if LC_ALL=C grep -q $'\xc2\x9b\\|\xff' "$work/err"; then fail "a C1 control or a non-UTF-8 byte is printed raw: $(cat -v "$work/err")"; fi
grep -Fq "unknown person '\u009B31m-\xFF-"$'\xc3\xa9'"x'" "$work/err" || fail "C1 / non-UTF-8 escaping: $(cat -v "$work/err")"
check
# An ID that is not UTF-8 is invalid input (exit 3), with a plain message, and nothing is written.
events_before=$(sqlite3 "$ws" "SELECT count(*) FROM events")
a person add $'ab\xffc' --role assessor >"$work/out" 2>"$work/err2"
rc=$?
[ $rc = 3 ] || fail "a non-UTF-8 person ID: exit $rc, expected 3: $(cat -v "$work/err2")"
grep -Fq "id is not valid UTF-8 (byte 3)" "$work/err2" || fail "a non-UTF-8 person ID: $(cat -v "$work/err2")"
[ "$(wc -l <"$work/err2")" = 1 ] || fail "a non-UTF-8 person ID: not one line: $(cat -v "$work/err2")"
[ "$(sqlite3 "$ws" "SELECT count(*) FROM events")" = "$events_before" ] || fail "a non-UTF-8 person ID wrote events"
if LC_ALL=C grep -q $'\xff' "$work/err2"; then fail "the non-UTF-8 byte is printed raw: $(cat -v "$work/err2")"; fi
check
for f in "$work"/err "$work"/err2; do
  if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$f"; then fail "raw control characters on stderr: $(cat -v "$f")"; fi
done

if [ $failures -gt 0 ]; then echo "safe_output: $failures of $checks checks failed"; exit 1; fi
echo "safe_output: $checks checks passed (no overwrite without --force, CSV cells neutralised, control characters escaped)"
