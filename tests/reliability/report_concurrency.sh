#!/usr/bin/env bash
# Reports under concurrent writers: WRITERS (default 3) processes each add
# PER (default 40) ratings through `assay rate` to one workspace while a
# reader runs `assay report --format json` and `assay export` over and over.
# Every report must succeed (one snapshot: data, log position and export
# digest from one read; issue 13 found 139 of 168 runs failing with "changed
# while the report was being prepared"), and each report's snapshot hash
# must be the SHA-256 of an export of the same state: the hash of the export
# taken once the writers are done equals that of the report taken then.
# usage: report_concurrency.sh ASSAY SOURCE_DIR [WRITERS] [PER]
set -euo pipefail
assay=$1 src=$2 writers=${3:-3} per=${4:-40}
work=$(mktemp -d "${TMPDIR:-/tmp}/assay-report-concurrency.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "report_concurrency: FAIL: $*"; exit 1; }
db="$work/ws.db"
"$assay" --db "$db" import "$src/models/examples/northwind-2026.json" 2>/dev/null || fail "cannot import the example"
id=NW-2026-01
mapfile -t instances < <(sqlite3 "$db" "SELECT record_key FROM records WHERE kind = 'instance' AND is_current = 1 LIMIT 4")
assessor=$(sqlite3 "$db" "SELECT record_key FROM records WHERE kind = 'person' AND is_current = 1 AND
  (data LIKE '%\"assessor\"%' OR data LIKE '%lead-assessor%') LIMIT 1")
[ "${#instances[@]}" -gt 0 ] && [ -n "$assessor" ] || fail "the example has no instance or assessor"

writer() {  # writer W: PER ratings of PA1.1 on the instances, alternating values
  local w=$1 n values=(N P L F)
  for n in $(seq 1 "$per"); do
    "$assay" --db "$db" rate -a "$id" -i "${instances[$(( (n + w) % ${#instances[@]} ))]}" -x PA1.1 \
      -v "${values[$(( (n + w) % 4 ))]}" -s "$assessor" >/dev/null 2>>"$work/writer-errors" ||
      echo "writer $w rating $n: exit $?" >>"$work/writer-errors"
  done
}
pids=()
for w in $(seq 1 "$writers"); do writer "$w" & pids+=($!); done
alive() { for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
runs=0
while alive; do
  runs=$((runs + 1))
  "$assay" --db "$db" report "$id" --format json >"$work/report.$runs.json" 2>"$work/report.err" ||
    fail "report $runs: exit $?: $(cat "$work/report.err")"
  "$assay" --db "$db" export "$id" >"$work/export.$runs.json" 2>"$work/export.err" ||
    fail "export $runs: exit $?: $(cat "$work/export.err")"
done
for p in "${pids[@]}"; do wait "$p"; done
grep -q 'exit' "$work/writer-errors" 2>/dev/null && fail "writers failed: $(head -3 "$work/writer-errors")"
"$assay" --db "$db" report "$id" --format json >"$work/final.json" || fail "final report"
"$assay" --db "$db" export "$id" >"$work/final-export.json" || fail "final export"
want=$(sha256sum <"$work/final-export.json" | cut -d' ' -f1)
got=$(sqlite3 :memory: "SELECT json_extract(readfile('$work/final.json'), '\$.manifest.snapshot_sha256')")
[ "$got" = "$want" ] || fail "final report's snapshot hash $got is not the export's $want"
# Every report taken during the writes carries a well-formed snapshot hash,
# and two reports at the same log position carry the same hash (the data and
# the position come from one read).
for r in $(seq 1 "$runs"); do
  read -r seq h < <(sqlite3 -separator ' ' :memory: "SELECT json_extract(readfile('$work/report.$r.json'), '\$.manifest.log_seq'),
                                   json_extract(readfile('$work/report.$r.json'), '\$.manifest.snapshot_sha256')")
  [[ "$h" =~ ^[0-9a-f]{64}$ ]] || fail "report $r has no snapshot hash"
  echo "$seq $h" >>"$work/positions"
done
[ "$(sort -u "$work/positions" | cut -d' ' -f1 | uniq -d | wc -l)" = 0 ] ||
  fail "reports at the same log position carry different snapshot hashes: $(sort -u "$work/positions" | head -4)"
"$assay" --db "$db" log verify >/dev/null 2>&1 || fail "log verify"
echo "report_concurrency: $writers writers x $per ratings; $runs reports and exports during the writes, all succeeded; the final report's snapshot hash is its export's"
