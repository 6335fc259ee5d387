# assay trend (docs/RATING.md, Trends): the bundled Northwind assessments of
# 2026 and 2027 side by side; the JSON validates against its schema (checked
# by tests/reports/data/trend_data_test.cc on the same data); choosing the
# organization and series, and each refusal with its exit code.
set(TREND_NW26 "${PROJECT_SOURCE_DIR}/models/examples/northwind-2026.json")
set(TREND_NW27 "${PROJECT_SOURCE_DIR}/models/examples/northwind-2027.json")
add_test(NAME cli.trend COMMAND bash -c "
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT
a='$<TARGET_FILE:assay>'
fail() { echo \"FAIL: $*\"; exit 1; }
expect() {
  local code=$1 pat=$2; shift 3
  set +e; \"$@\" > \"$d/out\" 2>&1; local rc=$?; set -e
  [ $rc = $code ] || fail \"$*: exit $rc, expected $code: $(cat \"$d/out\")\"
  grep -Eq -- \"$pat\" \"$d/out\" || fail \"$*: no '$pat' in: $(cat \"$d/out\")\"
}
expect 4 'no workspace' -- \"$a\" --db \"$d/none.db\" trend
\"$a\" --db \"$d/w.db\" import '${TREND_NW26}' >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" import '${TREND_NW27}' >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" trend > \"$d/t.txt\"
grep -q '2 assessments, oldest first' \"$d/t.txt\" || fail 'header'
grep -Eq '^RES.3 +Problem management +CL1 +CL2 +improved +1$' \"$d/t.txt\" || fail \"RES.3: $(cat \"$d/t.txt\")\"
grep -Eq '^SMS.4 .* CL2 +CL1 +regressed +1$' \"$d/t.txt\" || fail 'SMS.4 regressed'
grep -Eq '^SAS.1 .* - +CL1 +new +1$' \"$d/t.txt\" || fail 'SAS.1 new'
grep -Eq '^RES.1 .* CL3 +CL3 +unchanged +0$' \"$d/t.txt\" || fail 'RES.1 unchanged'
\"$a\" --db \"$d/w.db\" trend -o northwind --attributes > \"$d/ta.txt\"
grep -Eq '^  PA2.1 +P +L +improved$' \"$d/ta.txt\" || fail 'attribute rows'
\"$a\" --db \"$d/w.db\" trend --format json > \"$d/t.json\"
grep -q '\"format\": \"assay-trend/1\"' \"$d/t.json\" || fail 'json format'
grep -q '\"latest\": \"regressed\"' \"$d/t.json\" || fail 'json regressed'
\"$a\" --db \"$d/w.db\" trend --format csv > \"$d/t.csv\"
head -1 \"$d/t.csv\" | grep -q '^organization,series,assessment,date,process,attribute,' || fail 'csv header'
grep -q ',NW-2027-01,2027-10-01,SAS.1,,yes,,1,2,1,new' \"$d/t.csv\" || fail \"csv SAS.1: $(grep SAS.1, \"$d/t.csv\" | head -3)\"
# Choosing: an unknown organization lists the known ones; a prefix of two
# is ambiguous; a series that does not exist; two series need --series.
expect 4 'no assessment of an organization named or starting with .Acme.; the organizations are: .Northwind' -- \"$a\" --db \"$d/w.db\" trend -o Acme
\"$a\" --db \"$d/w.db\" assessment new X1 --model itsm-20000 --organization 'Northwind Logistics' >/dev/null 2>&1
expect 3 'starts the names of 2 organizations' -- \"$a\" --db \"$d/w.db\" trend -o north
expect 3 'assessments of 2 organizations; choose one with --organization' -- \"$a\" --db \"$d/w.db\" trend
expect 0 'Northwind Logistics: 1 assessment' -- \"$a\" --db \"$d/w.db\" trend -o 'Northwind L'
expect 4 'in series .ITSM.; its series are' -- \"$a\" --db \"$d/w.db\" trend -o 'Northwind M' --series ITSM
\"$a\" --db \"$d/w.db\" assessment set -a NW-2027-01 --series ITSM >/dev/null 2>&1
expect 3 'form 2 series; choose one with --series' -- \"$a\" --db \"$d/w.db\" trend -o 'Northwind M'
expect 0 'series ITSM: 1 assessment' -- \"$a\" --db \"$d/w.db\" trend -o 'Northwind M' --series ITSM
\"$a\" --db \"$d/w.db\" assessment show NW-2027-01 | grep -q '  series:       ITSM' || fail 'show series'
echo ok
")
