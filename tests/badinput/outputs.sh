#!/usr/bin/env bash
# The bad-input corpus, output side (issue 14): what assay writes and shows
# when the place it writes to, the workspace file or the text it prints is
# hostile. Each case states the command, the exit code and the message.
#  - file modes: outputs follow the umask, and are 0600 when the workspace is;
#  - --force replaces regular files only (FIFO, symbolic link, directory refused);
#  - an interrupted write leaves no temporary file;
#  - `assay backup` holds every committed write (a `cp` of a live workspace
#    does not) and verifies; it refuses an existing DEST without --force;
#  - an archived read-only workspace with a pending -wal is refused, never
#    shown stale;
#  - an actor that is not UTF-8 or holds a control character is refused;
#  - user text shown on a terminal has its control, bidirectional and
#    zero-width characters escaped; CSV cells holding any separator are quoted.
# usage: outputs.sh ASSAY SOURCE_DIR
set -uo pipefail
assay=$1
src=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/assay-outputs.XXXXXX")
chmod 755 "$work"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export ASSAY_ACTOR=outputs
failures=0 checks=0
fail() { echo "outputs: FAIL: $*"; failures=$((failures + 1)); }
ws="$work/ws.db"
a() { "$assay" --db "$ws" "$@"; }
mode() { stat -c %a "$1"; }

# expect CODE REGEX CMD...: runs CMD, checks its exit code and that stderr matches REGEX.
expect() {
  local code=$1 regex=$2
  shift 2
  checks=$((checks + 1))
  "$@" >"$work/out" 2>"$work/err"
  local got=$?
  [ "$got" = "$code" ] || { fail "$*: exit $got, expected $code: $(head -c 300 "$work/err")"; return; }
  [ -z "$regex" ] || grep -Eq -- "$regex" "$work/err" || fail "$*: stderr does not match '$regex': $(head -c 300 "$work/err")"
}

a import "$src/tests/badinput/base.json" 2>/dev/null || { echo "outputs: cannot build the workspace"; exit 1; }
chmod 600 "$ws"

# 1. Modes: owner-only workspace -> owner-only outputs whatever the umask;
#    a group-readable workspace -> the umask decides.
for u in 022 077; do
  checks=$((checks + 1))
  (umask $u && a report --format json --out "$work/r$u.json" && a export A1 -o "$work/e$u.json") 2>/dev/null ||
    fail "report/export under umask $u"
  [ "$(mode "$work/r$u.json")" = 600 ] && [ "$(mode "$work/e$u.json")" = 600 ] ||
    fail "umask $u, workspace 0600: outputs are $(mode "$work/r$u.json")/$(mode "$work/e$u.json"), expected 600"
done
chmod 644 "$ws"
for u in 022:644 077:600 027:640; do
  checks=$((checks + 1))
  (umask "${u%:*}" && a export A1 -o "$work/g${u%:*}.json") 2>/dev/null || fail "export under umask ${u%:*}"
  [ "$(mode "$work/g${u%:*}.json")" = "${u#*:}" ] ||
    fail "umask ${u%:*}, workspace 0644: export is $(mode "$work/g${u%:*}.json"), expected ${u#*:}"
done
chmod 600 "$ws"

# 2. --force replaces regular files only.
mkfifo "$work/fifo"
ln -s "$work/target.txt" "$work/link"
echo precious >"$work/target.txt"
mkdir "$work/dir"
expect 3 "fifo: is a named pipe \(FIFO\); assay writes and replaces regular files only" a export A1 -o "$work/fifo" --force
[ -p "$work/fifo" ] || fail "the FIFO was replaced"
expect 3 "link: is a symbolic link; assay writes and replaces regular files only" a export A1 -o "$work/link" --force
[ -L "$work/link" ] && [ "$(cat "$work/target.txt")" = precious ] || fail "the symbolic link or its target changed"
expect 3 "link: is a symbolic link" a report --format json --out "$work/link" --force
expect 3 "dir: is a directory" a export A1 -o "$work/dir" --force
expect 3 "exists; use --force to overwrite" a export A1 -o "$work/target.txt"
[ "$(cat "$work/target.txt")" = precious ] || fail "an existing file was overwritten without --force"
expect 0 "" a export A1 -o "$work/target.txt" --force
grep -q assay-assessment "$work/target.txt" || fail "--force did not replace a regular file"

