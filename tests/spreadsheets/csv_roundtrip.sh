#!/usr/bin/env bash
# CSV both ways (issue 17): export the ratings in the import format, edit them
# as a spreadsheet in a German locale saves them (';', a decimal comma, a BOM,
# empty trailing columns and rows), import: exactly the edited ratings are new
# versions, the rest unchanged; importing again changes nothing. The
# pre-filled template (import --template csv -a ID) imports the rows filled
# in and skips the others. A failing import leaves the workspace as it was.
# usage: csv_roundtrip.sh ASSAY SOURCE_DIR
set -euo pipefail
assay=$1 src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/assay-csv.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASSAY_DB="$work/ws.db" ASSAY_ACTOR=test
fail() { echo "FAIL: $*"; exit 1; }
expect_summary() {  # expect_summary WANT FILE [ARGS...]: the import's summary line
  local want=$1 file=$2; shift 2
  "$assay" import "$file" "$@" 2>"$work/err" || { cat "$work/err"; fail "import $file failed"; }
  grep -Fq -- "$want" "$work/err" || { cat "$work/err"; fail "expected '$want'"; }
}

"$assay" import "$src/tests/badinput/base.json" 2>/dev/null
cat >"$work/ratings.csv" <<'CSV'
instance,item,value,assessor,weakness,evidence
RES.1/EU,PA1.1,L,ada,"- no trend analysis, ""ad hoc"" escalation",EV-1
RES.1/EU,PA2.1,P,ada,=SUM(A1),
RES.1/EU,PA2.2,F,cy,,
RES.2/EU,PA1.1,72.5%,cy,Zoë's queue,
CSV
expect_summary "4 created, 0 updated, 0 unchanged" "$work/ratings.csv"

# Export: a BOM, the import format, formula-like text neutralised.
"$assay" export A1 --format csv -o "$work/export.csv"
[ "$(head -c 3 "$work/export.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] || fail "no UTF-8 BOM"
[ "$(head -1 "$work/export.csv" | tail -c +4 | tr -d '\r')" = \
  "assessment,process,instance,item,value,assessor,consolidated,strength,weakness,reasons,evidence,justification" ] ||
  fail "header: $(head -1 "$work/export.csv")"
grep -Fq "\"'=SUM(A1)\"" "$work/export.csv" || grep -Fq "'=SUM(A1)" "$work/export.csv" || fail "=SUM not neutralised"
[ "$(grep -c $'\r$' "$work/export.csv")" = 5 ] || fail "expected 5 CRLF lines"
expect_summary "0 created, 0 updated, 4 unchanged" "$work/export.csv"

# Edit as Excel in a German locale saves: ';', decimal comma, trailing ';;;'.
python3 - "$work/export.csv" "$work/edited.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
for r in rows[1:]:
    if r[2] == "RES.1/EU" and r[3] == "PA2.1": r[4] = "L"
    if r[2] == "RES.2/EU" and r[3] == "PA1.1": r[4] = "80,5%"
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as f:
    w = csv.writer(f, delimiter=";", lineterminator="\r\n")
    for r in rows: w.writerow(r + ["", "", ""])
    w.writerow([""] * (len(rows[0]) + 3))
PY
before=$(sha256sum <"$ASSAY_DB")
"$assay" import --dry-run "$work/edited.csv" 2>"$work/err"
grep -Fq "dry run, nothing written: A1: 0 created, 2 updated, 2 unchanged (fields separated by ';')" "$work/err" ||
  { cat "$work/err"; fail "dry run"; }
[ "$before" = "$(sha256sum <"$ASSAY_DB")" ] || fail "a dry run changed the workspace"
expect_summary "imported into A1: 0 created, 2 updated, 2 unchanged (fields separated by ';')" "$work/edited.csv"
expect_summary "0 created, 0 updated, 4 unchanged" "$work/edited.csv"
"$assay" export A1 --format csv -o "$work/again.csv"
grep -q "^A1,RES.1,RES.1/EU,PA2.1,L,ada," "$work/again.csv" || fail "PA2.1 not L: $(cat "$work/again.csv")"
grep -q "^A1,RES.2,RES.2/EU,PA1.1,80.5%,cy," "$work/again.csv" || fail "80,5% not read as 80.5%"
grep -Fq "Zoë's queue" "$work/again.csv" || fail "UTF-8 statement lost"
"$assay" log verify >/dev/null || fail "the log does not verify"

# The pre-filled template: every instance and item to rate, nothing else.
"$assay" import --template csv -a A1 >"$work/template.csv"
rows=$(($(wc -l <"$work/template.csv") - 1))
[ "$rows" -gt 10 ] || fail "template has $rows rows"
grep -q "^A1,RES.2,RES.2/EU,PA1.1,,,,,,,,"$'\r'"$" "$work/template.csv" || fail "template row missing"
expect_summary "0 created, 0 updated, 0 unchanged" "$work/template.csv"
sed 's/^\(A1,RES.2,RES.2\/EU,PA1.1,\),/\1F,ada/' "$work/template.csv" >"$work/filled.csv"
expect_summary "1 created, 0 updated, 0 unchanged" "$work/filled.csv"

# A problem anywhere: nothing written, the place named.
sed 's/^\(A1,RES.2,RES.2\/EU,RES.2.BP1,\),/\1Q,ada/; s/^\(A1,RES.2,RES.2\/EU,PA1.1,\)F/\1P/' "$work/filled.csv" >"$work/bad.csv"
line=$(grep -n "^A1,RES.2,RES.2/EU,RES.2.BP1,Q" "$work/bad.csv" | cut -d: -f1 || true)
before=$(sha256sum <"$ASSAY_DB")
if "$assay" import "$work/bad.csv" 2>"$work/err"; then fail "a bad value was imported"; fi
code=0; "$assay" import "$work/bad.csv" 2>/dev/null || code=$?
[ "$code" = 3 ] || fail "exit code $code, expected 3"
[ -n "$line" ] || fail "the bad row is missing"
grep -Fq "$work/bad.csv:$line:5: value 'Q' is not a rating" "$work/err" || { cat "$work/err"; fail "message"; }
[ "$before" = "$(sha256sum <"$ASSAY_DB")" ] || fail "a failed import changed the workspace"
echo "csv round trip: ok"
