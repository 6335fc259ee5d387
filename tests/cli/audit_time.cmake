# End-to-end tests of audit time and sites (issue 18, docs/AUDIT.md "Audit
# time and sites"): the bundled table and the example client's calculation,
# recording persons and adjustments, planned days below the calculation
# refused without a justification (also on import), the central site, and
# the programme's and report's audit-time and site sections. Uses the
# prelude and variables of audit.cmake (included before this file).

add_test(NAME cli.audit_time_example COMMAND bash -c "${AUDIT_PRELUDE}
w import '${AUDIT_NW}' >/dev/null 2>&1
w audit import '${AUDIT_CLIENT}' 2>/dev/null
w audit time NORTHWIND > \"$d/time\"
grep -qx 'Persons in scope: 180 (band 176-275 persons): 9.5 days' \"$d/time\" || fail \"$(cat \"$d/time\")\"
grep -qx 'Net adjustment: -5 % (a reduction is capped at -30 %)' \"$d/time\" || fail \"$(cat \"$d/time\")\"
grep -qx 'Initial audit (stage 1 + stage 2): 9 days' \"$d/time\" || fail \"$(cat \"$d/time\")\"
grep -qx 'Surveillance audit: 3 days' \"$d/time\" || fail \"$(cat \"$d/time\")\"
grep -qx 'Recertification audit: 6 days' \"$d/time\" || fail \"$(cat \"$d/time\")\"
grep -Eq '^NW-SV1-2025 +surveillance +completed +2.5 +3 +below the calculation; justification: Held together' \"$d/time\" || fail \"$(cat \"$d/time\")\"
grep -q 'not the values of ISO/IEC 20000-6' \"$d/time\" || fail 'the table does not say it is exemplar'
w audit time NORTHWIND --format json | python3 -c 'import json,sys; t=json.load(sys.stdin); assert t[\"initial_days\"]==9 and t[\"net_adjustment_percent\"]==-5 and not t[\"capped\"] and t[\"audits\"][1][\"below\"], t' || fail 'time json'
w audit programme NORTHWIND --today 2025-09-01 > \"$d/prog\"
grep -qx 'Audit time (audit-time-exemplar 1.0.0): 180 persons in scope, 9.5 days from the table, net -5 %: initial 9, surveillance 3, recertification 6 days' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
grep -qx 'Sites: LEJ (central), MAI, OPO; to visit per audit: initial 2, surveillance 2, recertification 2 of 3' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
grep -Eq '^  NW-SV2-2026 +surveillance +planned +LEJ, OPO, MAI$' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
grep -qx 'Sites not visited in this cycle: MAI (planned)' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
w audit programme NORTHWIND --today 2025-09-01 --format json | python3 -c 'import json,sys; p=json.load(sys.stdin); assert p[\"sites\"][\"central\"]==\"LEJ\" and p[\"sites\"][\"not_visited\"]==[\"MAI\"] and p[\"sites\"][\"not_planned\"]==[] and p[\"audit_time\"][\"surveillance_days\"]==3, p' || fail 'programme json'
w audit report NW-SV1-2025 --format json --out \"$d/sv1.json\" 2>/dev/null
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); t=r[\"audit_time\"]; assert t[\"days\"]==3 and t[\"planned_days\"]==2.5 and t[\"below\"] and t[\"justification\"], t; s=r[\"sites\"]; assert s[\"required\"]==1 and [x[\"id\"] for x in s[\"sites\"]]==[\"LEJ\",\"OPO\"] and [x[\"id\"] for x in s[\"sites\"] if x[\"visited\"]]==[\"LEJ\",\"OPO\"] and s[\"not_visited_in_cycle\"]==[], s' \"$d/sv1.json\" || fail 'report json'
if command -v pdftotext >/dev/null; then
  w audit report NW-SV1-2025 --out \"$d/sv1.pdf\" 2>/dev/null
  pdftotext \"$d/sv1.pdf\" - | tr '\\n' ' ' | tr -s ' ' > \"$d/flat\"
  for s in '3.4 Audit time' '180 (band 176 to 275): 9.5 days from the table' 'Services are run around the clock' 'initial (stage 1 + stage 2) 9, surveillance 3, recertification 6' '2.5 days, below the calculation; justification' '3.5 Sites' 'Leipzig head office (central function)' 'the sample for its type is 1' 'The central function is visited' 'Every site has been visited in this cycle.'; do
    grep -qF \"\$s\" \"$d/flat\" || fail \"NW-SV1-2025 report lacks: \$s\"
  done
fi
")

add_test(NAME cli.audit_time_session COMMAND bash -c "${AUDIT_PRELUDE}
w audit client add ACME --name 'ACME Services' --scope 'Managed desktop services' 2>/dev/null
w audit site add ACME HQ --name 'Head office' --central 2>\"$d/err\"
grep -qx 'site HQ of client ACME (central function): added' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit site add ACME DC 2>/dev/null
before=$(counts)
set +e
w audit site add ACME DC2 --central 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"two central sites: exit $rc\"
grep -qx \"assay: client 'ACME': sites 'DC2' and 'HQ' are both marked central; one site holds the central function\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit time ACME 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"no calculation: exit $rc\"
grep -qx \"assay: client 'ACME' has no audit-time calculation (persons in scope); record them with: assay audit time ACME --persons N \\[--adjust PERCENT:REASON\\]...\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit time ACME --persons 0 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"persons 0: exit $rc\"
grep -q 'the number of persons in scope must be at least 1, got 0' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit time ACME --persons 20 --adjust '-20' 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"adjustment without reason: exit $rc\"
grep -qx \"assay: --adjust '-20': the adjustment needs its reason (PERCENT:REASON)\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit time ACME --persons 20 --adjust 'x:why' 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"adjustment not a number: exit $rc\"
w audit time ACME --persons 20 --adjust '-150:why' 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"adjustment -150: exit $rc\"
grep -q 'adjustment 1: -150 % is not an adjustment' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit time NOPE --persons 20 2>\"$d/err\"; rc=$?
[ $rc = 4 ] || fail \"unknown client: exit $rc\"
w audit time ACME --table /nonexistent/t.json 2>\"$d/err\"; rc=$?
[ $rc = 4 ] || fail \"unknown table: exit $rc\"
set -e
[ \"$(counts)\" = \"$before\" ] || fail 'a refused command changed the workspace'
w audit time ACME --persons 20 --adjust '-20:combined audit' --adjust '-20:identical shifts' --adjust '-20:previously certified' --adjust '+10:complex processes' > \"$d/time\" 2>/dev/null
grep -qx 'Net adjustment: -30 % (the adjustments add up to -50 %; the reduction is capped at -30 %)' \"$d/time\" || fail \"$(cat \"$d/time\")\"
grep -qx 'Initial audit (stage 1 + stage 2): 2.5 days' \"$d/time\" || fail \"$(cat \"$d/time\")\"
w audit add ACME-SV1 --client ACME --type surveillance --start 2027-03-01 --days 1 --site HQ 2>/dev/null
before=$(counts)
set +e
w audit update ACME-SV1 --days 0.5 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"days below: exit $rc\"
grep -qx \"assay: audit 'ACME-SV1' plans 0.5 audit days, below the 1 days of the audit-time calculation for a surveillance audit; record why (the justification): assay audit update ACME-SV1 --days-justification TEXT\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit add ACME-SV2 --client ACME --type surveillance --start 2028-03-01 --days abc 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"days abc: exit $rc\"
grep -q \"^assay: --days 'abc': expected the planned audit days\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit time ACME --persons 200 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"more persons leaving a planned audit below: exit $rc\"
grep -q \"audit 'ACME-SV1' plans 1 audit days, below the\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
set -e
[ \"$(counts)\" = \"$before\" ] || fail 'a refused command changed the workspace'
w audit update ACME-SV1 --days 0.5 --days-justification 'remote audit of the single tool, agreed by the technical review' 2>/dev/null
w audit programme ACME --today 2027-01-01 > \"$d/prog\"
grep -Eq '^  ACME-SV1 +surveillance +0.5 of 1 days; below the calculation; justification: remote audit' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
grep -Eq '^  ACME-SV1 +surveillance +planned +HQ$' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
grep -qx 'TO PLAN before recertification: 1 sites not visited nor planned (DC)' \"$d/prog\" || fail \"$(cat \"$d/prog\")\"
w log verify >/dev/null 2>&1 || fail 'log verify'
")

# The import path applies the rules: a planned audit below the calculation
# without a justification, two central sites; nothing is written.
add_test(NAME cli.audit_time_import COMMAND bash -c "${AUDIT_PRELUDE}
w import '${AUDIT_NW}' >/dev/null 2>&1
before=$(counts)
python3 - '${AUDIT_CLIENT}' \"$d/bad.json\" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
sv2 = [a for a in d['audits'] if a['id'] == 'NW-SV2-2026'][0]
sv2['audit_days'] = 2
d['client']['sites'][1]['central'] = True
d['client']['audit_time']['adjustments'].append({'percent': 5, 'reason': ' '})
json.dump(d, open(sys.argv[2], 'w'))
PY
set +e
w audit import \"$d/bad.json\" 2>\"$d/err\"; rc=$?
set -e
[ $rc = 3 ] || fail \"bad import: exit $rc\"
grep -q \"bad.json: /client/sites/1/central: client 'NORTHWIND': sites 'LEJ' and 'OPO' are both marked central\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
grep -q \"bad.json: /client/audit_time/adjustments/3/reason: client 'NORTHWIND': audit-time adjustment 4 needs its reason\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
[ \"$(counts)\" = \"$before\" ] || fail 'a refused import changed the workspace'
python3 - '${AUDIT_CLIENT}' \"$d/bad2.json\" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
[a for a in d['audits'] if a['id'] == 'NW-SV2-2026'][0]['audit_days'] = 2
json.dump(d, open(sys.argv[2], 'w'))
PY
set +e
w audit import \"$d/bad2.json\" 2>\"$d/err\"; rc=$?
set -e
[ $rc = 3 ] || fail \"days below on import: exit $rc\"
grep -q \"bad2.json: /audits/3/audit_days: audit 'NW-SV2-2026' plans 2 audit days, below the 3 days of the audit-time calculation for a surveillance audit\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
[ \"$(counts)\" = \"$before\" ] || fail 'a refused import changed the workspace'
")

# Exports: certificate data in IAF CertSearch's layout and the OSCAL
# assessment results (validated against OSCAL's schema in
# tests/reports/audit/audit_exports_test.cc); bad input names the place.
add_test(NAME cli.audit_exports COMMAND bash -c "${AUDIT_PRELUDE}
w import '${AUDIT_NW}' >/dev/null 2>&1
w audit import '${AUDIT_CLIENT}' 2>/dev/null
w audit certificate export NORTHWIND --today 2025-06-01 > \"$d/c.csv\"
head -1 \"$d/c.csv\" | grep -qx \"Certification Identity Number,Certificate Number,Certification Status,Accreditation Status,Certification Type,Issue Date,Expiry Date,Certified Entity Name,Site Address,Scope,Original Issue Date\$(printf '\\r')\" || fail \"$(head -1 \"$d/c.csv\")\"
[ \"$(wc -l < \"$d/c.csv\")\" = 3 ] || fail 'one row per site in scope expected (Maia joined on 2025-07-01)'
w audit certificate export NORTHWIND --today 2025-07-01 > \"$d/c1.csv\"
[ \"$(wc -l < \"$d/c1.csv\")\" = 4 ] || fail 'one row per site expected once Maia joined'
grep -q '^NORTHWIND,NW-ITSM-2024-017,Active,Accredited,Management System,20240513,20270513,Northwind Managed Services GmbH,\"Leipzig head office, Leipzig, Germany\",' \"$d/c.csv\" || fail \"$(cat \"$d/c.csv\")\"
w audit certificate export --format json --today 2027-05-13 | python3 -c 'import json,sys; r=json.load(sys.stdin); assert len(r)==3 and r[0][\"Certification Status\"]==\"Expired\", r[0]' || fail 'json export'
w audit certificate export NORTHWIND -o \"$d/c2.csv\" --today 2025-06-01 2>\"$d/err\"
grep -qx \"wrote $d/c2.csv (2 CertSearch rows, csv)\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit oscal NW-SV1-2025 -o \"$d/sv1.oscal.json\" 2>\"$d/err\"
grep -qx \"wrote $d/sv1.oscal.json (OSCAL assessment results of audit NW-SV1-2025 as of 2025-03-12)\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))[\"assessment-results\"]; assert d[\"metadata\"][\"oscal-version\"]==\"1.0.6\" and len(d[\"results\"][0][\"findings\"])==3' \"$d/sv1.oscal.json\" || fail 'oscal'
set +e
w audit oscal NW-SV1-2025 -o \"$d/sv1.oscal.json\" 2>\"$d/err\"; rc=$?
[ $rc = 3 ] || fail \"existing output without --force: exit $rc\"
w audit oscal NW-XX 2>\"$d/err\"; rc=$?
[ $rc = 4 ] || fail \"unknown audit: exit $rc\"
grep -q \"no audit 'NW-XX'\" \"$d/err\" || fail \"$(cat \"$d/err\")\"
w audit certificate export NOPE 2>\"$d/err\"; rc=$?
[ $rc = 4 ] || fail \"unknown client: exit $rc\"
w audit certificate export --format xml 2>\"$d/err\"; rc=$?
[ $rc = 2 ] || fail \"bad format: exit $rc\"
set -e
")

# The calculation records the table it was made with (ID, version, SHA-256 of
# its content); a report made after the body replaced its table says which
# table the calculation used (issue 18).
add_test(NAME cli.audit_time_table_changed COMMAND bash -c "${AUDIT_PRELUDE}
w audit client add ACME --name 'ACME Services' --scope 'Managed desktop services' 2>/dev/null
w audit time ACME --persons 20 >/dev/null 2>&1
w audit export ACME > \"$d/e.json\"
python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))[\"client\"][\"audit_time\"][\"table\"]; assert t[\"id\"]==\"audit-time-exemplar\" and t[\"version\"]==\"1.0.0\" and len(t[\"sha256\"])==64, t' \"$d/e.json\" || fail 'the table is not recorded'
w audit add ACME-S1 --client ACME --type stage1 --start 2026-03-02 --end 2026-03-03 2>/dev/null
w audit team add ACME-S1 'Ana Ruiz' --role leader >/dev/null 2>&1
w audit report ACME-S1 --format json --out \"$d/r1.json\" 2>/dev/null
python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))[\"audit_time\"]; assert \"recorded_table\" not in t and t[\"base_days\"]==3.5, t' \"$d/r1.json\" || fail 'the same table reported as changed'
mkdir -p \"$d/m/audit-time\"
python3 - '${PROJECT_SOURCE_DIR}/models/audit-time/audit-time-exemplar.json' \"$d/m/audit-time/body.json\" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t['bands'][3]['days'] = 4.0
json.dump(t, open(sys.argv[2], 'w'), indent=1)
PY
w --models \"$d/m\" audit report ACME-S1 --format json --out \"$d/r2.json\" 2>/dev/null
python3 - \"$d/r2.json\" <<'PY' || fail 'a replaced table is not reported'
import json, sys
t = json.load(open(sys.argv[1]))['audit_time']
assert t['table'] == 'audit-time-exemplar 1.0.0' and t['base_days'] == 4.0, t
assert t['recorded_table'].startswith('audit-time-exemplar 1.0.0 (SHA-256 ') and t['recorded_table'].endswith(')'), t
PY
if command -v pdftotext >/dev/null; then
  w --models \"$d/m\" audit report ACME-S1 --out \"$d/r2.pdf\" 2>/dev/null
  pdftotext \"$d/r2.pdf\" - | tr '\\n' ' ' | tr -s ' ' > \"$d/flat\"
  grep -qF 'the calculation was recorded with the table audit-time-exemplar 1.0.0 (SHA-256' \"$d/flat\" || fail 'the PDF does not say the table changed'
fi
w audit import \"$d/e.json\" 2>\"$d/err\"
grep -Eq 'imported client ACME: [0-9]+ created, 0 updated, [0-9]+ unchanged' \"$d/err\" || fail \"$(cat \"$d/err\")\"
w log verify >/dev/null 2>&1 || fail 'log verify'
")
