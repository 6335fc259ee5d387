#!/usr/bin/env bash
# Storage faults: a read-only workspace file, a directory without write
# permission, a full disk (RLIMIT_FSIZE: writes past the limit fail with
# EFBIG), and a workspace file truncated or overwritten with garbage. Each must
# give one clear error line with its documented exit code, write nothing
# (the workspace file keeps its bytes: SHA-256 before = after), and leave the
# log verifying where the file was intact.
#
# The tests run as root in CI, and root ignores permission bits: the
# permission cases then run assay as the unprivileged user 65534 (nobody) via
# setpriv. The full disk uses `prlimit --fsize` with SIGXFSZ ignored, so the
# write fails with EFBIG instead of killing the process.
# usage: storage_faults.sh ASSAY SOURCE_DIR
set -uo pipefail
assay=$1 src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/assay-faults.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
chmod 755 "$work"
export ASSAY_ACTOR=faults
failures=0 checks=0
fail() { echo "storage_faults: FAIL: $*"; failures=$((failures + 1)); }
sha() { sha256sum <"$1" | cut -c1-64; }

# expect NAME CODE REGEX -- command...: exit code, one stderr line matching REGEX,
# no sanitizer report.
expect() {
  local name=$1 code=$2 regex=$3
  shift 4
  checks=$((checks + 1))
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  [ "$got" = "$code" ] || fail "$name: exit $got, expected $code: $(head -c 300 "$work/err")"
  if grep -Eq 'AddressSanitizer|runtime error:|LeakSanitizer' "$work/err"; then fail "$name: sanitizer report"; fi
  local n
  n=$(grep -cv '^assay: using assessment' "$work/err")
  [ "$n" = 1 ] || fail "$name: $n stderr lines, expected 1: $(head -c 300 "$work/err")"
  grep -Eq -- "$regex" "$work/err" || fail "$name: stderr does not match '$regex': $(head -c 300 "$work/err")"
}

# Runs a command as an unprivileged user when we are root (root ignores
# permission bits); as ourselves otherwise.
if [ "$(id -u)" = 0 ]; then
  if ! setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    echo "storage_faults: FAIL: running as root and setpriv cannot drop to uid 65534"; exit 1
  fi
  as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
  as_user() { "$@"; }
fi

# A workspace with one assessment and a rating.
ws="$work/ws.db"
"$assay" --db "$ws" import "$src/tests/badinput/base.json" 2>/dev/null || { echo "cannot create the workspace"; exit 1; }
"$assay" --db "$ws" rate -a A1 -i RES.1/EU -x PA1.1 -v L -s ada >/dev/null 2>&1 || { echo "cannot rate"; exit 1; }
# Checkpoint the WAL into the main file, so its bytes describe the whole state.
sqlite3 "$ws" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
rm -f "$ws-wal" "$ws-shm"
head_before=$("$assay" --db "$ws" log verify 2>&1)
sum=$(sha "$ws")

# 1. A read-only workspace file (directory writable).
d1="$work/ro-file" && mkdir "$d1" && cp "$ws" "$d1/ws.db"
chmod 755 "$d1"; chmod 444 "$d1/ws.db"
expect "read-only file: rate" 6 "ws\.db: .*(read-only|readonly|permission|cannot)" -- \
  as_user "$assay" --db "$d1/ws.db" rate -a A1 -i RES.1/EU -x PA2.1 -v F -s ada
expect "read-only file: import" 6 "ws\.db: .*(read-only|readonly|permission|cannot)" -- \
  as_user "$assay" --db "$d1/ws.db" import "$src/tests/badinput/json/valid-dry.json"
[ "$(sha "$d1/ws.db")" = "$sum" ] || fail "read-only file: the workspace changed"
# Reading works: read commands open a file they may not write read-only.
for cmd in "profile" "log verify" "export A1"; do
  checks=$((checks + 1))
  # shellcheck disable=SC2086
  if ! as_user "$assay" --db "$d1/ws.db" $cmd >"$work/out" 2>"$work/err"; then
    fail "read-only file: $cmd: exit $?: $(head -c 300 "$work/err")"
  fi
done
[ "$(sha "$d1/ws.db")" = "$sum" ] || fail "read-only file: the workspace changed"

