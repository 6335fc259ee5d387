# Reports carry their proof (issue 14): the log position and head hash in the
# manifest, DRAFT marks, reports reproduced as of a log position, and
# verify-report comparing the file with the reproduced report byte for byte.
# Each attack on a report (edited page content, forged metadata, an appended
# incremental update, recompressed objects) is detected with its message and
# exit 7. PDFs are handled with qpdf, pdfinfo and pdftotext (scripts/setup.sh --test).
set(PROOF_NW "${PROJECT_SOURCE_DIR}/models/examples/northwind-2026.json")
set(PROOF_PRELUDE "
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT
a='$<TARGET_FILE:assay>'
\"$a\" --db \"$d/w.db\" import '${PROOF_NW}' >/dev/null 2>&1
fail() { echo \"FAIL: $*\"; exit 1; }
# expect CODE PATTERN -- COMMAND...: the exit code, and PATTERN in stdout+stderr.
expect() {
  local code=$1 pat=$2; shift 3
  set +e; \"$@\" > \"$d/out\" 2>&1; local rc=$?; set -e
  [ $rc = $code ] || fail \"$*: exit $rc, expected $code: $(cat \"$d/out\")\"
  grep -Eq -- \"$pat\" \"$d/out\" || fail \"$*: no '$pat' in: $(cat \"$d/out\")\"
}
")

# The manifest states the log position and the head hash at it; a rated
# assessment's report is final, one before rated says DRAFT on every page and
# in its title (PDF and JSON).
add_test(NAME cli.report_proof_and_draft COMMAND bash -c "${PROOF_PRELUDE}
\"$a\" --db \"$d/w.db\" report --out \"$d/final.pdf\" 2>/dev/null
pdfinfo \"$d/final.pdf\" > \"$d/info\"
grep -Eq '^Keywords: .* log-seq=[0-9]+ log-head=[0-9a-f]{64}$' \"$d/info\" || fail \"keywords: $(grep Keywords \"$d/info\")\"
grep -Eq '^Title: +Process assessment report: NW-2026-01$' \"$d/info\" || fail 'final title'
pdftotext \"$d/final.pdf\" \"$d/final.txt\"
! grep -q DRAFT \"$d/final.txt\" || fail 'a final report says DRAFT'
grep -q 'Log head' \"$d/final.txt\" || fail 'no log head on the manifest page'
\"$a\" --db \"$d/w.db\" report --format json > \"$d/final.json\"
grep -q '\"draft\": false' \"$d/final.json\" || fail 'json draft false'
grep -Eq '\"log_head\": \"[0-9a-f]{64}\"' \"$d/final.json\" || fail 'json log_head'
# After a seal, the report states the latest seal line (manifest page,
# keywords, JSON).
\"$a\" --db \"$d/w.db\" key new ada -o \"$d/ada.key\" --no-passphrase >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" log seal --key \"$d/ada.key\" > \"$d/seal.txt\" 2>/dev/null
\"$a\" --db \"$d/w.db\" report --format json > \"$d/sealed.json\"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r[\"manifest\"][\"seal\"]==open(sys.argv[2]).read().strip(), r[\"manifest\"]' \"$d/sealed.json\" \"$d/seal.txt\" || fail 'json seal'
\"$a\" --db \"$d/w.db\" report --out \"$d/sealed.pdf\" 2>/dev/null
pdfinfo \"$d/sealed.pdf\" > \"$d/info\"
grep -Eq ' seal=assay-seal/1%20workspace%3D[0-9a-f]{32}%20seq%3D[0-9]+%20' \"$d/info\" || fail \"seal keyword: $(grep Keywords \"$d/info\")\"
pdftotext \"$d/sealed.pdf\" \"$d/sealed.txt\"
grep -q 'Latest seal' \"$d/sealed.txt\" || fail 'no latest seal on the manifest page'
expect 0 '^match: ' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/sealed.pdf\"
\"$a\" --db \"$d/w.db\" assessment status validating -a NW-2026-01 >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" report --out \"$d/draft.pdf\" 2>/dev/null
pdfinfo \"$d/draft.pdf\" | grep -Ec '^Title: +DRAFT: Process assessment report: NW-2026-01$' >/dev/null || fail 'draft title'
pdfinfo \"$d/draft.pdf\" | grep -Ec '^Keywords: .* draft=yes$' >/dev/null || fail 'draft keyword'
pages=$(pdfinfo \"$d/draft.pdf\" | awk '/^Pages:/ {print $2}')
for p in $(seq 1 $pages); do
  pdftotext -f $p -l $p \"$d/draft.pdf\" - | grep -c DRAFT >/dev/null || fail \"page $p of $pages has no DRAFT mark\"
done
\"$a\" --db \"$d/w.db\" report --format json > \"$d/draft.json\"
grep -q '\"title\": \"DRAFT: Process assessment report: NW-2026-01\"' \"$d/draft.json\" || fail 'json draft title'
grep -q '\"draft\": true' \"$d/draft.json\" || fail 'json draft true'
")

# A report is reproduced as of the log position it records: it keeps
# verifying after later writes, including the move to reported, and
# report --as-of gives the same bytes later.
add_test(NAME cli.verify_report_after_later_writes COMMAND bash -c "${PROOF_PRELUDE}
\"$a\" --db \"$d/w.db\" report --out \"$d/r.pdf\" 2>/dev/null
\"$a\" --db \"$d/w.db\" report --format json --out \"$d/r.json\" 2>/dev/null
seq=$(pdfinfo \"$d/r.pdf\" | sed -n 's/.* log-seq=\\([0-9]*\\).*/\\1/p')
[ -n \"$seq\" ] || fail 'no log-seq'
\"$a\" --db \"$d/w.db\" rate -a NW-2026-01 -i RES.3/OPO-OC -x PA2.1 -v F --consolidated >/dev/null 2>&1
expect 0 '^match: .*r.pdf is the report of assessment NW-2026-01 reproduced from .* as of log event '$seq -- \"$a\" --db \"$d/w.db\" verify-report \"$d/r.pdf\"
\"$a\" --db \"$d/w.db\" assessment status reported -a NW-2026-01 >/dev/null 2>&1
expect 0 '^match: ' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/r.pdf\"
expect 0 '^match: .*r.json' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/r.json\"
\"$a\" --db \"$d/w.db\" report --as-of $seq --out \"$d/again.pdf\" 2>/dev/null
cmp \"$d/r.pdf\" \"$d/again.pdf\" || fail 'report --as-of SEQ differs from the report made then'
\"$a\" --db \"$d/w.db\" report --format json > \"$d/now.json\"
! cmp -s \"$d/r.json\" \"$d/now.json\" || fail 'the current report should differ'
\"$a\" --db \"$d/w.db\" report --as-of $(date -u +%Y-%m-%d) --format json > \"$d/today.json\"
cmp \"$d/now.json\" \"$d/today.json\" || fail '--as-of today is not the current state'
expect 4 'no event on or before that day' -- \"$a\" --db \"$d/w.db\" report --as-of 2000-01-01 --format json
expect 3 \"--as-of 'soon': give a log position\" -- \"$a\" --db \"$d/w.db\" report --as-of soon --format json
expect 3 'is beyond the head of the log' -- \"$a\" --db \"$d/w.db\" report --as-of 999999 --format json
")

# Attacks on the document: each is a mismatch (exit 7) with what differs.
add_test(NAME cli.verify_report_detects_attacks COMMAND bash -c "${PROOF_PRELUDE}
\"$a\" --db \"$d/w.db\" report --out \"$d/r.pdf\" 2>/dev/null
expect 0 '^match: ' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/r.pdf\"
# Edited page text: page 2's content changed (streams uncompressed by qpdf).
qpdf --qdf --object-streams=disable --normalize-content=n \"$d/r.pdf\" \"$d/u.pdf\"
expect 7 'every page.s content is as reproduced' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/u.pdf\"
python3 - \"$d/u.pdf\" <<'PY'
import re, sys
p = sys.argv[1]
b = open(p, 'rb').read()
i = b.index(b'%% Contents for page 2')
s = b.index(b'stream\\n', i) + 7
m = re.compile(rb'[0-9]').search(b, s)
b = b[:m.start()] + (b'7' if b[m.start():m.end()] != b'7' else b'8') + b[m.end():]
open(p, 'wb').write(b)
PY
expect 7 'page 2 of [0-9]+ differs' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/u.pdf\"
grep -q '^no match: .*u.pdf is not the report assay reproduces' \"$d/out\" || fail \"$(cat \"$d/out\")\"
# Forged metadata: another snapshot hash in the Keywords (a UTF-16BE hex
# string in the Info dictionary; same length).
python3 - \"$d/r.pdf\" \"$d/forged.pdf\" <<'PY'
import re, sys
b = open(sys.argv[1], 'rb').read()
m = re.search(rb'/Keywords <([0-9A-Fa-f]+)>', b)
text = bytes.fromhex(m.group(1).decode()).decode('utf-16')
i = text.index('snapshot-sha256=') + len('snapshot-sha256=')
text = text[:i] + ('0' if text[i] != '0' else '1') + text[i + 1:]
forged = text.encode('utf-16-be').hex().upper().encode()
forged = b'FEFF' + forged if m.group(1).upper().startswith(b'FEFF') and not forged.startswith(b'FEFF') else forged
open(sys.argv[2], 'wb').write(b[:m.start(1)] + forged + b[m.end(1):])
PY
expect 7 'the snapshot sha256 the report states' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/forged.pdf\"
grep -q 'document properties' \"$d/out\" || fail \"$(cat \"$d/out\")\"
# An incremental update appended.
cp \"$d/r.pdf\" \"$d/inc.pdf\"
printf '\\n999 0 obj\\n<< /Title (changed) >>\\nendobj\\ntrailer\\n<< /Info 999 0 R >>\\n%%%%EOF\\n' >> \"$d/inc.pdf\"
expect 7 'followed by [0-9]+ more bytes [(]an appended incremental update[)]' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/inc.pdf\"
# Recompressed objects: the manifest is read from the object stream; every
# page is found (also one whose compressed data ends in an LF byte, which
# qpdf puts right before its endstream keyword: ComparePdfReportsTest), so the
# diagnosis is the file's structure.
qpdf --object-streams=generate \"$d/r.pdf\" \"$d/os.pdf\"
expect 7 'objects rewritten, e.g. recompressed' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/os.pdf\"
# A JSON report with one value changed.
\"$a\" --db \"$d/w.db\" report --format json --out \"$d/r.json\" 2>/dev/null
sed 's/\"level\": 1,/\"level\": 2,/' \"$d/r.json\" > \"$d/e.json\"
! cmp -s \"$d/r.json\" \"$d/e.json\" || fail 'sed changed nothing'
expect 7 '^  line [0-9]+ differs' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/e.json\"
# No manifest at all: not an assay report.
printf '%%PDF-1.4\\n1 0 obj << /Type /Catalog >> endobj\\ntrailer << /Root 1 0 R >>\\n%%%%EOF\\n' > \"$d/plain.pdf\"
expect 7 'plain.pdf: not an assay report, or its log position is unreadable' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/plain.pdf\"
")
set_tests_properties(cli.report_proof_and_draft cli.verify_report_after_later_writes
  cli.verify_report_detects_attacks PROPERTIES LABELS trust)

# An audit report as of its decision is made again, after later events (a
# nonconformity implemented years later), byte for byte, and verifies; it
# shows each nonconformity as it stood on the decision date. An audit before
# its decision is a DRAFT.
set(PROOF_CYCLE "${PROJECT_SOURCE_DIR}/models/examples/northwind-2024-cycle.json")
add_test(NAME cli.audit_report_as_of_decision COMMAND bash -c "${PROOF_PRELUDE}
\"$a\" --db \"$d/w.db\" audit import '${PROOF_CYCLE}' >/dev/null 2>&1
\"$a\" --db \"$d/w.db\" audit report NW-ST2-2024 --out \"$d/st2.pdf\" 2>/dev/null
\"$a\" --db \"$d/w.db\" audit report NW-ST2-2024 --format json > \"$d/st2.json\"
grep -q '\"draft\": false' \"$d/st2.json\" || fail 'a decided audit is no draft'
grep -q '\"report_date\": \"2024-05-13\"' \"$d/st2.json\" || fail 'the report date is the decision date'
python3 - \"$d/st2.json\" <<'PY' || fail 'NC-01 as of the decision date'
import json, sys
r = json.load(open(sys.argv[1]))
nc = {n['id']: n for n in r['nonconformities']}
assert nc['NC-01']['state'] == 'verified', nc['NC-01']['state']
assert all(h['date'] <= '2024-05-13' for h in nc['NC-01']['history']), nc['NC-01']['history']
assert r['recommendation']['kind'] == 'recommend-with-conditions', r['recommendation']
PY
\"$a\" --db \"$d/w.db\" audit nc move NC-03 implemented --date 2026-11-30 >/dev/null 2>&1 || fail 'nc move'
\"$a\" --db \"$d/w.db\" audit report NW-ST2-2024 --out \"$d/again.pdf\" 2>/dev/null
cmp \"$d/st2.pdf\" \"$d/again.pdf\" || fail 'the audit report differs after a later event'
\"$a\" --db \"$d/w.db\" audit report NW-ST2-2024 --format json > \"$d/again.json\"
cmp \"$d/st2.json\" \"$d/again.json\" || fail 'the audit report (json) differs after a later event'
expect 0 '^match: .*st2.pdf is the report of audit NW-ST2-2024' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/st2.pdf\"
expect 0 '^match: ' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/st2.json\"
cp \"$d/st2.pdf\" \"$d/inc.pdf\"; printf '\\n%%%%EOF\\n' >> \"$d/inc.pdf\"
expect 7 'an appended incremental update' -- \"$a\" --db \"$d/w.db\" verify-report \"$d/inc.pdf\"
\"$a\" --db \"$d/w.db\" audit report NW-SV2-2026 --format json > \"$d/sv2.json\"
grep -q '\"title\": \"DRAFT: Certification audit report: NW-SV2-2026\"' \"$d/sv2.json\" || fail 'planned audit: DRAFT title'
\"$a\" --db \"$d/w.db\" audit report NW-SV2-2026 --out \"$d/sv2.pdf\" 2>/dev/null
pdfinfo \"$d/sv2.pdf\" | grep -Ec '^Title: +DRAFT: Certification audit report: NW-SV2-2026$' >/dev/null || fail 'pdf DRAFT title'
pages=$(pdfinfo \"$d/sv2.pdf\" | awk '/^Pages:/ {print $2}')
for p in $(seq 1 $pages); do
  pdftotext -f $p -l $p \"$d/sv2.pdf\" - | grep -c DRAFT >/dev/null || fail \"page $p of $pages has no DRAFT mark\"
done
\"$a\" --db \"$d/w.db\" audit report NW-SV1-2025 --format json > \"$d/sv1.json\"
grep -q '\"draft\": false' \"$d/sv1.json\" || fail 'a completed surveillance is final'
")
set_tests_properties(cli.audit_report_as_of_decision PROPERTIES LABELS trust)
