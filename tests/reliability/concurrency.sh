#!/usr/bin/env bash
# Concurrency: WRITERS (default 4) processes each add PER (default 500)
# ratings through `assay rate` (one process per rating, writer w as assessor
# asW) to one workspace at the same time, while a reader runs
# `assay profile --format json` over and over. Afterwards:
#  - every rate command exited 0 and all WRITERS x PER ratings are present;
#    with RETRIES > 0 (the sanitizer build, see below) a rate refused with
#    "the workspace is locked by another writer; try again" (exit 6) is run
#    again, up to RETRIES times, as its message says; any other failure, or a
#    refusal after RETRIES retries, fails the test;
#  - `assay log verify` exits 0 and the log holds one event per rating;
#  - every reader output exited 0 and is valid JSON of the profile format;
#  - every reader output is internally consistent: each process's attribute is
#    "rated" exactly when one of its instances has that attribute rated (one
#    snapshot, not two moments);
#  - successive reader outputs never lose a rated instance attribute (no
#    snapshot from before an earlier one), and the last one, taken after the
#    writers finished, shows every attribute the writers rated.
# usage: concurrency.sh ASSAY SOURCE_DIR [WRITERS] [PER] [RETRIES]
# RETRIES defaults to 0: every write must get through within the 10 s busy
# timeout. Under the sanitizers each process runs ~20 times slower while it
# holds the write lock, so on a loaded machine a write can wait longer than
# that; tests/cli/reliability.cmake passes RETRIES there. A refused write must
# have written nothing: the exact event count below proves it.
set -euo pipefail
assay=$1 src=$2 writers=${3:-4} per=${4:-500} retries=${5:-0}
work=$(mktemp -d "${TMPDIR:-/tmp}/assay-concurrency.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "concurrency: FAIL: $*"; exit 1; }
trap 'echo "concurrency: FAIL: line $LINENO exited $?" >&2' ERR
db="$work/ws.db"

# Assessment A1: RES.1 in scope up to level 5, 10 instances, one assessor per writer.
{
  echo '{"format": "assay-assessment/1",'
  echo ' "assessment": {"id": "A1", "title": "Concurrency test", "model": {"id": "itsm-20000"}, "status": "collecting"},'
  echo ' "scope": [{"process": "RES.1", "target_level": 5}],'
  printf ' "instances": ['
  for i in $(seq 1 10); do printf '%s{"id": "RES.1/I%02d", "process": "RES.1"}' "$([ "$i" = 1 ] || echo ,)" "$i"; done
  echo '],'
  printf ' "people": ['
  for p in $(seq 1 "$writers"); do printf '%s{"id": "as%d", "name": "Assessor %d", "roles": ["assessor"]}' "$([ "$p" = 1 ] || echo ,)" "$p" "$p"; done
  echo ']}'
} >"$work/skeleton.json"
ASSAY_ACTOR=setup "$assay" --db "$db" import "$work/skeleton.json" 2>/dev/null || fail "cannot import the skeleton"
base_events=$(sqlite3 "$db" "SELECT count(*) FROM events")

# The items: the 9 attributes first (so the profile changes), then generic
# practices and RES.1's outcomes and base practices.
sqlite3 :memory: "
  SELECT a.value->>'id' FROM json_each(readfile('$src/models/mf-33020.json'), '\$.attributes') a
  UNION ALL SELECT g.value->>'id' FROM json_each(readfile('$src/models/mf-33020.json'), '\$.generic_practices') g
  UNION ALL SELECT o.value->>'id' FROM json_each(readfile('$src/models/itsm-20000.json'), '\$.processes') p,
         json_each(p.value->'outcomes') o WHERE p.value->>'id' = 'RES.1'
  LIMIT $(( (per + 9) / 10 ))" >"$work/items"
mapfile -t items <"$work/items"
[ $(( ${#items[@]} * 10 )) -ge "$per" ] || fail "not enough items for $per ratings per writer"

writer() {  # writer W: PER ratings, each its own `assay rate` process
  local w=$1 n=0 values=(N P L F) rc try
  export ASSAY_ACTOR="writer$w"
  for item in "${items[@]}"; do
    for i in $(seq -w 1 10); do
      [ $n -lt "$per" ] || return 0
      try=0
      while :; do
        rc=0
        "$assay" --db "$db" rate -i "RES.1/I$i" -x "$item" -v "${values[$(( (n + w) % 4 ))]}" -s "as$w" \
          >/dev/null 2>"$work/w$w.err" || rc=$?
        if [ $rc = 6 ] && [ $try -lt "$retries" ] && grep -q 'locked by another writer; try again' "$work/w$w.err"; then
          try=$((try + 1)); echo "writer $w, rating $n" >>"$work/busy-retries"; continue
        fi
        [ $rc = 0 ] || echo "writer $w, rating $n: exit $rc after $try retries: $(cat "$work/w$w.err")" >>"$work/writer-errors"
        break
      done
      n=$((n + 1))
    done
  done
}

pids=()
for w in $(seq 1 "$writers"); do
  writer "$w" &
  pids+=($!)
done
snap=0
alive() { for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
while alive; do
  sleep 0.2  # leave the cores to the writers
  snap=$((snap + 1))
  "$assay" --db "$db" profile --format json >"$work/snap.$snap.json" 2>"$work/snap.err" ||
    fail "reader snapshot $snap: exit $?: $(cat "$work/snap.err")"
done
for p in "${pids[@]}"; do wait "$p"; done
snap=$((snap + 1))
"$assay" --db "$db" profile --format json >"$work/snap.$snap.json" || fail "final snapshot"
[ ! -s "$work/writer-errors" ] || fail "rate commands failed: $(head -5 "$work/writer-errors")"

total=$((writers * per))
ratings=$(sqlite3 "$db" "SELECT count(*) FROM current_ratings")
[ "$ratings" = "$total" ] || fail "$ratings ratings present, expected $total"
events=$(sqlite3 "$db" "SELECT count(*) FROM events")
[ "$events" = $((base_events + total)) ] || fail "$events events, expected $((base_events + total))"
"$assay" --db "$db" log verify >"$work/verify" 2>&1 || fail "log verify: $(cat "$work/verify")"

# Rated instance attributes in a snapshot, and the inconsistencies in it
# (a process attribute whose "rated" state disagrees with its instances').
prev=0
for s in $(seq 1 "$snap"); do
  f="$work/snap.$s.json"
  result=$(sqlite3 :memory: "
    WITH doc(j) AS (SELECT CASE WHEN json_valid(readfile('$f')) THEN readfile('$f') END),
    inst AS (SELECT p.value->>'process' AS process, a.value->>'attribute' AS attr, a.value->>'state' AS state
             FROM doc, json_each(doc.j, '\$.processes') p, json_each(p.value->'instances') i, json_each(i.value->'attributes') a),
    proc AS (SELECT p.value->>'process' AS process, a.value->>'attribute' AS attr, a.value->>'state' AS state
             FROM doc, json_each(doc.j, '\$.processes') p, json_each(p.value->'attributes') a)
    SELECT (SELECT j IS NOT NULL AND j->>'format' = 'assay-profile/1' AND j->>'\$.assessment.id' = 'A1' FROM doc) || ' ' ||
           (SELECT count(*) FROM inst WHERE state = 'rated') || ' ' ||
           (SELECT count(*) FROM proc WHERE (state = 'rated') !=
              EXISTS (SELECT 1 FROM inst WHERE inst.process = proc.process AND inst.attr = proc.attr AND inst.state = 'rated'))")
  read -r valid rated bad <<<"$result"
  [ "$valid" = 1 ] || fail "snapshot $s is not a valid profile: $(head -c 300 "$f")"
  [ "$bad" = 0 ] || fail "snapshot $s: $bad process attributes disagree with their instances"
  [ "$rated" -ge "$prev" ] || fail "snapshot $s shows $rated rated instance attributes, fewer than the $prev before it"
  prev=$rated
done
# Each writer rated the 9 attributes on all 10 instances.
[ "$prev" = 90 ] || fail "the final snapshot shows $prev rated instance attributes, expected 90"
busy=0; [ -f "$work/busy-retries" ] && busy=$(wc -l <"$work/busy-retries")
echo "concurrency: $writers writers x $per ratings = $total present, $events events, log verifies; $snap reader snapshots valid and consistent; $busy writes retried after 'locked; try again' (allowed: $retries per write)"