# 2. A directory without write permission (the file itself is writable, but
#    SQLite cannot create its journal or WAL next to it).
d2="$work/ro-dir" && mkdir "$d2" && cp "$ws" "$d2/ws.db"
chmod 666 "$d2/ws.db"; chmod 555 "$d2"
expect "read-only directory: rate" 6 "ws\.db: " -- \
  as_user "$assay" --db "$d2/ws.db" rate -a A1 -i RES.1/EU -x PA2.1 -v F -s ada
[ "$(sha "$d2/ws.db")" = "$sum" ] || fail "read-only directory: the workspace changed"
expect "read-only directory: new workspace" 6 "new\.db: " -- \
  as_user "$assay" --db "$d2/new.db" assessment new X --model itsm-20000
[ ! -e "$d2/new.db" ] || fail "read-only directory: new.db was created"
# Output files: an export into the directory fails and leaves nothing behind.
d2w="$work/user" && mkdir "$d2w" && cp "$ws" "$d2w/ws.db"
[ "$(id -u)" = 0 ] && chown -R 65534:65534 "$d2w"
expect "read-only directory: export -o" 6 "out\.json: " -- \
  as_user "$assay" --db "$d2w/ws.db" export A1 -o "$d2/out.json"
chmod 755 "$d2"
[ "$(ls -A "$d2")" = ws.db ] || fail "read-only directory: files were left behind: $(ls -A "$d2")"

# 3. A full disk: file size limit just above the workspace's size.
d3="$work/full" && mkdir "$d3" && cp "$ws" "$d3/ws.db"
size=$(stat -c %s "$d3/ws.db")
big="$work/big.csv"
{ echo "instance,item,value,assessor,weakness"
  for item in PA1.1 PA2.1 PA2.2 PA3.1 PA3.2 PA4.1 PA4.2 PA5.1 PA5.2; do
    for p in ada cy; do
      for i in RES.1/EU RES.2/EU; do echo "$i,$item,L,$p,$(head -c 20000 /dev/zero | tr '\0' x)"; done
    done
  done; } >"$big"
full() { (trap '' XFSZ; exec prlimit --fsize=$((size + 65536)) "$@"); }
expect "full disk: import" 6 "ws\.db: .*(full|too large|disk|I/O|write)" -- full "$assay" --db "$d3/ws.db" import "$big"
checks=$((checks + 1))
"$assay" --db "$d3/ws.db" log verify >"$work/v" 2>&1 || fail "full disk: log verify afterwards: $(cat "$work/v")"
[ "$("$assay" --db "$d3/ws.db" log verify 2>&1)" = "${head_before//$ws/$d3/ws.db}" ] || fail "full disk: the log head moved: $(cat "$work/v")"
c=$(sqlite3 "$d3/ws.db" "SELECT count(*) FROM ratings")
[ "$c" = 1 ] || fail "full disk: $c ratings after the failed import, expected 1"
# The import works once there is room.
checks=$((checks + 1))
"$assay" --db "$d3/ws.db" import "$big" >/dev/null 2>&1 || fail "full disk: the import fails even without the limit"
# An export onto a full disk leaves no partial output file.
"$assay" --db "$d3/ws.db" export A1 -o "$work/reference.json" 2>/dev/null
expect "full disk: export -o" 6 "out\.json: " -- \
  bash -c "trap '' XFSZ; exec prlimit --fsize=262144 '$assay' --db '$d3/ws.db' export A1 -o '$d3/out.json'"
[ ! -e "$d3/out.json" ] || fail "full disk: a partial out.json was left"
leftover=$(find "$d3" -newer "$work/reference.json" -type f ! -name 'ws.db*')
[ -z "$leftover" ] || fail "full disk: temporary files left: $leftover"

# 4. A truncated workspace: corruption (7), and the file is not touched.
cp "$ws" "$work/trunc.db"
truncate -s $(( $(stat -c %s "$ws") / 2 )) "$work/trunc.db"
t=$(sha "$work/trunc.db")
expect "truncated: log verify" 7 "trunc\.db: database file is damaged" -- "$assay" --db "$work/trunc.db" log verify
expect "truncated: rate" 7 "trunc\.db: database file is damaged" -- \
  "$assay" --db "$work/trunc.db" rate -a A1 -i RES.1/EU -x PA2.1 -v F -s ada
