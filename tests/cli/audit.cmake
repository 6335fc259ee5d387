# End-to-end tests of `assay audit ...` (docs/AUDIT.md): the bundled example
# client (models/examples/northwind-2024-cycle.json) imports, its programme
# shows the overdue nonconformity, its report renders, export -> import ->
# export gives the same bytes; a session built command by command goes
# through findings, nonconformity moves, the recommendation and the decision,
# with the refusals (role separation, illegal moves, unknown IDs) leaving the
# workspace unchanged.
# The option forms of the report items (cli/audit_specs.cc) are unit-tested
# in tests/cli/audit_specs_test.cc: that file of the executable is compiled
# into the test binary too (the include directory is the test file's alone,
# so that the other tests keep their compile lines).
target_sources(assay_tests PRIVATE "${PROJECT_SOURCE_DIR}/cli/audit_specs.cc")
set_source_files_properties("${CMAKE_CURRENT_SOURCE_DIR}/cli/audit_specs_test.cc" TARGET_DIRECTORY assay_tests
  PROPERTIES INCLUDE_DIRECTORIES "${PROJECT_SOURCE_DIR}/cli")

set(AUDIT_EXPECT "${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh")
set(AUDIT_NW "${PROJECT_SOURCE_DIR}/models/examples/northwind-2026.json")
set(AUDIT_CLIENT "${PROJECT_SOURCE_DIR}/models/examples/northwind-2024-cycle.json")

function(assay_audit_test name code out_re err_re)
  add_test(NAME cli.${name} COMMAND bash ${AUDIT_EXPECT} ${code} "${out_re}" "${err_re}" -- ${ARGN})
endfunction()

assay_audit_test(audit_help 0 "programme" "" $<TARGET_FILE:assay> audit --help)
assay_audit_test(audit_help_exit_codes 0 "Exit codes: 0 done" "" $<TARGET_FILE:assay> audit --help)
assay_audit_test(audit_no_workspace 4 "" "no workspace here"
  $<TARGET_FILE:assay> --db /nonexistent/dir/w.db audit client list)
assay_audit_test(audit_bad_state_usage 2 "" "" $<TARGET_FILE:assay> audit nc move)