# 3. Interrupted writes leave no temporary file, whenever the signal comes.
for delay in 0.01 0.05 0.1 0.2 0.4; do
  checks=$((checks + 1))
  timeout -s INT "$delay" "$assay" --db "$ws" report --out "$work/int.pdf" --force >/dev/null 2>&1
  timeout -s TERM "$delay" "$assay" --db "$ws" backup "$work/int.db" --force >/dev/null 2>&1
  left=$(find "$work" -maxdepth 1 -name '.int.*' | wc -l)
  [ "$left" = 0 ] || fail "an interrupted write after ${delay}s left $left temporary files: $(ls -a "$work")"
done

# 4. backup holds every committed write; cp of a live workspace does not.
#    A second connection stays open (python3's sqlite3), so the newest
#    writes stay in ws.db-wal instead of being checkpointed on close.
fifo="$work/hold"
mkfifo "$fifo"
python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('SELECT 1 FROM events LIMIT 1').fetchall(); open(sys.argv[2]).read()" "$ws" "$fifo" &
holder=$!
exec 9>"$fifo"
sleep 0.3
a rate -a A1 -i RES.1/EU -x PA1.1 -v F -s ada 2>/dev/null || fail "cannot rate while another connection is open"
events=$(sqlite3 "$ws" "SELECT count(*) FROM events")
[ -s "$ws-wal" ] || fail "the test needs a non-empty -wal"
cp "$ws" "$work/cp.db"
cp_events=$(sqlite3 "file:$work/cp.db?immutable=1" "SELECT count(*) FROM events" 2>/dev/null || echo 0)
expect 0 "backup: .*backup\.db: $events events and [0-9]+ records, verified; head event [0-9]+ [0-9a-f]{64}" a backup "$work/backup.db"
[ "$(sqlite3 "$work/backup.db" "SELECT count(*) FROM events")" = "$events" ] || fail "the backup misses events"
[ "$cp_events" -lt "$events" ] || echo "outputs: note: cp happened to hold every event ($cp_events)"
[ "$(mode "$work/backup.db")" = 600 ] || fail "backup mode $(mode "$work/backup.db"), expected 600"
"$assay" --db "$work/backup.db" log verify >/dev/null 2>&1 || fail "the backup does not verify"
expect 3 "backup\.db: exists; use --force to overwrite" a backup "$work/backup.db"
expect 3 "fifo: is a named pipe" a backup "$work/fifo" --force
expect 4 "no workspace" "$assay" --db "$work/none.db" backup "$work/x.db"
[ -e "$work/none.db" ] && fail "backup created a workspace"

# 5. An archived copy (read-only file and directory) with a pending -wal is
#    refused. Root writes anywhere, so the case runs as nobody then.
mkdir "$work/archive"
cp "$ws" "$ws-wal" "$work/archive/"
exec 9>&-
wait $holder
chmod 444 "$work/archive/ws.db" "$work/archive/ws.db-wal"
chmod 555 "$work/archive"
as=()
if [ "$(id -u)" = 0 ]; then as=(setpriv --reuid=65534 --regid=65534 --clear-groups); fi
expect 3 "ws\.db: read-only, and its write-ahead log .*ws\.db-wal \([0-9]+ bytes\) holds committed writes" \
  "${as[@]}" env ASSAY_ACTOR=outputs "$assay" --db "$work/archive/ws.db" profile A1
# Without the -wal, the archive opens (immutable) and shows its state.
chmod 755 "$work/archive"; rm -f "$work/archive/ws.db-wal"; chmod 555 "$work/archive"
expect 0 "" "${as[@]}" env ASSAY_ACTOR=outputs "$assay" --db "$work/archive/ws.db" profile A1
chmod 755 "$work/archive"

