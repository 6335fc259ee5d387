# assay portfolio and the charts for slides (docs/RATING.md, Portfolio):
# every organization's latest assessment side by side as a table, JSON,
# CSV, an SVG heat map (well-formed XML, user text escaped) and a PDF heat
# map; assay trend --format svg; the refusals with their exit codes.
set(PORTFOLIO_NW26 "${PROJECT_SOURCE_DIR}/models/examples/northwind-2026.json")
set(PORTFOLIO_NW27 "${PROJECT_SOURCE_DIR}/models/examples/northwind-2027.json")
add_test(NAME cli.portfolio COMMAND bash -c "
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
wellformed() { python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' \"$1\" || fail \"$1 is not well-formed XML\"; }
expect 4 'no workspace' -- \"$a\" --db \"$d/none.db\" portfolio
\"$a\" --db \"$d/w.db\" import '${PORTFOLIO_NW26}' >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" import '${PORTFOLIO_NW27}' >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" assessment new ACME-1 --model itsm-20000 --organization 'ACME <Ops> & Co' --title 'ACME 2026' >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" assessment set -a ACME-1 --end 2026-11-30 >/dev/null 2>&1 || true
\"$a\" --db \"$d/w.db\" scope add -a ACME-1 RES.1 --target 2 >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" assessment new LOOSE --model itsm-20000 >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" portfolio > \"$d/p.txt\"
grep -q '^Portfolio: 2 organizations, the latest assessment of each' \"$d/p.txt\" || fail \"header: $(cat \"$d/p.txt\")\"
grep -q 'NW-2027-01' \"$d/p.txt\" || fail 'latest of Northwind'
grep -q 'NW-2026-01' \"$d/p.txt\" && fail 'an older assessment in the portfolio'
grep -q '(1 assessment names no organization and is left out)' \"$d/p.txt\" || fail 'left out'
grep -Eq '^RES.1 +Incident management +0/2! +3/3 *$' \"$d/p.txt\" || fail \"RES.1 row: $(grep RES.1 \"$d/p.txt\")\"
grep -Eq '^SAS.1 .* - +1/2! *$' \"$d/p.txt\" || fail \"SAS.1 row: $(grep SAS.1 \"$d/p.txt\")\"
\"$a\" --db \"$d/w.db\" portfolio --format json > \"$d/p.json\"
grep -q '\"format\": \"assay-portfolio/1\"' \"$d/p.json\" || fail 'json'
\"$a\" --db \"$d/w.db\" portfolio --format csv > \"$d/p.csv\"
head -1 \"$d/p.csv\" | grep -q '^organization,assessment,date,process,name,in_scope,capability_level,target_level,gap' || fail 'csv'
\"$a\" --db \"$d/w.db\" portfolio --format svg > \"$d/p.svg\"
wellformed \"$d/p.svg\"
grep -q 'ACME &lt;Ops&gt; &amp; Co' \"$d/p.svg\" || fail 'svg escaping'
expect 0 'wrote .*p.pdf .portfolio, pdf' -- \"$a\" --db \"$d/w.db\" portfolio --format pdf --out \"$d/p.pdf\"
if command -v pdftotext >/dev/null; then
  pdftotext -layout \"$d/p.pdf\" - | grep 'Capability portfolio' >/dev/null || fail 'pdf text'
  pdftotext -layout \"$d/p.pdf\" - | grep -Eq 'RES.1 +Incident management +0/2 +3/3' || fail \"pdf heat map: $(pdftotext -layout \"$d/p.pdf\" - | grep RES.1)\"
fi
expect 3 'exists' -- \"$a\" --db \"$d/w.db\" portfolio --format pdf --out \"$d/p.pdf\"
expect 0 'wrote' -- \"$a\" --db \"$d/w.db\" portfolio --format pdf --out \"$d/p.pdf\" --force
expect 2 'give --out FILE.pdf' -- \"$a\" --db \"$d/w.db\" portfolio --format pdf
expect 2 'format' -- \"$a\" --db \"$d/w.db\" portfolio --format png
# The trend chart for slides.
\"$a\" --db \"$d/w.db\" trend -o Northwind --format svg > \"$d/t.svg\"
wellformed \"$d/t.svg\"
grep -q '>improved</text>' \"$d/t.svg\" || fail 'trend svg improved'
expect 0 'wrote .*t2.svg .trend, svg' -- \"$a\" --db \"$d/w.db\" trend -o Northwind --format svg --out \"$d/t2.svg\"
cmp -s \"$d/t.svg\" \"$d/t2.svg\" || fail 'svg to a file differs from stdout'
echo ok
")
