# End-to-end tests of audit-team competence and of audit reports as of their
# date (issue 18, docs/AUDIT.md "Competence" and "Audit time and sites"): the
# bundled client's people, their areas and qualifications in the report; a
# decision refused for a competence gap until a technical expert or a
# justification is recorded; the client's sites and audit-time inputs as they
# stood for an earlier audit. Uses the prelude and variables of audit.cmake.

add_test(NAME cli.audit_competence_example COMMAND bash -c "${AUDIT_PRELUDE}
w import '${AUDIT_NW}' >/dev/null 2>&1
w audit import '${AUDIT_CLIENT}' --dry-run 2>\"$d/err\"
grep -qx 'would register 6 people of the file: lena.vogt, maria.santos, jonas.becker, priya.raman, tom.ellis, aiko.tanaka' \"$d/err\" || fail \"$(cat \"$d/err\")\"
! w person list | grep maria.santos >/dev/null || fail 'a dry run registered people'
w audit import '${AUDIT_CLIENT}' 2>\"$d/err\"
grep -qx 'registered 6 people of the file: lena.vogt, maria.santos, jonas.becker, priya.raman, tom.ellis, aiko.tanaka' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit import '${AUDIT_CLIENT}' 2>\"$d/err\"
grep -qx 'already registered (entries kept): lena.vogt, maria.santos, jonas.becker, priya.raman, tom.ellis, aiko.tanaka' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w person show maria.santos > \"$d/p\"
grep -Eq '^  areas +service desk and incident management, change and release management$' \"$d/p\" || fail \"$(cat \"$d/p\")\"
# The stage 2 team covers every area (cloud operations by the technical
# expert; the observer covers nothing); the first surveillance misses cloud
# operations, justified in its record.
w audit report NW-ST2-2024 --format json --out \"$d/st2.json\" 2>/dev/null
python3 - \"$d/st2.json\" <<'PY' || fail 'stage 2 competence'
import json, sys
c = json.load(open(sys.argv[1]))['competence']
assert c['judged_on'] == '2024-03-04' and not c['gap'] and c['missing'] == [] and c['unregistered'] == [], c
areas = {a['area']: a['covered_by'] for a in c['technical_areas']}
assert areas['cloud operations'] == ['priya.raman'], areas
tom = [m for m in c['members'] if m['id'] == 'tom.ellis'][0]
assert tom['role'] == 'observer' and not tom['counts'], tom
maria = [m for m in c['members'] if m['id'] == 'maria.santos'][0]
assert [q['until'] for q in maria['qualifications']] == ['2025-05-31'], maria
PY
w audit report NW-SV1-2025 --format json --out \"$d/sv1.json\" 2>/dev/null
python3 - \"$d/sv1.json\" <<'PY' || fail 'surveillance competence'
import json, sys
c = json.load(open(sys.argv[1]))['competence']
assert c['gap'] and c['missing'] == ['cloud operations'] and c['lapsed'] == [], c
assert c['justification'].startswith('Cloud operations at Porto were left out'), c
PY
if command -v pdftotext >/dev/null; then
  w audit report NW-SV1-2025 --out \"$d/sv1.pdf\" 2>/dev/null
  pdftotext \"$d/sv1.pdf\" - | tr '\\n' ' ' | tr -s ' ' > \"$d/flat\"
  for s in '4.3 Competence of the team against the scope' 'Jonas Becker (jonas.becker)' 'Lead auditor, ISO/IEC 20000-1 (from 2021-09-01 to 2027-08-31)' 'NOT COVERED' 'no member of the team is competent in cloud operations' 'Justification recorded by the certification body: Cloud operations at Porto'; do
    grep -qF \"\$s\" \"$d/flat\" || fail \"NW-SV1-2025 report lacks: \$s\"
  done
  w audit report NW-ST2-2024 --out \"$d/st2.pdf\" 2>/dev/null
  pdftotext \"$d/st2.pdf\" - | tr '\\n' ' ' | tr -s ' ' > \"$d/flat2\"
  for s in 'Priya Raman (priya.raman)' 'Technical expert' 'Observer (covers no area)' 'The team covers every technical area of the scope'; do
    grep -qF \"\$s\" \"$d/flat2\" || fail \"NW-ST2-2024 report lacks: \$s\"
  done
fi
# As of its date: the Maia site joined the scope on 2025-07-01, so the
# first surveillance's report shows two sites; changes recorded later (more
# persons in scope, another site) do not change it.
python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))[\"sites\"]; assert [x[\"id\"] for x in s[\"sites\"]]==[\"LEJ\",\"OPO\"] and s[\"not_visited_in_cycle\"]==[], s' \"$d/sv1.json\" || fail 'sites as of the report date'
w audit programme NORTHWIND --today 2025-06-30 | grep -x 'Sites: LEJ (central), OPO; to visit per audit: initial 2, surveillance 1, recertification 2 of 2' >/dev/null || fail 'programme before Maia joined'
w audit programme NORTHWIND --today 2025-07-01 | grep -x 'Sites: LEJ (central), MAI, OPO; to visit per audit: initial 2, surveillance 2, recertification 2 of 3' >/dev/null || fail 'programme after Maia joined'
w audit time NORTHWIND --persons 120 >/dev/null 2>&1
w audit site add NORTHWIND HAM --name 'Hamburg office' 2>/dev/null
# Competence is judged from the registry as the log held it then: a later
# edit of a person (an area gained, a qualification cut short) does not
# change the old reports' competence sections.
w person register jonas.becker --area 'cloud operations' --qualification 'Lead auditor, ISO/IEC 20000-1;2021-09-01;2024-01-31' 2>/dev/null
w person show jonas.becker | grep -E '^  areas +cloud operations$' >/dev/null || fail 'the edit of jonas.becker'
w audit report NW-ST2-2024 --format json --out \"$d/st2-later.json\" 2>/dev/null
python3 -c 'import json,sys; a,b=(json.load(open(p))[\"competence\"] for p in sys.argv[1:3]); assert a==b, (a,b)' \"$d/st2.json\" \"$d/st2-later.json\" || fail 'the stage 2 competence changed with a later edit of a person'
w audit report NW-SV1-2025 --format json --out \"$d/sv1-later.json\" 2>/dev/null
python3 - \"$d/sv1.json\" \"$d/sv1-later.json\" <<'PY' || fail 'the report of an earlier audit changed'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for k in ('audit_time', 'sites', 'client', 'competence'):
    assert a[k] == b[k], (k, a[k], b[k])
assert b['audit_time']['persons'] == 180, b['audit_time']
PY
w audit time NORTHWIND | grep '^Persons in scope: 120 ' >/dev/null || fail 'the new calculation'
w log verify >/dev/null 2>&1 || fail 'log verify'
")

# A session: a decision is refused while the team has a competence gap, and
# allowed once a technical expert covers it or a justification is recorded.
add_test(NAME cli.audit_competence_session COMMAND bash -c "${AUDIT_PRELUDE}
w audit client add ACME --name 'ACME Services' --scope 'Managed desktop and cloud services' --area 'service desk' --area 'cloud operations' 2>/dev/null
w person register ana --name 'Ana Ruiz' --area 'service desk' --qualification 'Lead auditor;2020-01-01;2028-12-31' 2>/dev/null
w person register tom --name 'Tom Ellis' --area 'cloud operations' 2>/dev/null
w person register pri --name 'Priya Raman' --area 'cloud operations' --qualification 'Technical expert;2020-01-01' 2>/dev/null
w person register old --name 'Olaf Old' --area 'service desk' --qualification 'Auditor;2010-01-01;2026-03-01' 2>/dev/null
w audit add ACME-S2 --client ACME --type stage2 --start 2026-03-02 --end 2026-03-05 --stage1-exception 'Stage 1 held by the previous certification body' 2>/dev/null
w audit team add ACME-S2 ana --role leader 2>\"$d/err\"
grep -qx 'team competence for audit ACME-S2: covered: service desk (ana)' \"$d/err\" || fail \"$(cat \"$d/err\")\"
grep -qx 'warning: no team member is competent in: cloud operations' \"$d/err\" || fail \"$(cat \"$d/err\")\"
grep -qx 'warning: a certification decision on audit ACME-S2 is refused until the gaps are closed (a technical expert, another auditor) or a justification is recorded (--competence-justification)' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit team add ACME-S2 tom --role observer 2>\"$d/err\"
grep -qx 'warning: no team member is competent in: cloud operations' \"$d/err\" || fail \"an observer covered an area: $(cat \"$d/err\")\"
w audit team add ACME-S2 old --role auditor 2>\"$d/err\"
grep -qx 'warning: qualification lapsed before the audit: old: Auditor (valid until 2026-03-01)' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit update ACME-S2 --status completed --actual-start 2026-03-02 --actual-end 2026-03-05 --sample '20 incidents' --sample-clause 8.6.1 2>/dev/null
before=$(counts)
set +e
w audit decide ACME-S2 --by 'Dana Lee' --date 2026-03-20 --certificate C-1 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"decision with a competence gap: exit $rc\"
grep -qx \"assay: the team of audit 'ACME-S2' has competence gaps on its first day 2026-03-02: no member is competent in: cloud operations; qualification lapsed: old: Auditor (valid until 2026-03-01); a certification decision needs a team competent for the client's technical areas, or a recorded justification (such as the technical expert who supplied the knowledge): assay audit team add ACME-S2 PERSON --role technical-expert, or assay audit update ACME-S2 --competence-justification TEXT\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit update ACME-S2 --competence-justification ' ' 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"blank justification: exit $rc\"
grep -qx 'assay: --competence-justification needs the reason the team was accepted with its competence gaps' \"$d/err\" || fail \"$(cat \"$d/err\")\"
set -e
[ \"$(counts)\" = \"$before\" ] || fail 'a refused command changed the workspace'
# A technical expert closes the area; the lapsed qualification is still a gap.
w audit team add ACME-S2 pri --role technical-expert 2>/dev/null
set +e
w audit decide ACME-S2 --by 'Dana Lee' --date 2026-03-20 --certificate C-1 2>\"$d/err\"; rc=$?
set -e
[ $rc = 3 ] || fail \"decision with a lapsed qualification: exit $rc\"
grep -q 'gaps on its first day 2026-03-02: qualification lapsed: old: Auditor (valid until 2026-03-01); a certification' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit update ACME-S2 --competence-justification 'Olaf Old audited service desk under the lead auditor; his renewal was confirmed on 2026-03-10' 2>/dev/null
w audit decide ACME-S2 --by 'Dana Lee' --date 2026-03-20 --certificate C-1 > \"$d/out\"
grep -q 'Decision on audit ACME-S2: initial certification, 2026-03-20, by Dana Lee' \"$d/out\" || fail \"$(cat \"$d/out\")\"
w audit report ACME-S2 --format json --out \"$d/r.json\" 2>/dev/null
python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))[\"competence\"]; assert c[\"gap\"] and c[\"missing\"]==[] and c[\"lapsed\"]==[\"old: Auditor (valid until 2026-03-01)\"] and c[\"justification\"].startswith(\"Olaf Old\"), c' \"$d/r.json\" || fail 'report competence'
w audit export ACME | grep '\"competence_justification\": \"Olaf Old audited' >/dev/null || fail 'export keeps the justification'
w log verify >/dev/null 2>&1 || fail 'log verify'
")