# 6. The actor: UTF-8 without hidden characters, else refused and nothing written.
head_before=$(sqlite3 "$ws" "SELECT max(seq) FROM events")
expect 3 "the actor name is not valid UTF-8 \(byte 3\)" env ASSAY_ACTOR=$'ev\xffil' "$assay" --db "$ws" rate -a A1 -i RES.1/EU -x PA1.1 -v L -s ada
expect 3 "the actor name 'ev\\\\x0Ail' contains the control character U\+000A \(line feed\)" env ASSAY_ACTOR=$'ev\nil' "$assay" --db "$ws" rate -a A1 -i RES.1/EU -x PA1.1 -v L -s ada
expect 3 "contains the invisible character U\+202E \(right-to-left override\)" env ASSAY_ACTOR=$'ada\u202e' "$assay" --db "$ws" rate -a A1 -i RES.1/EU -x PA1.1 -v L -s ada
[ "$(sqlite3 "$ws" "SELECT max(seq) FROM events")" = "$head_before" ] || fail "a refused actor wrote events"

# 7. Text shown on a terminal: escapes rewritten, not obeyed. `script` gives
#    assay a terminal; the same output into a pipe stays the data as stored.
a assessment set A1 --title $'Desk\e]0;pwned\a \e[2J\e[1A\e[2K\u202eevil\u200b' 2>/dev/null ||
  a assessment set --title $'Desk\e]0;pwned\a \e[2J\e[1A\e[2K\u202eevil\u200b' 2>/dev/null || fail "cannot set the title"
checks=$((checks + 1))
script -qec "'$assay' --db '$ws' assessment show A1" /dev/null >"$work/tty.txt" 2>&1
if LC_ALL=C grep -q $'\e' "$work/tty.txt"; then fail "ESC reached the terminal: $(cat -v "$work/tty.txt" | head -5)"; fi
grep -Fq 'Desk\x1B]0;pwned\x07 \x1B[2J\x1B[1A\x1B[2K\u202Eevil\u200B' "$work/tty.txt" ||
  fail "the title is not shown escaped on a terminal: $(cat -v "$work/tty.txt" | head -5)"
checks=$((checks + 1))
a assessment show A1 >"$work/pipe.txt" 2>/dev/null
LC_ALL=C grep -q $'\e]0;pwned' "$work/pipe.txt" || fail "output into a pipe was changed: $(cat -v "$work/pipe.txt" | head -3)"
# assay's own colours still reach the terminal (the profile colours a rated
# value), while the title on the same screen is escaped.
checks=$((checks + 1))
script -qec "'$assay' --db '$ws' profile A1" /dev/null >"$work/color.txt" 2>&1
LC_ALL=C grep -q $'\e\\[32mF\e\\[0m' "$work/color.txt" || fail "the profile's colours are gone: $(cat -v "$work/color.txt" | head -8)"
grep -Fq 'Desk\x1B]0;pwned' "$work/color.txt" || fail "the profile title is not escaped: $(cat -v "$work/color.txt" | head -3)"

# 8. CSV: a cell holding any separator is quoted, a formula prefixed.
a instance add 'ok;=cmd|'"'"' /C calc'"'"'!A0' --process RES.1 -a A1 >/dev/null 2>&1 || fail "cannot add the instance"
checks=$((checks + 1))
a profile A1 --format csv --instances >"$work/p.csv" 2>/dev/null
grep -Fq "\"ok;=cmd|' /C calc'!A0\"" "$work/p.csv" || fail "a cell with ';' is not quoted: $(grep -F 'ok;' "$work/p.csv")"
checks=$((checks + 1))
a report --format csv >"$work/r.csv" 2>/dev/null
if grep -Eq "(^|,)ok;=" "$work/r.csv"; then fail "report CSV: a cell with ';' is not quoted"; fi

if [ $failures -gt 0 ]; then echo "outputs: $failures of $checks checks failed"; exit 1; fi
echo "outputs: $checks checks passed (modes, --force, interrupted writes, backup, read-only WAL, actor, terminal escaping, CSV)"
