#!/usr/bin/env bash
# Crash consistency: `assay import` of a large CSV (ROWS ratings, default
# 100,000) is killed with SIGKILL at KILLS (default 20) moments drawn from a
# seeded random generator over the time a complete import takes (runs that
# finish before their kill are checked too but not counted). After each kill:
#  - PRAGMA integrity_check is "ok";
#  - `assay log verify` exits 0;
#  - the import is wholly present or wholly absent: the number of ratings and
#    of events is either that of the workspace before the import or that of a
#    complete import, nothing in between.
# Finally the file is imported again into the last killed workspace: it must
# succeed and give exactly the complete import's counts, and the log verifies.
# usage: crash_import.sh ASSAY SOURCE_DIR [KILLS] [ROWS] [SEED]
set -euo pipefail
assay=$1 src=$2 kills=${3:-20} rows=${4:-100000} seed=${5:-20261124}
work=$(mktemp -d "${TMPDIR:-/tmp}/assay-crash.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASSAY_ACTOR=crash
fail() { echo "crash_import: FAIL: $*"; exit 1; }

# The skeleton: assessment A1 with 80 instances of RES.1 and 20 assessors.
{
  echo '{"format": "assay-assessment/1",'
  echo ' "assessment": {"id": "A1", "title": "Crash test", "model": {"id": "itsm-20000"}, "status": "collecting"},'
  echo ' "scope": [{"process": "RES.1", "target_level": 5}],'
  printf ' "instances": ['
  for i in $(seq 1 80); do printf '%s{"id": "RES.1/I%02d", "process": "RES.1"}' "$([ "$i" = 1 ] || echo ,)" "$i"; done
  echo '],'
  printf ' "people": ['
  for p in $(seq 1 20); do printf '%s{"id": "as%02d", "name": "Assessor %d", "roles": ["assessor"]}' "$([ "$p" = 1 ] || echo ,)" "$p" "$p"; done
  echo ']}'
} >"$work/skeleton.json"
"$assay" --db "$work/base.db" import "$work/skeleton.json" 2>/dev/null || fail "cannot import the skeleton"

# The items of RES.1 and of the measurement framework, from the bundled packs.
sqlite3 :memory: "
  SELECT o.value->>'id' FROM json_each(readfile('$src/models/itsm-20000.json'), '\$.processes') p,
         json_each(p.value->'outcomes') o WHERE p.value->>'id' = 'RES.1'
  UNION ALL SELECT b.value->>'id' FROM json_each(readfile('$src/models/itsm-20000.json'), '\$.processes') p,
         json_each(p.value->'base_practices') b WHERE p.value->>'id' = 'RES.1'
  UNION ALL SELECT a.value->>'id' FROM json_each(readfile('$src/models/mf-33020.json'), '\$.attributes') a
  UNION ALL SELECT g.value->>'id' FROM json_each(readfile('$src/models/mf-33020.json'), '\$.generic_practices') g" \
  >"$work/items"
[ "$(wc -l <"$work/items")" -ge 60 ] || fail "found only $(wc -l <"$work/items") items"

# ROWS ratings: every (instance, assessor, item) at most once.
awk -v rows="$rows" 'BEGIN { split("N P L F 42% 87.5%", v, " "); print "instance,item,value,assessor,weakness" }
  { items[n++] = $0 }
  END {
    k = 0
    for (i = 1; i <= 80 && k < rows; i++)
      for (p = 1; p <= 20 && k < rows; p++)
        for (j = 0; j < n && k < rows; j++) {
          printf "RES.1/I%02d,%s,%s,as%02d,row %d\n", i, items[j], v[(k % 6) + 1], p, k
          k++
        }
    if (k < rows) exit 1
  }' "$work/items" >"$work/big.csv" || fail "cannot generate $rows distinct ratings"

counts() {  # ratings events
  sqlite3 "$1" "SELECT (SELECT count(*) FROM ratings) || ' ' || (SELECT count(*) FROM events)"
}
base_counts=$(counts "$work/base.db")

# One complete import: its counts and its duration (the window for the kills).
cp "$work/base.db" "$work/full.db"
t0=$(date +%s%N)
"$assay" --db "$work/full.db" import "$work/big.csv" 2>"$work/full.err" || { tail -3 "$work/full.err"; fail "the complete import failed"; }
t1=$(date +%s%N)
full_ms=$(( (t1 - t0) / 1000000 ))
full_counts=$(counts "$work/full.db")
[ "${full_counts%% *}" = "$rows" ] || fail "the complete import holds ${full_counts%% *} ratings, expected $rows"
echo "crash_import: a complete import of $rows ratings takes ${full_ms} ms; before: [$base_counts] after: [$full_counts]"

RANDOM=$seed
present=0 absent=0 finished=0 k=0 attempts=0
while [ $k -lt "$kills" ]; do
  attempts=$((attempts + 1))
  [ $attempts -le $((kills * 3)) ] || fail "only $k of $attempts runs were killed before they finished"
  db="$work/ws.db"
  rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
  cp "$work/base.db" "$db"
  # A moment within the complete import's time.
  delay_ms=$(( (RANDOM * 32768 + RANDOM) % (full_ms + 1) ))
  "$assay" --db "$db" import "$work/big.csv" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  kill -KILL "$pid" 2>/dev/null || true
  if wait "$pid" 2>/dev/null; then
    # It finished first (the machine was faster than the timed run): check
    # the workspace all the same, but it does not count as a kill.
    # Later moments are drawn within this shorter window.
    finished=$((finished + 1)); what="finished before the kill at ${delay_ms} ms"
    full_ms=$delay_ms
  else
    k=$((k + 1)); what="kill $k at ${delay_ms} ms"
  fi

  ic=$(sqlite3 "$db" "PRAGMA integrity_check" 2>&1)
  [ "$ic" = ok ] || fail "$what: integrity_check: $ic"
  "$assay" --db "$db" log verify >"$work/verify.out" 2>&1 || fail "$what: log verify: $(cat "$work/verify.out")"
  c=$(counts "$db")
  if [ "$c" = "$base_counts" ]; then
    state=absent; [[ $what == kill* ]] && absent=$((absent + 1))
  elif [ "$c" = "$full_counts" ]; then
    state=present; [[ $what == kill* ]] && present=$((present + 1))
  else
    fail "$what: partial import: [$c], expected [$base_counts] or [$full_counts]"
  fi
  echo "crash_import: $what: integrity ok, log verifies, import wholly $state"
done

# The last killed workspace takes the import again.
"$assay" --db "$db" import "$work/big.csv" 2>"$work/re.err" || { tail -3 "$work/re.err"; fail "re-import failed"; }
c=$(counts "$db")
[ "$c" = "$full_counts" ] || fail "after the re-import: [$c], expected [$full_counts]"
"$assay" --db "$db" log verify >/dev/null || fail "log verify after the re-import"
echo "crash_import: $kills kills survived ($absent wholly absent, $present wholly present; $finished more runs finished before their kill); re-import ok"
