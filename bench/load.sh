#!/usr/bin/env bash
# Load through assay serve's browser API (issue 21, item 6): for each backend
# (an SQLite file, a PostgreSQL database) and each number of concurrent
# clients, a fresh workspace, `assay serve` over it (one or more server
# processes), and assay_load rating through PUT /api/assessments/ID/ratings
# as the web page does. Prints one line per run: throughput, p50 and p99
# latency, errors (any error fails the script), and whether the log verifies
# with one event per rating (checked again with `assay log verify` after the
# servers stopped). Timings depend on the machine; nothing asserts them.
#
# usage: bench/load.sh [--assay BIN] [--load BIN] [--clients "1 10 50"]
#                      [--servers "1"] [--ratings 2000] [--backends "sqlite postgres"]
#                      [--pg URI] [--work DIR]
#   --work:    where the workspaces and server output go (kept); without it
#              a temporary directory, removed at the end (kept on a failure)
#   --ratings: ratings per run in all, split evenly over the clients
#   --servers: server processes over one workspace, the clients spread over
#              them (a list: each run once per entry)
#   --pg:      a PostgreSQL database to use (each run in a new schema of it);
#              without it a throwaway cluster is started (scripts/pg.sh, with
#              ASSAY_PG_DURABLE=1: every commit flushed, as on a real server)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
assay=$root/build/cli/assay
load=$root/build/bench/assay_load
clients="1 10 50"
servers="1"
ratings=2000
backends="sqlite postgres"
pg=""
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --assay) assay=$2; shift 2 ;;
    --load) load=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --servers) servers=$2; shift 2 ;;
    --ratings) ratings=$2; shift 2 ;;
    --backends) backends=$2; shift 2 ;;
    --pg) pg=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "usage: bench/load.sh [--assay BIN] [--load BIN] [--clients LIST] [--servers LIST] [--ratings N]" \
         "[--backends LIST] [--pg URI] [--work DIR]" >&2; exit 2 ;;
  esac
done
for bin in "$assay" "$load"; do
  [ -x "$bin" ] || { echo "load.sh: $bin not built (cmake -DASSAY_BUILD_BENCHMARKS=ON; ninja assay assay_load)" >&2; exit 2; }
done
own_work=""
if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/assay-load.XXXXXX")
  own_work=$work
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
own_pg=""
pids=()
cleanup() {
  local rc=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$own_pg" ] && bash "$root/scripts/pg.sh" stop "$own_pg"
  if [ -n "$own_work" ]; then
    if [ "$rc" = 0 ]; then rm -rf "$own_work"; else echo "load.sh: kept $own_work" >&2; fi
  fi
  return 0
}
trap cleanup EXIT

if [[ " $backends " == *" postgres "* ]] && [ -z "$pg" ]; then
  # In a directory of its own under /tmp (run as root, the server runs as
  # nobody, who must reach it).
  pg=$(ASSAY_PG_REQUIRED=1 ASSAY_PG_DURABLE=1 bash "$root/scripts/pg.sh" start)
  own_pg=$pg
fi

# Sets ws to a new, empty workspace: a file, or a schema of the database.
n=0
fresh() {
  n=$((n + 1))
  if [ "$1" = sqlite ]; then
    ws=$work/run$n.db
    return
  fi
  psql -X -q -v ON_ERROR_STOP=1 "$pg" -c "CREATE SCHEMA load_$$_$n" >/dev/null
  case "$pg" in *\?*) ws="$pg&" ;; *) ws="$pg?" ;; esac
  ws+="options=-csearch_path%3Dload_$$_$n"
}

# Starts `assay serve` over $1; sets url to the URL it prints.
serve() {
  local out
  out=$(mktemp "$work/serve.XXXXXX")
  ASSAY_ACTOR=load "$assay" --db "$1" serve --port 0 >"$out" 2>>"$work/serve.err" &
  pids+=($!)
  for _ in $(seq 1 200); do
    if grep -q '?token=' "$out"; then url=$(grep -o 'http://[^ ]*' "$out" | head -1); return; fi
    sleep 0.05
  done
  echo "load.sh: assay serve did not start; see $work/serve.err" >&2
  exit 1
}

status=0
for backend in $backends; do
  for k in $servers; do
    for c in $clients; do
      fresh "$backend"
      # One server after the other (the first creates the workspace); the
      # driver makes the assessment through the first (--setup), then rates.
      urls=()
      for _ in $(seq 1 "$k"); do serve "$ws"; urls+=(--url "$url"); done
      printf '%-9s ' "$backend"
      "$load" "${urls[@]}" --setup --clients "$c" --ratings "$ratings" || status=1
      for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
      pids=()
      "$assay" --db "$ws" log verify >/dev/null || { echo "load.sh: $ws: the log does not verify" >&2; status=1; }
    done
  done
done
exit $status