# Each script gets a fresh directory $d, the executable $a, and the helpers
# `fail` and `same` (the workspace's row counts did not change).
set(AUDIT_PRELUDE "
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT
a='$<TARGET_FILE:assay>'
w() { \"$a\" --db \"$d/w.db\" \"$@\"; }
fail() { echo \"FAIL: $*\"; exit 1; }
counts() { sqlite3 \"$d/w.db\" 'SELECT count(*) FROM records; SELECT count(*) FROM audit_records; SELECT count(*) FROM events;' | tr '\\n' ' '; }
")

# The example: imports (after its linked assessment), idempotent, programme
# with the overdue NC, report renders, export round trip, log verifies.
add_test(NAME cli.audit_example COMMAND bash -c "${AUDIT_PRELUDE}
set +e
w audit import '${AUDIT_CLIENT}' 2>\"$d/err\"; rc=$?
set -e
[ $rc = 3 ] || fail \"import without the assessment: exit $rc\"
grep -q \"/audits/3/assessment: audit 'NW-SV2-2026': no assessment 'NW-2026-01' in the workspace; import it first\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w import '${AUDIT_NW}' >/dev/null 2>&1
w audit import '${AUDIT_CLIENT}' --dry-run 2>\"$d/err\"
grep -q 'dry run, nothing written: client NORTHWIND' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit import '${AUDIT_CLIENT}' 2>\"$d/err\"
grep -Eq 'imported client NORTHWIND: [0-9]+ created, 0 updated, 0 unchanged' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit import '${AUDIT_CLIENT}' 2>\"$d/err\"
grep -Eq 'imported client NORTHWIND: 0 created, 0 updated, [0-9]+ unchanged' \"$d/err\" || fail \"second import: $(cat \"$d/err\")\"
w audit programme NORTHWIND --today 2025-06-01 > \"$d/prog\"
grep -Eq '^done +[0-9-]+ +2025-05-13 +NW-SV1-2025 +first surveillance' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
grep -q '^OVERDUE nonconformity NC-04 (minor, open): due 2025-04-11, 51 days late' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
grep -q 'certificate expires 2027-05-13 (active)' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
w audit programme NORTHWIND --today 2025-06-01 --format json | grep '\"overdue_nonconformities\": \\[' >/dev/null || fail 'json'
w audit nc list NORTHWIND --today 2025-06-01 | grep -Eq '^NC-04 +NORTHWIND +minor +7.5.3 +open +2025-04-11 +overdue' || fail 'nc list'
w audit recommend NW-ST2-2024 --today 2024-05-13 > \"$d/rec\"
grep -q 'Recommendation after audit NW-ST2-2024: recommend-with-conditions' \"$d/rec\" || fail \"$(cat \"$d/rec\")\"
grep -q 'possible-systemic 8.6.1' \"$d/rec\" || fail \"$(cat \"$d/rec\")\"
# Issue 18: on the surveillance's last day NC-04's plan is not yet due, so it
# is pending; the command and the report say the same.
w audit recommend NW-SV1-2025 --today 2025-03-12 > \"$d/rec\"
grep -qx 'Recommendation after audit NW-SV1-2025: recommend-with-conditions' \"$d/rec\" || fail \"$(cat \"$d/rec\")\"
grep -q '^  minor-plan-pending NC-04: .* its action plan is due by 2025-04-11' \"$d/rec\" || fail \"$(cat \"$d/rec\")\"
w audit report NW-SV1-2025 --format json --out \"$d/sv1.json\" 2>/dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))[\"recommendation\"]; assert r[\"kind\"]==\"recommend-with-conditions\", r; assert r[\"reasons\"][0][\"code\"]==\"minor-plan-pending\", r' \"$d/sv1.json\" || fail 'report recommendation'
w audit recommend NW-SV1-2025 --today 2025-04-12 | grep -x 'Recommendation after audit NW-SV1-2025: not-recommend' >/dev/null || fail 'overdue plan'
# One source of truth for coverage: 8.6.1 was sampled by the plan with no
# finding; the report's clause table and its samples agree, and the programme
# lists what the cycle has yet to cover.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r={c[\"number\"]: c[\"result\"] for c in d[\"clauses\"]}; assert r[\"8.6.1\"]==\"sampled-no-finding\", r[\"8.6.1\"]; assert r[\"10.2\"]==\"not-sampled\"; s={x[\"clause\"] for x in d[\"audit\"][\"sampled\"]}; assert all(r[k]!=\"not-sampled\" for k in s), s; assert \"8.6.3\" not in d[\"cycle_coverage\"][\"not_planned\"]; assert \"4.1\" in d[\"cycle_coverage\"][\"not_planned\"]' \"$d/sv1.json\" || fail 'report coverage'
w audit programme NORTHWIND --today 2025-06-01 > \"$d/prog\"
grep -qx 'Clauses covered in this cycle: 7 of 57 auditable; planned: 2' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
grep -q '^TO PLAN before recertification: 48 clauses not covered nor planned (4.1, 4.2, ' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
w audit programme NORTHWIND --today 2025-06-01 --format json | python3 -c 'import json,sys; c=json.load(sys.stdin)[\"clause_coverage\"]; assert c[\"auditable\"]==57 and c[\"covered\"]==7 and len(c[\"not_planned\"])==48, c' || fail 'programme json coverage'
w audit report NW-SV1-2025 --out \"$d/sv1.pdf\" 2>\"$d/err\"
grep -q 'wrote .*sv1.pdf (audit NW-SV1-2025 of NORTHWIND, as of 2025-03-12)' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit report NW-SV1-2025 --out \"$d/sv1b.pdf\" 2>/dev/null
cmp \"$d/sv1.pdf\" \"$d/sv1b.pdf\" || fail 'two runs give different bytes'
set +e
w audit report NW-SV1-2025 --out \"$d/sv1.pdf\" 2>\"$d/err\"; rc=$?
set -e
[ $rc = 3 ] || fail \"overwrite without --force: exit $rc\"
grep -q 'use --force' \"$d/err\" || fail \"$(cat \"$d/err\")\"
if command -v pdftotext >/dev/null; then
  pdftotext \"$d/sv1.pdf\" \"$d/text\"
  grep -q 'NC-04' \"$d/text\" || fail 'report lacks NC-04'
  grep -q 'Northwind Managed Services GmbH' \"$d/text\" || fail 'report lacks the client'
  pdftotext -layout \"$d/sv1.pdf\" \"$d/text1\"
  pdftotext \"$d/sv1.pdf\" - | tr '\\n' ' ' | tr -s ' ' > \"$d/flat1\"
  for s in 'Kalibra Certification GmbH' 'Maia backup data centre from its hosting partner' 'Ines Moreira' 'Interpreter' 'Dr. Katrin Hoffmann' 'video conference' 'off-site' 'records from before that date are kept read-only' 'deserve an observation rather than a minor' 'Combined audit' 'ISO/IEC 27001:2022' 'refers only to the certified scope'; do
    grep -qF \"\$s\" \"$d/flat1\" || fail \"NW-SV1-2025 report lacks: \$s\"
  done
  grep -Eq '11 March 2025 +Porto operations +on-site +Change management' \"$d/text1\" || fail 'activity at OPO by site name'
  ! grep -q 'None recorded' \"$d/text1\" || fail 'NW-SV1-2025 report says None recorded'
fi
if command -v qpdf >/dev/null; then qpdf --check \"$d/sv1.pdf\" >/dev/null || fail 'qpdf --check'; fi
w audit report NW-SV2-2026 --out \"$d/sv2.pdf\" 2>/dev/null || fail 'report of the audit linked to NW-2026-01'
if command -v pdftotext >/dev/null; then
  pdftotext -layout \"$d/sv2.pdf\" \"$d/text2\"
  grep -q 'linked to process assessment NW-2026-01' \"$d/text2\" || fail 'linked assessment not shown'
  grep -Eq '^RES\\.1 +Incident management +3 +3 +8\\.6\\.1' \"$d/text2\" || fail 'capability of RES.1 not shown'
fi
# The export carries the people its audits name (team members, technical
# experts, decision makers), with their areas and dated qualifications, and
# no one else: a fresh workspace registers them from it, and exports the
# same bytes.
w person register zoe --name 'Zoe Unrelated' --area 'cloud operations' 2>/dev/null
w audit export NORTHWIND -o \"$d/e1.json\" 2>/dev/null
python3 - \"$d/e1.json\" <<'PY' || fail 'the export lacks the people of its audits'
import json, sys
people = json.load(open(sys.argv[1]))['people']
assert [p['id'] for p in people] == ['aiko.tanaka', 'jonas.becker', 'lena.vogt', 'maria.santos', 'priya.raman', 'tom.ellis'], people
maria = [p for p in people if p['id'] == 'maria.santos'][0]
assert maria['areas'] == ['service desk and incident management', 'change and release management'], maria
assert [q['until'] for q in maria['qualifications']] == ['2025-05-31', '2028-05-31'], maria
PY
\"$a\" --db \"$d/w2.db\" import '${AUDIT_NW}' >/dev/null 2>&1
\"$a\" --db \"$d/w2.db\" audit import \"$d/e1.json\" 2>\"$d/err\"
grep -qx 'registered 6 people of the file: aiko.tanaka, jonas.becker, lena.vogt, maria.santos, priya.raman, tom.ellis' \"$d/err\" || fail \"$(cat \"$d/err\")\"
\"$a\" --db \"$d/w2.db\" person show priya.raman | grep -E '^  areas +cloud operations' >/dev/null || fail 'areas not registered from the export'
\"$a\" --db \"$d/w2.db\" audit export NORTHWIND > \"$d/e2.json\"
cmp \"$d/e1.json\" \"$d/e2.json\" || fail 'export -> import -> export differs'
w log verify >/dev/null 2>&1 || fail 'log verify'
w assessment list | grep NW-2026-01 >/dev/null || fail 'assessment list'
[ \"$(w assessment list | grep -c audit)\" = 0 ] || fail 'audit records listed as assessments'
")

# A session command by command, with the refusals.
add_test(NAME cli.audit_session COMMAND bash -c "${AUDIT_PRELUDE}
w audit policy --major-days 90 >/dev/null 2>&1
set +e
w audit client show ACME 2>\"$d/err\"; rc=$?
set -e
[ $rc = 4 ] || fail \"no client yet: exit $rc\"
grep -qx \"assay: no audit client 'ACME'; add one with: assay audit client add ID --name NAME --scope SCOPE\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit client add ACME --name 'ACME Services' --scope 'Managed desktop services' 2>/dev/null
w audit site add ACME HQ --name 'Head office' 2>/dev/null
w audit add ACME-S2 --client ACME --type stage2 --start 2026-03-02 --end 2026-03-05 --site HQ 2>/dev/null
w audit team add ACME-S2 'Ana Ruiz' --role leader 2>/dev/null
w audit team add ACME-S2 'Ben Okafor' --role auditor 2>/dev/null
set +e
w audit update ACME-S2 --status completed --actual-start 2026-03-02 --actual-end 2026-03-05 2>\"$d/err\"; rc=$?
set -e
[ $rc = 3 ] || fail \"stage 2 without stage 1: exit $rc\"
grep -qx \"assay: stage 2 audit 'ACME-S2' needs a completed stage 1 of client 'ACME' with its readiness conclusion, or a recorded exception with its reason; the client has no stage 1 audit (assay audit update ACME-S2 --stage1-exception REASON)\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit update ACME-S2 --status completed --actual-start 2026-03-02 --actual-end 2026-03-05 --sample '20 of 900 incidents' --sample-clause 8.6.1 --stage1-exception 'Stage 1 held by the previous certification body' 2>/dev/null
w audit finding add F-1 --audit ACME-S2 --clause 8.5.1.3 --grade major --statement 'Unapproved changes' 2>\"$d/err\"
grep -q 'nonconformity NC-F-1 raised: open, due 2026-06-03' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit finding add F-2 --audit ACME-S2 --clause 8.6.1 --grade minor --statement 'Wrong priorities' 2>/dev/null
w audit finding add F-3 --audit ACME-S2 --clause 8.6.1 --grade minor --statement 'No reviews' 2>\"$d/err\"
grep -q 'warning: clause 8.6.1: 2 minor nonconformities' \"$d/err\" || fail \"$(cat \"$d/err\")\"
before=$(counts)
set +e
w audit finding add F-4 --audit ACME-S2 --clause 8.6.9 --grade minor --statement x 2>\"$d/err\"; rc=$?
[ $rc = 4 ] || fail \"unknown clause: exit $rc\"
grep -q \"unknown clause '8.6.9' in catalogue iso20000-1-2018; nearest: 8.6.1\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit nc move NC-F-1 verified --date 2026-03-10 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"illegal move: exit $rc\"
grep -q 'cannot go from open to verified; allowed from open: plan-submitted, escalated' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit nc move NC-F-9 open 2>\"$d/err\"; rc=$?
[ $rc = 4 ] || fail \"unknown nc: exit $rc\"
grep -q \"no nonconformity 'NC-F-9'; nearest: NC-F-1\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit nc move NC-F-1 plan-submitted --date 2026-03-10 --correction 'Backed out' 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"plan without root cause and action: exit $rc\"
grep -qx 'assay: nonconformity NC-F-1 cannot move to plan-submitted without its plan; missing: root cause (--root-cause), corrective action (--action)' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit decide ACME-S2 --by 'Dana Lee' --date 2026-03-20 --certificate C-1 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"decision with an open major: exit $rc\"
grep -qx 'assay: a certificate needs every major nonconformity verified and every minor one with an accepted plan: NC-F-1 (major, open), NC-F-2 (minor, open), NC-F-3 (minor, open)' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit recommend ACME-S2 --override recommend 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"override without justification: exit $rc\"
set -e
[ \"$(counts)\" = \"$before\" ] || fail 'a refused command changed the workspace'
w audit nc move NC-F-1 plan-submitted --date 2026-03-10 --correction 'Backed out' --root-cause 'No approver at night' --action '24x7 approver rota' 2>/dev/null
w audit nc move NC-F-1 plan-accepted --date 2026-03-11 2>/dev/null
w audit nc move NC-F-1 implemented --date 2026-04-01 2>/dev/null
w audit nc move NC-F-1 verified --date 2026-04-15 2>/dev/null
for nc in NC-F-2 NC-F-3; do
  w audit nc move \$nc plan-submitted --date 2026-03-20 --correction c --root-cause r --action a 2>/dev/null
  w audit nc move \$nc plan-accepted --date 2026-03-25 2>/dev/null
done
w audit nc show NC-F-1 --today 2026-04-20 | grep 'history: 2026-03-05 open; 2026-03-10 plan-submitted; 2026-03-11 plan-accepted; 2026-04-01 implemented; 2026-04-15 verified' >/dev/null || fail 'nc show'
w audit recommend ACME-S2 --today 2026-04-20 | grep 'recommend-with-conditions' >/dev/null || fail 'recommendation'
before=$(counts)
set +e
w audit decide ACME-S2 --by 'Dana Lee' --date 2026-04-21 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"initial decision without a certificate: exit $rc\"
grep -qx 'assay: an initial certification decision issues a certificate: give its number (--certificate NUMBER)' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit decide ACME-S2 --by 'ana ruiz' --date 2026-04-21 --certificate C-1 2>\"$d/err\"; rc=$?
set -e
[ $rc = 3 ] || fail \"decision by a team member: exit $rc\"
grep -q \"decision maker 'ana ruiz' was on the audit team as leader\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
[ \"$(counts)\" = \"$before\" ] || fail 'a refused decision changed the workspace'
w audit decide ACME-S2 --by 'Dana Lee' --date 2026-04-21 --certificate C-1 > \"$d/out\"
grep -q 'Decision on audit ACME-S2: initial certification, 2026-04-21, by Dana Lee' \"$d/out\" || fail \"$(cat \"$d/out\")\"
grep -q 'Certificate C-1: active, issued 2026-04-21, expires 2029-04-21' \"$d/out\" || fail \"$(cat \"$d/out\")\"
w audit programme ACME --today 2027-05-01 | grep -Eq '^overdue +[0-9-]+ +2027-04-21 +- +first surveillance' || fail \"$(w audit programme ACME --today 2027-05-01)\"
w audit certificate status C-1 suspended --date 2027-05-02 --reason 'first surveillance missed' 2>/dev/null
w audit certificate list ACME | grep '2027-05-02 suspended: first surveillance missed' >/dev/null || fail 'certificate history'
w log verify >/dev/null 2>&1 || fail 'log verify'
sqlite3 \"$d/w.db\" \"UPDATE audit_records SET data = replace(data, 'No reviews', 'Reviews') WHERE record_key = 'finding/F-3'\"
set +e
w log verify >/dev/null 2>\"$d/err\"; rc=$?
set -e
[ $rc = 7 ] || fail \"tampering not detected: exit $rc\"
grep -q 'finding/F-3' \"$d/err\" || fail \"$(cat \"$d/err\")\"
")

# Exit codes are documented in `assay audit --help`: an unknown clause is
# "not found" (4, with the nearest clauses), a heading is invalid input (3).
assay_audit_test(audit_help_unknown_clause_is_4 0 "4 not found \\(no workspace, unknown client, audit, nonconformity, certificate or clause" ""
  $<TARGET_FILE:assay> audit --help)
add_test(NAME cli.audit_clause_exit_codes COMMAND bash -c "${AUDIT_PRELUDE}
w audit client add ACME --name 'ACME Services' --scope 'Managed desktop services' 2>/dev/null
w audit add ACME-S2 --client ACME --type stage2 --start 2026-03-02 2>/dev/null
w audit team add ACME-S2 'Ana Ruiz' --role leader 2>/dev/null
before=$(counts)
set +e
w audit finding add F-1 --audit ACME-S2 --clause 8.6.9 --grade minor --statement x 2>\"$d/err\"; rc=$?
[ $rc = 4 ] || fail \"unknown clause: exit $rc\"
grep -q \"^assay: finding 'F-1': unknown clause '8.6.9' in catalogue iso20000-1-2018; nearest: 8.6.1, 8.6.2, 8.6.3\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit finding add F-1 --audit ACME-S2 --clause 8.5.1 --grade minor --statement x 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"heading clause: exit $rc\"
grep -q 'clause 8.5.1 (Change management) is a heading, not an auditable clause; use one of 8.5.1.1, 8.5.1.2, 8.5.1.3' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit update ACME-S2 --sample 'x' --sample-clause 9.9 2>\"$d/err\"; rc=$?
[ $rc = 4 ] || fail \"unknown sample clause: exit $rc\"
grep -q \"unknown clause '9.9'\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
set -e
[ \"$(counts)\" = \"$before\" ] || fail 'a refused command changed the workspace'
")

# Report items h, i, j, l, m, n, q from the command line: stored, exported,
# shown in the report; bad forms refused naming the option and the bad part.
add_test(NAME cli.audit_report_items COMMAND bash -c "${AUDIT_PRELUDE}
w audit policy --body-name 'Meridian Certification Ltd' --major-days 60 >/dev/null 2>&1
w audit client add ACME --name 'ACME Services' --scope 'Managed desktop services' 2>/dev/null
w audit site add ACME HQ --name 'Head office' 2>/dev/null
w audit add ACME-S2 --client ACME --type stage2 --start 2026-03-02 --end 2026-03-04 --site HQ --activity '2026-03-02:on-site:HQ:Opening meeting' --combination 'integrated:ISO 9001:2015 and ISO/IEC 20000-1:2018' 2>/dev/null
w audit team add ACME-S2 'Ana Ruiz' --role leader 2>/dev/null
w audit update ACME-S2 --status completed --actual-start 2026-03-02 --actual-end 2026-03-04 --activity '2026-03-04:remote:video conference:Interviews: change and release' --activity '2026-02-23:off-site:Meridian office:Document review' --accompanying 'guide:Jana Novak:ACME' --accompanying 'interpreter:Olek Wisniewski' --programme-issue 'A second site joins the scope in 2027' --change 'New service desk tool since January' --unresolved 'The grade of F-1 is disputed' --marks 'not-applicable:no certificate yet' --deviation 'Interviews held remotely' --reason 'Travel cancelled' --stage1-exception 'Stage 1 held by the previous certification body' 2>\"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit export ACME > \"$d/e.json\"
python3 - \"$d/e.json\" <<'PY' || fail 'export lacks the report items'
import json, sys
d = json.load(open(sys.argv[1]))
a = d['audits'][0]
assert d['certification_body'] == {'name': 'Meridian Certification Ltd'}, d.get('certification_body')
assert d['policy']['major_action_days'] == 60, d['policy']
assert [x['date'] for x in a['activities']] == ['2026-02-23', '2026-03-02', '2026-03-04'], a['activities']
assert a['activities'][2] == {'date': '2026-03-04', 'mode': 'remote', 'place': 'video conference', 'description': 'Interviews: change and release'}, a['activities'][2]
assert a['accompanying'][1] == {'role': 'interpreter', 'person': 'Olek Wisniewski'}, a['accompanying']
assert a['combination'] == {'kind': 'integrated', 'details': 'ISO 9001:2015 and ISO/IEC 20000-1:2018'}, a['combination']
assert a['marks'] == {'control': 'not-applicable', 'note': 'no certificate yet'}, a['marks']
assert a['programme_issues'] and a['changes'] and a['unresolved_issues'], a
PY
\"$a\" --db \"$d/w3.db\" audit policy --major-days 90 >/dev/null 2>&1
set +e
\"$a\" --db \"$d/w3.db\" audit import \"$d/e.json\" 2>\"$d/err\"; rc=$?
set -e
[ $rc = 3 ] || fail \"import with another policy: exit $rc\"
grep -qx \"$d/e.json: /policy/major_action_days: the file's major_action_days (60) differs from the workspace's (90); align them first, e.g. assay audit policy --major-days 60\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
before=$(counts)
set +e
w audit update ACME-S2 --activity '2026-03-02:onsite:HQ' 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"bad mode: exit $rc\"
grep -q \"^assay: --activity '2026-03-02:onsite:HQ': unknown activity mode 'onsite': expected one of on-site, off-site, remote (form: DATE:MODE:PLACE\\[:WHAT\\]\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit update ACME-S2 --activity '2026-02-30:on-site:HQ' 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"bad date: exit $rc\"
grep -q \"^assay: --activity '2026-02-30:on-site:HQ': bad date '2026-02-30'\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit update ACME-S2 --accompanying 'Jana Novak' 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"accompanying without role: exit $rc\"
grep -q \"^assay: --accompanying 'Jana Novak': missing NAME (form: ROLE:NAME\\[:ORGANIZATION\\]\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit update ACME-S2 --combination joint 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"joint without details: exit $rc\"
grep -q \"^assay: --combination 'joint': missing DETAILS\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit update ACME-S2 --marks 'maybe' 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"bad marks: exit $rc\"
grep -q \"^assay: --marks 'maybe': unknown marks control 'maybe'\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit update ACME-S2 --accompanying 'observer:ana ruiz' 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"team member as accompanying: exit $rc\"
grep -q \"'ana ruiz' is on the audit team\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
set -e
[ \"$(counts)\" = \"$before\" ] || fail 'a refused command changed the workspace'
w audit report ACME-S2 --out \"$d/r.pdf\" 2>/dev/null
if command -v pdftotext >/dev/null; then
  pdftotext -layout \"$d/r.pdf\" \"$d/t\"
  pdftotext \"$d/r.pdf\" - | tr '\\n' ' ' | tr -s ' ' > \"$d/flat\"
  grep -Eq '4 March 2026 +video conference +remote +Interviews: change and release' \"$d/t\" || fail 'activity row'
  grep -Eq '2 March 2026 +Head office +on-site +Opening meeting' \"$d/t\" || fail 'site name for the site ID'
  grep -Eq 'Olek Wisniewski +Interpreter' \"$d/t\" || fail 'accompanying'
  for s in 'A second site joins the scope in 2027' 'New service desk tool since January' 'The grade of F-1 is disputed' 'Integrated audit' 'no certificate yet' 'Meridian Certification Ltd'; do
    grep -qF \"\$s\" \"$d/flat\" || fail \"report lacks: \$s\"
  done
  ! grep -q 'None recorded' \"$d/t\" || fail 'None recorded although every item was recorded'
fi
")

# Impartiality by person ID (issue 18): the decision maker took part in no
# audit of the cycle, whatever spelling the team used; a declared
# relationship within two years excludes a person from audits and decisions.
add_test(NAME cli.audit_impartiality COMMAND bash -c "${AUDIT_PRELUDE}
w audit client add ACME --name 'ACME' --scope 'Desktop services' 2>/dev/null
w person register mkowalczyk --name 'Dr. Marek Kowalczyk' 2>/dev/null
w person register ana --name 'Ana Ruiz' 2>/dev/null
w person register bob --name 'Bob Meyer' 2>/dev/null
w audit add ACME-S1 --client ACME --type stage1 --start 2026-01-10 2>/dev/null
w audit team add ACME-S1 mkowalczyk --role leader 2>/dev/null
w audit update ACME-S1 --status completed --actual-start 2026-01-10 --actual-end 2026-01-10 --conclusion 'Ready for stage 2' 2>/dev/null
w audit add ACME-S2 --client ACME --type stage2 --start 2026-03-02 --end 2026-03-04 2>/dev/null
w audit team add ACME-S2 ana --role leader 2>/dev/null
w audit update ACME-S2 --status completed --actual-start 2026-03-02 --actual-end 2026-03-04 2>/dev/null
before=$(counts)
set +e
w audit decide ACME-S2 --by 'Dr. Marek Kowalczyk' --date 2026-03-20 --certificate C-1 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"decision maker from the stage 1: exit $rc\"
grep -qx \"assay: decision maker 'Dr. Marek Kowalczyk' (person mkowalczyk) took part in audit 'ACME-S1' of this cycle as leader (recorded as 'mkowalczyk'): the certification decision must be made by a person not involved in the audits of the cycle\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit declare ACME bobby --kind consulting --from 2023-01-01 2>\"$d/err\"; rc=$?
[ $rc = 4 ] || fail \"unknown person: exit $rc\"
grep -qx \"assay: no person 'bobby' in the registry; nearest: bob\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit declare ACME bob --kind lobbying --from 2023-01-01 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"bad kind: exit $rc\"
set -e
[ \"$(counts)\" = \"$before\" ] || fail 'a refused command changed the workspace'
w audit declare ACME 'Bob Meyer' --kind consulting --from 2023-01-01 --until 2024-03-20 --date 2026-02-01 2>/dev/null
w audit export ACME | grep '\"declarations\"' >/dev/null || fail 'declaration not in the export'
set +e
w audit team add ACME-S2 bob --role observer 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"declared person on the team: exit $rc\"
grep -q \"within two years before 2026-03-02 it excludes them from audit 'ACME-S2'\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit decide ACME-S2 --by bob --date 2026-03-20 --certificate C-1 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"declared person deciding inside two years: exit $rc\"
set -e
w audit decide ACME-S2 --by bob --date 2026-03-21 --certificate C-1 2>/dev/null | grep 'by bob' >/dev/null || fail 'outside two years'
")

# Team competence against the client's technical areas (issue 18).
add_test(NAME cli.audit_team_competence COMMAND bash -c "${AUDIT_PRELUDE}
w audit client add ACME --name ACME --scope 'Desktop and cloud services' --area 'service desk' --area 'cloud operations' 2>/dev/null
w person register ana --name 'Ana Ruiz' --area 'Service desk' --qualification 'ISO/IEC 20000-1 lead auditor;2020-01-01;2026-02-28' 2>/dev/null
w audit add ACME-S1 --client ACME --type stage1 --start 2026-03-02 2>/dev/null
w audit team add ACME-S1 ana --role leader 2>\"$d/err\"
grep -qx 'team competence for audit ACME-S1: covered: service desk (ana)' \"$d/err\" || fail \"$(cat \"$d/err\")\"
grep -qx 'warning: no team member is competent in: cloud operations' \"$d/err\" || fail \"$(cat \"$d/err\")\"
grep -qx 'warning: qualification lapsed before the audit: ana: ISO/IEC 20000-1 lead auditor (valid until 2026-02-28)' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit team add ACME-S1 'Ben Okafor' --role auditor 2>\"$d/err\"
grep -qx 'warning: not in the registry of people (no recorded competence): Ben Okafor' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit export ACME | grep '\"technical_areas\"' >/dev/null || fail 'areas not exported'
")
