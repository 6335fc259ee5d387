# assay report --summary (docs/REPORT.md, The summary report): the Northwind
# checkpoint of 2027 with its trend since 2026, verified by verify-report;
# its JSON; the first assessment of a series; the refusals; and the
# maturity wording of `assay profile` when the scope cannot show a level.
set(SUMMARY_NW26 "${PROJECT_SOURCE_DIR}/models/examples/northwind-2026.json")
set(SUMMARY_NW27 "${PROJECT_SOURCE_DIR}/models/examples/northwind-2027.json")
add_test(NAME cli.summary_report COMMAND bash -c "
set -euo pipefail
command -v pdftotext >/dev/null || { echo 'pdftotext missing: skipped'; exit 77; }
d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT
a='$<TARGET_FILE:assay>'
fail() { echo \"FAIL: $*\"; exit 1; }
expect() {
  local code=$1 pat=$2; shift 3
  set +e; \"$@\" > \"$d/out\" 2>&1; local rc=$?; set -e
  [ $rc = $code ] || fail \"$*: exit $rc, expected $code: $(cat \"$d/out\")\"
  grep -Eq -- \"$pat\" \"$d/out\" || fail \"$*: no '$pat' in: $(cat \"$d/out\")\"
}
\"$a\" --db \"$d/w.db\" import '${SUMMARY_NW26}' >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" import '${SUMMARY_NW27}' >/dev/null 2>&1
expect 0 'wrote .*s27.pdf .pdf summary, .* assessment NW-2027-01' -- \"$a\" --db \"$d/w.db\" report NW-2027-01 --summary --out \"$d/s27.pdf\"
pages=$(pdfinfo \"$d/s27.pdf\" | awk '/^Pages:/ {print $2}')
[ \"$pages\" -le 12 ] || fail \"$pages pages\"
pdftotext -layout \"$d/s27.pdf\" \"$d/s27.txt\"
grep -q 'ASSESSMENT SUMMARY' \"$d/s27.txt\" || fail 'cover'
grep -q 'NW-2026-01: 2 improved, 1 regressed, 8 unchanged, 1 new' \"$d/s27.txt\" || fail 'changes'
expect 0 '^match: .*s27.pdf is the summary report of assessment NW-2027-01' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/s27.pdf\"
# A later write does not change what the summary reproduces from its position.
\"$a\" --db \"$d/w.db\" assessment set -a NW-2026-01 --title 'Renamed later' >/dev/null 2>&1
expect 0 '^match: ' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/s27.pdf\"
# A summary with an appended update does not match.
cp \"$d/s27.pdf\" \"$d/edited.pdf\"; printf '%% appended\\n' >> \"$d/edited.pdf\"
expect 7 'no match' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/edited.pdf\"
\"$a\" --db \"$d/w.db\" report NW-2027-01 --summary --format json > \"$d/s27.json\"
grep -q '\"format\": \"assay-summary-report/1\"' \"$d/s27.json\" || fail 'json format'
grep -q '\"previous\": \"NW-2026-01\"' \"$d/s27.json\" || fail 'json previous'
# The first of its series says there is no trend yet.
\"$a\" --db \"$d/w.db\" report NW-2026-01 --summary --out \"$d/s26.pdf\" 2>/dev/null
pdftotext \"$d/s26.pdf\" - | tr '\\n' ' ' | grep 'This is the first assessment of its series' >/dev/null || fail 'first of series'
expect 2 'the summary is written as pdf or json, not csv' -- \"$a\" --db \"$d/w.db\" report --summary --format csv
expect 2 'give --out FILE.pdf' -- \"$a\" --db \"$d/w.db\" report --summary
expect 4 'no assessment .NW-2028' -- \"$a\" --db \"$d/w.db\" report NW-2028 --summary --out \"$d/x.pdf\"
[ ! -e \"$d/x.pdf\" ] || fail 'a file was written on failure'
# A scope that cannot show maturity level 1 states no level.
\"$a\" --db \"$d/w.db\" assessment new ONE --model itsm-20000 --organization Solo >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" scope add -a ONE RES.1 --target 1 >/dev/null 2>&1
expect 0 'Organizational maturity level: not stated; the scope does not cover the process set of the lowest level of itsm-maturity; not in scope: ' -- \"$a\" --db \"$d/w.db\" profile ONE
\"$a\" --db \"$d/w.db\" profile ONE --format json | grep '\"stated\": false' >/dev/null || fail 'profile json stated'
echo ok
")
set_tests_properties(cli.summary_report PROPERTIES SKIP_RETURN_CODE 77)
