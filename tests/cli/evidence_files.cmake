# Evidence files kept in the workspace: attached with --keep, written back
# with their SHA-256 checked, shown in the register, counted by log verify;
# bad input writes nothing; a kept file changed outside assay is found.
set(NW "${PROJECT_SOURCE_DIR}/models/examples/northwind-2026.json")
add_test(NAME cli.evidence_files_kept COMMAND bash -c "
set -euo pipefail
fail() { echo \"FAIL: $*\"; exit 1; }
command -v sqlite3 >/dev/null || { echo 'sqlite3 not installed (scripts/setup.sh --test)'; exit 1; }
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
cd \"$dir\"
w() { \"$a\" --db w.db \"$@\"; }
# expect CODE CMD...: runs CMD, which must exit with CODE
expect() { local want=$1; shift; set +e; \"$@\" >out.txt 2>err.txt; local rc=$?; set -e;
  [ $rc = $want ] || fail \"$* exited $rc, not $want: $(cat out.txt err.txt)\"; }
head_of() { w log verify | sed -n 's/.*head event \\([0-9]*\\) .*/\\1/p'; }
w import '${NW}' 2>/dev/null
printf 'minutes of the change advisory board\\n' > cab.txt
w evidence attach E01 cab.txt --keep 2>err.txt || fail \"attach: $(cat err.txt)\"
grep -x 'evidence E01: cab.txt attached, SHA-256 [0-9a-f]\\{64\\} (37 bytes), kept in the workspace' err.txt >/dev/null \\
  || fail \"attach said: $(cat err.txt)\"
w evidence show E01 > show.txt
grep 'file .*kept in the workspace (37 bytes; assay evidence file E01 -o FILE)' show.txt >/dev/null || fail \"show: $(cat show.txt)\"
w evidence list --format json > list.json
python3 -c 'import json,sys; e={x[\"id\"]: x for x in json.load(open(\"list.json\"))[\"evidence\"]}; sys.exit(0 if e[\"E01\"][\"kept\"] and not e[\"E02\"][\"kept\"] else 1)' \\
  || fail 'kept flags in the JSON list'
w evidence file E01 -o back.txt 2>err.txt
cmp cab.txt back.txt || fail 'the file written back differs'
grep 'SHA-256 [0-9a-f]\\{64\\} (checked)' err.txt >/dev/null || fail \"file said: $(cat err.txt)\"
expect 3 w evidence file E01 -o back.txt
grep 'exists' err.txt >/dev/null || fail \"no --force: $(cat err.txt)\"
w log verify | grep -x 'files: 1 kept evidence file verified against its SHA-256' >/dev/null || fail 'log verify files'

# Without --keep only the SHA-256 is recorded.
printf 'x' > one.txt
w evidence attach E02 one.txt 2>err.txt
grep 'not kept (its SHA-256 only)' err.txt >/dev/null || fail \"attach without keep: $(cat err.txt)\"
expect 4 w evidence file E02 -o o.txt
grep 'is not kept in the workspace: only its SHA-256 is recorded' err.txt >/dev/null || fail \"$(cat err.txt)\"
[ ! -e o.txt ] || fail 'wrote a file for one not kept'

# Bad input: nothing written.
before=$(head_of)
expect 4 w evidence attach E0l cab.txt --keep
grep \"E01\" err.txt >/dev/null || fail \"no nearest ID: $(cat err.txt)\"
: > empty.txt
expect 3 w evidence attach E01 empty.txt --keep
expect 4 w evidence attach E01 missing.txt --keep
truncate -s 33554433 big.bin
expect 3 w evidence attach E01 big.bin --keep
grep 'more than the 32 MiB a workspace keeps' err.txt >/dev/null || fail \"big: $(cat err.txt)\"
[ \"$(head_of)\" = \"$before\" ] || fail 'a refused attachment wrote to the log'

# A new item with its file kept at once; the same content is kept once.
w evidence add E99 --file cab.txt --keep -d 'CAB minutes, March' 2>err.txt
w evidence file E99 -o e99.txt 2>/dev/null && cmp cab.txt e99.txt || fail 'E99'
[ \"$(sqlite3 w.db 'SELECT count(*) FROM files')\" = 1 ] || fail 'the same content kept twice'

# Changed outside assay.
sqlite3 w.db \"UPDATE files SET content = 'bWludXRlcw==', size = 7\"
expect 7 w log verify
grep 'kept file row' err.txt >/dev/null || fail \"log verify: $(cat err.txt)\"
expect 7 w evidence file E01 -o again.txt
grep 'no longer has that SHA-256' err.txt >/dev/null || fail \"$(cat err.txt)\"
[ ! -e again.txt ] || fail 'wrote a changed file'
echo ok
")
