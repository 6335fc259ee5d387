# Schema version 9 moves the certification-audit records into audit_records.
# tests/fixtures/workspaces/v8-audit.db is a workspace that assay wrote at
# schema version 8 (its audit rows in records; v8-audit.sh), and
# v8-audit/ holds what that assay printed for it: the first command of
# this assay migrates it, and the log (the same events, the same head) and
# the audit reads print the same; a copy to PostgreSQL and back too.
set(AUDIT_V8 "${CMAKE_CURRENT_SOURCE_DIR}/fixtures/workspaces")
set(AUDIT_V8_CHECK "
f='${AUDIT_V8}'
fail() { echo \"FAIL: $*\"; exit 1; }
same() {  # same DB: the outputs of v8-audit/
  \"$a\" --db \"$1\" log verify > \"$d/verify\" 2>&1 || fail \"log verify: $(cat \"$d/verify\")\"
  \"$a\" --db \"$1\" log > \"$d/log\"
  \"$a\" --db \"$1\" audit export ACME > \"$d/export.json\"
  \"$a\" --db \"$1\" audit certificate list ACME > \"$d/certs\"
  \"$a\" --db \"$1\" audit nc list ACME --today 2027-05-10 > \"$d/nclist\"
  for x in verify log export.json certs nclist; do
    diff \"$f/v8-audit/$x\" \"$d/$x\" || fail \"$x differs on $1\"
  done
}
")

add_test(NAME cli.audit_v8_workspace_migrates COMMAND bash -c "
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT
a='$<TARGET_FILE:assay>'
${AUDIT_V8_CHECK}
cp \"$f/v8-audit.db\" \"$d/w.db\"
q() { sqlite3 \"$d/w.db\" \"$1\"; }
[ \"$(q 'PRAGMA user_version')\" = 8 ] || fail 'the fixture is not at schema version 8'
rows=$(q \"SELECT group_concat(row_id) FROM (SELECT row_id FROM records WHERE substr(assessment, 1, 7) = ' audit:' ORDER BY row_id)\")
events=$(q 'SELECT group_concat(seq || hash) FROM (SELECT seq, hash FROM events ORDER BY seq)')
same \"$d/w.db\"
[ \"$(q 'PRAGMA user_version')\" = 9 ] || fail 'not migrated'
[ \"$(q 'SELECT count(*) FROM records')\" = 0 ] || fail 'audit rows left in records'
[ \"$(q 'SELECT group_concat(row_id) FROM (SELECT row_id FROM audit_records ORDER BY row_id)')\" = \"$rows\" ] || fail 'row IDs changed'
[ \"$(q 'SELECT group_concat(seq || hash) FROM (SELECT seq, hash FROM events ORDER BY seq)')\" = \"$events\" ] || fail 'the log changed'
[ \"$(q \"SELECT count(*) FROM events WHERE assessment = ' audit:ACME'\")\" = 23 ] || fail 'events lost their subject'
# The next write continues the log and the one sequence of row IDs.
\"$a\" --db \"$d/w.db\" audit certificate status C-1 active --date 2027-06-01 --reason 'surveillance held' 2>/dev/null
[ \"$(q 'SELECT max(row_id) FROM audit_records')\" = 25 ] || fail \"row $(q 'SELECT max(row_id) FROM audit_records')\"
\"$a\" --db \"$d/w.db\" log verify | grep '^ok: 25 events and 25 records verified' >/dev/null || fail 'log verify after a write'
")

add_test(NAME cli.audit_v8_workspace_copy_postgres COMMAND bash -c "
test -f '${ASSAY_PG_DIR}/uri' || { echo 'no PostgreSQL server (scripts/pg.sh): skipped'; exit 77; }
set -euo pipefail
d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT
a='$<TARGET_FILE:assay>'
${AUDIT_V8_CHECK}
base=$(cat '${ASSAY_PG_DIR}/uri')
schema=cli_audit_v9_$$
psql -X -q -v ON_ERROR_STOP=1 \"$base\" -c \"CREATE SCHEMA $schema\"
uri=\"$base&options=-csearch_path%3D$schema\"
cp \"$f/v8-audit.db\" \"$d/w.db\"
\"$a\" workspace copy \"$d/w.db\" \"$uri\" >/dev/null
same \"$uri\"
[ \"$(psql -X -At \"$uri\" -c 'SELECT count(*) FROM audit_records')\" = 24 ] || fail 'audit_records on the server'
[ \"$(psql -X -At \"$uri\" -c 'SELECT count(*) FROM records')\" = 0 ] || fail 'records on the server'
\"$a\" workspace copy \"$uri\" \"$d/back.db\" >/dev/null
same \"$d/back.db\"
")
set_tests_properties(cli.audit_v8_workspace_copy_postgres PROPERTIES FIXTURES_REQUIRED pg SKIP_RETURN_CODE 77 LABELS postgres)
