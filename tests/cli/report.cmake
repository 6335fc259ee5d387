# End-to-end tests of `assay report`, `assay verify-report` and `assay demo`.
# PDFs are checked with qpdf, pdfinfo and pdftotext (scripts/setup.sh --test);
# the comparison of the PDF with `assay profile --format json` is the gtest
# ReportCli.DemoReportShowsTheProfileLevels.
set(REPORT_EXPECT "${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh")
set(REPORT_NW "${PROJECT_SOURCE_DIR}/models/examples/northwind-2026.json")

function(assay_report_test name code out_re err_re)
  add_test(NAME cli.${name} COMMAND bash ${REPORT_EXPECT} ${code} "${out_re}" "${err_re}" -- ${ARGN})
endfunction()

assay_report_test(report_help 0 "Exit codes: 0 written" "" $<TARGET_FILE:assay> report --help)
assay_report_test(verify_report_help 0 "0 match, 7 no match" "" $<TARGET_FILE:assay> verify-report --help)
assay_report_test(demo_help 0 "Exit codes: 0 done" "" $<TARGET_FILE:assay> demo --help)
assay_report_test(report_bad_paper 2 "" "" $<TARGET_FILE:assay> report --out x.pdf --paper a5)
assay_report_test(verify_report_missing_file 4 "" "assay: /nonexistent/r.pdf: no such file"
  $<TARGET_FILE:assay> verify-report /nonexistent/r.pdf)