[ "$(sha "$work/trunc.db")" = "$t" ] || fail "truncated: the file changed"

# 5. Overwritten with garbage: not a workspace (3), file untouched.
head -c 65536 /dev/urandom >"$work/garbage.db"
g=$(sha "$work/garbage.db")
expect "garbage: log verify" 3 "garbage\.db: not an assay workspace" -- "$assay" --db "$work/garbage.db" log verify
expect "garbage: rate" 3 "garbage\.db: not an assay workspace" -- \
  "$assay" --db "$work/garbage.db" rate -a A1 -i RES.1/EU -x PA2.1 -v F -s ada
[ "$(sha "$work/garbage.db")" = "$g" ] || fail "garbage: the file changed"

# 6. Garbage after a valid header (the first pages intact, the rest random).
cp "$ws" "$work/tail.db"
dd if=/dev/urandom of="$work/tail.db" bs=4096 seek=2 count=8 conv=notrunc status=none
tl=$(sha "$work/tail.db")
checks=$((checks + 1))
"$assay" --db "$work/tail.db" log verify >"$work/out" 2>"$work/err"
got=$?
[ "$got" = 7 ] || [ "$got" = 3 ] || fail "damaged pages: log verify exit $got, expected 7 (or 3): $(cat "$work/err")"
[ "$(wc -l <"$work/err")" = 1 ] || fail "damaged pages: $(wc -l <"$work/err") stderr lines"
[ "$(sha "$work/tail.db")" = "$tl" ] || fail "damaged pages: the file changed"

# 7. An audit import whose write fails half-way (injected: a trigger fails
#    every insert into audit_records, which come after the rows of the
#    file's people): people and records are one transaction, so no person
#    is registered and nothing else is written; without the fault it works.
d7="$work/audit" && mkdir "$d7" && cp "$ws" "$d7/ws.db"
"$assay" --db "$d7/ws.db" import "$src/models/examples/northwind-2026.json" >/dev/null 2>&1 || fail "audit: cannot import the assessment"
sqlite3 "$d7/ws.db" "CREATE TRIGGER fail_audit_insert BEFORE INSERT ON audit_records BEGIN SELECT RAISE(FAIL, 'disk I/O error (injected)'); END;"
rows() { sqlite3 "$1" "SELECT (SELECT count(*) FROM records), (SELECT count(*) FROM audit_records), (SELECT max(seq) || ' ' || hash FROM events WHERE seq = (SELECT max(seq) FROM events))"; }
r7=$(rows "$d7/ws.db")
expect "audit import, a write fails" 6 "ws\.db: .*injected" -- \
  "$assay" --db "$d7/ws.db" audit import "$src/models/examples/northwind-2024-cycle.json"
[ "$(rows "$d7/ws.db")" = "$r7" ] || fail "audit import, a write fails: rows were written: $(rows "$d7/ws.db") (before: $r7)"
checks=$((checks + 1))
if "$assay" --db "$d7/ws.db" person show maria.santos >/dev/null 2>&1; then fail "audit import, a write fails: a person of the file was registered"; fi
sqlite3 "$d7/ws.db" "DROP TRIGGER fail_audit_insert;"
checks=$((checks + 1))
"$assay" --db "$d7/ws.db" audit import "$src/models/examples/northwind-2024-cycle.json" >/dev/null 2>"$work/err" || fail "audit import without the fault: $(cat "$work/err")"
grep -q '^registered 6 people of the file: ' "$work/err" || fail "audit import without the fault: $(cat "$work/err")"
"$assay" --db "$d7/ws.db" log verify >/dev/null 2>&1 || fail "audit import: log verify"

# 8. The original workspace is as it was.
[ "$(sha "$ws")" = "$sum" ] || fail "the original workspace changed"

if [ $failures -gt 0 ]; then echo "storage_faults: $failures of $checks checks failed"; exit 1; fi
echo "storage_faults: $checks checks passed (read-only file, read-only directory, full disk, truncated, garbage, damaged pages, audit import failing half-way)"
