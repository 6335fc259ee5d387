# assay workspace copy: SQLite -> PostgreSQL -> SQLite on the throwaway
# cluster of the pg fixture (tests/CMakeLists.txt), and its failures, which
# leave nothing written.
set(NW "${PROJECT_SOURCE_DIR}/models/examples/northwind-2026.json")
add_test(NAME cli.workspace_copy_postgres COMMAND bash -c "
test -f '${ASSAY_PG_DIR}/uri' || { echo 'no PostgreSQL server (scripts/pg.sh): skipped'; exit 77; }
set -e
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
e='${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh'
cd \"$dir\"
base=$(cat '${ASSAY_PG_DIR}/uri')
schema=cli_copy_$$
psql -X -q -v ON_ERROR_STOP=1 \"$base\" -c \"CREATE SCHEMA $schema\"
uri=\"$base&options=-csearch_path%3D$schema\"
\"$a\" --db w.db import '${NW}' >/dev/null 2>&1
\"$a\" --db w.db export > w.json
bash \"$e\" 0 '^copied w.db to .*: [0-9]+ events, [0-9]+ records, [0-9]+ ratings, 0 keys, 0 seals$' '' -- \"$a\" workspace copy w.db \"$uri\"
\"$a\" --db \"$uri\" log verify | grep -q '^ok: '
bash \"$e\" 0 '^verified: head event [0-9]+ [0-9a-f]{64}$' '' -- \"$a\" workspace copy \"$uri\" back.db
\"$a\" --db \"$uri\" export > server.json
\"$a\" --db back.db export > back.json
cmp w.json server.json
cmp w.json back.json
head=$(\"$a\" --db \"$uri\" log verify)
[ \"$head\" = \"$(\"$a\" --db back.db log verify)\" ]
# Into a database that holds a workspace: refused, the database unchanged.
bash \"$e\" 3 '' 'not empty; a workspace is copied into a new one' -- \"$a\" workspace copy w.db \"$uri\"
[ \"$head\" = \"$(\"$a\" --db \"$uri\" log verify)\" ]
# Onto an existing file: refused, the file unchanged.
cp back.db keep.db
bash \"$e\" 3 '' 'back.db: exists; a workspace is copied into a new one' -- \"$a\" workspace copy \"$uri\" back.db
cmp back.db keep.db
# A server that cannot be reached, either side: exit 6, no file left.
gone=\"postgresql://assay@/assay?host=$dir/no-server\"
bash \"$e\" 6 '' 'no-server' -- \"$a\" workspace copy \"$gone\" new.db
[ ! -e new.db ]
bash \"$e\" 6 '' 'no-server' -- \"$a\" workspace copy w.db \"$gone\"
bash \"$e\" 4 '' 'missing.db' -- \"$a\" workspace copy missing.db new.db
[ ! -e new.db ] && [ ! -e missing.db ]
")
set_tests_properties(cli.workspace_copy_postgres PROPERTIES FIXTURES_REQUIRED pg SKIP_RETURN_CODE 77 LABELS postgres)

# docs/DEPLOY.md's backup: pg_dump of a PostgreSQL workspace, restored into
# a new database, verifies with assay log verify (the same head) and exports
# the same bytes.
add_test(NAME cli.pg_dump_restore_verifies COMMAND bash -c "
test -f '${ASSAY_PG_DIR}/uri' || { echo 'no PostgreSQL server (scripts/pg.sh): skipped'; exit 77; }
set -e
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
cd \"$dir\"
host='${ASSAY_PG_DIR}'
db=dump_$$
rdb=\"$db\"_restored
createdb -h \"$host\" -U assay \"$db\"
uri=\"postgresql://assay@/$db?host=$host\"
\"$a\" --db \"$uri\" import '${NW}' >/dev/null 2>&1
pg_dump --format=custom --file=assay.dump \"$uri\"
createdb -h \"$host\" -U assay --owner assay \"$rdb\"
pg_restore --no-owner --dbname=\"postgresql://assay@/$rdb?host=$host\" assay.dump
head=$(\"$a\" --db \"$uri\" log verify)
[ \"$head\" = \"$(\"$a\" --db \"postgresql://assay@/$rdb?host=$host\" log verify)\" ]
\"$a\" --db \"$uri\" export > a.json
\"$a\" --db \"postgresql://assay@/$rdb?host=$host\" export > b.json
cmp a.json b.json
dropdb -h \"$host\" -U assay \"$db\"
dropdb -h \"$host\" -U assay \"$rdb\"
")
set_tests_properties(cli.pg_dump_restore_verifies PROPERTIES FIXTURES_REQUIRED pg SKIP_RETURN_CODE 77 LABELS postgres)