# Each script gets a fresh directory $d, the executable $a and a workspace
# $d/w.db holding the bundled example.
set(REPORT_PRELUDE "
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT
a='$<TARGET_FILE:assay>'
\"$a\" --db \"$d/w.db\" import '${REPORT_NW}' >/dev/null 2>&1
fail() { echo \"FAIL: $*\"; exit 1; }
")

# The PDF: written, qpdf-clean, A4, identical bytes on a second run, letter on request.
add_test(NAME cli.report_pdf COMMAND bash -c "${REPORT_PRELUDE}
\"$a\" --db \"$d/w.db\" report --out \"$d/r1.pdf\" 2>\"$d/err\"
grep -q 'wrote .*r1.pdf (pdf, .* assessment NW-2026-01, snapshot ' \"$d/err\" || fail \"message: $(cat \"$d/err\")\"
\"$a\" --db \"$d/w.db\" report NW-2026-01 --out \"$d/r2.pdf\" 2>/dev/null
cmp \"$d/r1.pdf\" \"$d/r2.pdf\" || fail 'two runs give different bytes'
qpdf --check \"$d/r1.pdf\" >/dev/null || fail 'qpdf --check'
pdfinfo \"$d/r1.pdf\" > \"$d/info\"
grep -q 'A4' \"$d/info\" || fail 'not A4'
grep -Eq '^Keywords: +assay-report-manifest/1 kind=assessment subject=NW-2026-01 ' \"$d/info\" || fail 'no manifest keywords'
pdftotext \"$d/r1.pdf\" \"$d/text\"
grep -q 'Page 1 of ' \"$d/text\" || fail 'no page footer'
\"$a\" --db \"$d/w.db\" report --out \"$d/l.pdf\" --paper letter 2>/dev/null
pdfinfo \"$d/l.pdf\" > \"$d/info\"
grep -q '612 x 792' \"$d/info\" || fail 'letter paper'
")

# --out never overwrites without --force, and leaves the file unchanged.
add_test(NAME cli.report_refuses_overwrite COMMAND bash -c "${REPORT_PRELUDE}
echo 'precious' > \"$d/keep.pdf\"
set +e
\"$a\" --db \"$d/w.db\" report --out \"$d/keep.pdf\" 2>\"$d/err\"; rc=$?
set -e
[ $rc = 3 ] || fail \"exit $rc, expected 3\"
grep -q 'keep.pdf: exists; use --force to overwrite' \"$d/err\" || fail \"message: $(cat \"$d/err\")\"
[ \"$(cat \"$d/keep.pdf\")\" = precious ] || fail 'file was changed'
\"$a\" --db \"$d/w.db\" report --out \"$d/keep.pdf\" --force 2>/dev/null
head -c 5 \"$d/keep.pdf\" | grep -q '%PDF-' || fail 'not replaced with --force'
")

# JSON and CSV go to stdout without --out; the PDF needs --out.
add_test(NAME cli.report_data_formats COMMAND bash -c "${REPORT_PRELUDE}
\"$a\" --db \"$d/w.db\" report --format json > \"$d/r.json\"
grep -q '\"format\": \"assay-assessment-report/1\"' \"$d/r.json\" || fail json
\"$a\" --db \"$d/w.db\" report --format csv > \"$d/r.csv\"
[ \"$(head -1 \"$d/r.csv\")\" = 'section,process,instance,attribute,item,value,detail' ] || fail csv
grep -q '^capability,RES.3,,,target 3,1,gap 2$' \"$d/r.csv\" || fail 'csv RES.3'
set +e
\"$a\" --db \"$d/w.db\" report 2>\"$d/err\"; rc=$?
set -e
[ $rc = 2 ] || fail \"no --out: exit $rc, expected 2\"
grep -q 'give --out FILE.pdf' \"$d/err\" || fail \"message: $(cat \"$d/err\")\"
")

# Unknown assessment and missing workspace.
add_test(NAME cli.report_not_found COMMAND bash -c "${REPORT_PRELUDE}
set +e
\"$a\" --db \"$d/w.db\" report NW-2026-02 --out \"$d/x.pdf\" 2>\"$d/err\"; rc=$?
[ $rc = 4 ] || fail \"unknown assessment: exit $rc\"
grep -q 'NW-2026-02' \"$d/err\" || fail \"message: $(cat \"$d/err\")\"
[ ! -e \"$d/x.pdf\" ] || fail 'file written'
\"$a\" --db \"$d/none.db\" report --out \"$d/x.pdf\" 2>/dev/null; rc=$?
[ $rc = 4 ] || fail \"no workspace: exit $rc\"
[ ! -e \"$d/none.db\" ] || fail 'workspace created'
")

# verify-report: match on the untouched workspace; a later change to the
# workspace does not change the report reproduced as of its log position,
# so it still matches (tests/cli/proof.cmake has the attacks on the file).
add_test(NAME cli.verify_report COMMAND bash -c "${REPORT_PRELUDE}
\"$a\" --db \"$d/w.db\" report --out \"$d/r.pdf\" 2>/dev/null
\"$a\" --db \"$d/w.db\" verify-report \"$d/r.pdf\" > \"$d/out\" || fail \"match expected: $(cat \"$d/out\")\"
grep -q '^match: ' \"$d/out\" || fail \"output: $(cat \"$d/out\")\"
ASSAY_ACTOR=tester \"$a\" --db \"$d/w.db\" rate -a NW-2026-01 -i RES.3/OPO-OC -x PA2.1 -v F --consolidated >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" verify-report \"$d/r.pdf\" > \"$d/out\" || fail \"match expected after a later write: $(cat \"$d/out\")\"
grep -q '^match: ' \"$d/out\" || fail \"output: $(cat \"$d/out\")\"
\"$a\" --db \"$d/w.db\" report --out \"$d/r2.pdf\" 2>/dev/null
cmp -s \"$d/r.pdf\" \"$d/r2.pdf\" && fail 'the report after the change is the same'
\"$a\" --db \"$d/w.db\" verify-report \"$d/r2.pdf\" > /dev/null || fail 'the new report does not match'
")

# verify-report on files that are no assay report, and on another workspace.
add_test(NAME cli.verify_report_bad_input COMMAND bash -c "${REPORT_PRELUDE}
echo 'not a pdf' > \"$d/t.pdf\"
set +e
\"$a\" --db \"$d/w.db\" verify-report \"$d/t.pdf\" 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"not a PDF: exit $rc\"
grep -q 't.pdf: not a PDF file' \"$d/err\" || fail \"message: $(cat \"$d/err\")\"
printf '%%PDF-1.4\\n1 0 obj << /Type /Catalog >> endobj\\n2 0 obj << /Title (x) >> endobj\\ntrailer << /Root 1 0 R /Info 2 0 R >>\\n%%%%EOF\\n' > \"$d/plain.pdf\"
\"$a\" --db \"$d/w.db\" verify-report \"$d/plain.pdf\" >\"$d/err\" 2>&1; rc=$?
[ $rc = 7 ] || fail \"no manifest: exit $rc\"
grep -q 'plain.pdf: not an assay report, or its log position is unreadable (no assay manifest in this PDF' \"$d/err\" || fail \"message: $(cat \"$d/err\")\"
set -e
\"$a\" --db \"$d/w.db\" report --out \"$d/r.pdf\" 2>/dev/null
\"$a\" --db \"$d/other.db\" assessment new NW-2026-02 --model itsm-20000 >/dev/null 2>&1
set +e
\"$a\" --db \"$d/other.db\" verify-report \"$d/r.pdf\" 2>\"$d/err\"; rc=$?
[ $rc = 4 ] || fail \"other workspace: exit $rc\"
grep -q \"about assessment 'NW-2026-01', which is not in .*other.db; nearest: NW-2026-02\" \"$d/err\" || fail \"message: $(cat \"$d/err\")\"
")

# demo: writes the workspace, the PDF and the JSON; refuses a non-empty
# directory without --force and leaves what is there alone.
add_test(NAME cli.demo COMMAND bash -c "
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT
a='$<TARGET_FILE:assay>'
fail() { echo \"FAIL: $*\"; exit 1; }
\"$a\" demo --out \"$d/demo\" > \"$d/out\" 2>\"$d/err\" || fail \"demo: $(cat \"$d/err\")\"
grep -Eq '^RES\\.1 .* 3 +3 +0$' \"$d/out\" || fail 'profile not printed'
grep -q 'NW-2026-01: 0 errors' \"$d/out\" || fail 'check summary not printed'
grep -q \"Wrote $d/demo/northwind-2026-report.pdf\" \"$d/out\" || fail 'pdf not announced'
grep -q \"assay --db $d/demo/demo.db verify-report $d/demo/northwind-2026-report.pdf\" \"$d/out\" || fail 'next steps'
qpdf --check \"$d/demo/northwind-2026-report.pdf\" >/dev/null || fail qpdf
grep -q \"imported client NORTHWIND\" \"$d/err\" \"$d/out\" || fail 'audit client not imported'
qpdf --check \"$d/demo/northwind-audit-NW-SV1-2025.pdf\" >/dev/null || fail 'audit report qpdf'
[ -s \"$d/demo/northwind-2026-report.json\" ] || fail json
cp \"$d/demo/northwind-2026-report.pdf\" \"$d/first.pdf\"
cp \"$d/demo/northwind-2026-report.json\" \"$d/first.json\"
set +e
\"$a\" demo --out \"$d/demo\" >/dev/null 2>\"$d/err\"; rc=$?
set -e
[ $rc = 3 ] || fail \"second run without --force: exit $rc\"
grep -q 'demo: exists and is not empty; use --force' \"$d/err\" || fail \"message: $(cat \"$d/err\")\"
\"$a\" demo --out \"$d/demo\" --force >/dev/null 2>&1 || fail 'second run with --force'
# A new workspace has a new log (its events carry the time they were
# written), so only the log head differs between the two runs' reports.
grep -v '\"log_head\"' \"$d/first.json\" > \"$d/a\"; grep -v '\"log_head\"' \"$d/demo/northwind-2026-report.json\" > \"$d/b\"
cmp \"$d/a\" \"$d/b\" || fail 'the demo report (json) differs between runs'
pdftotext \"$d/first.pdf\" - | tr -d '\\n' | sed -E 's/[0-9a-f]{16,}//g' > \"$d/a\"
pdftotext \"$d/demo/northwind-2026-report.pdf\" - | tr -d '\\n' | sed -E 's/[0-9a-f]{16,}//g' > \"$d/b\"
cmp \"$d/a\" \"$d/b\" || fail 'the demo report differs between runs'
\"$a\" --db \"$d/demo/demo.db\" verify-report \"$d/demo/northwind-2026-report.pdf\" >/dev/null || fail 'the demo report does not verify'
mkdir \"$d/mine\"; echo 'my notes' > \"$d/mine/notes.txt\"
set +e
\"$a\" demo --out \"$d/mine\" >/dev/null 2>&1; rc=$?
set -e
[ $rc = 3 ] || fail \"non-empty dir: exit $rc\"
[ \"$(ls \"$d/mine\")\" = notes.txt ] || fail 'files added to a refused directory'
[ \"$(cat \"$d/mine/notes.txt\")\" = 'my notes' ] || fail 'user file changed'
")
