#!/usr/bin/env bash
# Whole-command benchmarks of assay side by side with the sqlite3 shell
# (issue 7, item 3). Public tools only: bash, /usr/bin/time (peak memory),
# sqlite3, hyperfine when installed (else a loop with date +%s%N). Every time
# is the median of --runs runs (default 5); peak memory is the "Maximum
# resident set size" of one more run under /usr/bin/time -v.
#
# usage: bench/compare.sh [--size tiny|small|full] [--runs N] [--build-dir DIR]
#                         [--assay BIN --gen BIN] [--work DIR] [--keep]
#                         [--import-ratings N] [--assessments N] [--growth "1000 10000 ..."]
#                         [--results FILE] [--plot PNG]
#
#   --size         tiny (seconds; what CI runs), small (100k ratings), full (1M; the
#                  issue's sizes). Default: small. The reports (c) are of 10, 20 and
#                  29 processes and, over a scaled copy of the pack, 300 (tiny: 3, 6, 32).
#   --assay/--gen  use these binaries instead of building a Release tree.
#   --build-dir    where to build (Default: build-compare, CMAKE_BUILD_TYPE=Release).
#   --work         scratch directory (Default: a new one under $TMPDIR, removed unless --keep).
#   --results F    also write every figure as tab-separated lines to F.
#   --plot PNG     draw the growth series with gnuplot (bench/plot.gp) to PNG.
#
# Targets (issue 7): (a) import / sqlite3 .import <= 2.0; (b) all profiles /
# sqlite3 aggregation <= 1.5; (c) 30-process report < 100 ms; (d) --version
# < 10 ms, model check < 20 ms; peak memory < 2x the rows processed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
size=small
runs=5
build_dir=$root/build-compare
assay=
gen=
work=
keep=0
results=
plot=
import_ratings=
assessments=
growth=
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --build-dir) build_dir=$2; shift 2 ;;
    --assay) assay=$2; shift 2 ;;
    --gen) gen=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --results) results=$2; shift 2 ;;
    --plot) plot=$2; shift 2 ;;
    --import-ratings) import_ratings=$2; shift 2 ;;
    --assessments) assessments=$2; shift 2 ;;
    --growth) growth=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

case $size in
  tiny)  : "${import_ratings:=1000}";    : "${assessments:=2}";   : "${growth:=1000 2000}"; portfolio="3 2 20"; report_sizes="3 6 32" ;;
  small) : "${import_ratings:=100000}";  : "${assessments:=10}";  : "${growth:=1000 10000 100000}"; portfolio="30 5 67"; report_sizes="10 20 29 300" ;;
  full)  : "${import_ratings:=1000000}"; : "${assessments:=100}"; : "${growth:=1000 10000 100000 1000000}"; portfolio="30 5 67"; report_sizes="10 20 29 300" ;;
  *) echo "compare.sh: --size must be tiny, small or full" >&2; exit 2 ;;
esac
[ "$runs" -ge 1 ] 2>/dev/null || { echo "compare.sh: --runs must be a positive number" >&2; exit 2; }

for tool in sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "compare.sh: needs $tool (scripts/setup.sh --bench installs it)" >&2; exit 1; }
done

# ---- binaries ---------------------------------------------------------------
if [ -z "$assay" ] || [ -z "$gen" ]; then
  echo "compare.sh: building assay and assay_gen (Release) in $build_dir" >&2
  log=${TMPDIR:-/tmp}/assay-compare-build.log
  cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DASSAY_BUILD_BENCHMARKS=ON -DASSAY_BUILD_TESTS=OFF \
    >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
  cmake --build "$build_dir" -j2 --target assay assay_gen >>"$log" 2>&1 || { tail -40 "$log" >&2; exit 1; }
  assay=$build_dir/cli/assay
  gen=$build_dir/bench/assay_gen
fi
assay=$(cd "$(dirname "$assay")" && pwd)/$(basename "$assay")
gen=$(cd "$(dirname "$gen")" && pwd)/$(basename "$gen")
models=$root/models

if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/assay-compare.XXXXXX")
  [ "$keep" = 1 ] || trap 'rm -rf "$work"' EXIT
else
  mkdir -p "$work"
fi
export ASSAY_ACTOR=bench
# The import refuses files over 64 MiB by default; the 1M-rating CSV is larger.
export ASSAY_IMPORT_MAX_MB=2048

# ---- measuring ----------------------------------------------------------------
# measure NAME PREP CMD: runs PREP (untimed) then CMD, $runs times; sets
# $median_ms (median wall time, ms), $peak_kb (peak RSS of one more run) and
# $cpu_ms (user + system CPU time of that run, ms: on a shared machine wall
# time includes waiting for a CPU, CPU time does not).
median_ms=0
peak_kb=0
cpu_ms=0
have_hyperfine=0
command -v hyperfine >/dev/null 2>&1 && have_hyperfine=1
measure() {
  local name=$1 prep=$2 cmd=$3 i t0 t1
  local times=()
  if [ "$have_hyperfine" = 1 ]; then
    if ! hyperfine --runs "$runs" --prepare "$prep" --export-json "$work/hf.json" --style none "$cmd" >/dev/null 2>&1; then
      echo "compare.sh: $name failed: $cmd" >&2; bash -c "$cmd" >/dev/null || true; exit 1
    fi
    median_ms=$(sed -n 's/.*"median": *\([0-9.e+-]*\).*/\1/p' "$work/hf.json" | head -1 | awk '{printf "%.1f", $1 * 1000}')
  else
    for ((i = 0; i < runs; i++)); do
      bash -c "$prep" >/dev/null 2>&1
      t0=$(date +%s%N)
      if ! bash -c "$cmd" >/dev/null 2>"$work/err"; then
        echo "compare.sh: $name failed: $cmd" >&2; cat "$work/err" >&2; exit 1
      fi
      t1=$(date +%s%N)
      times+=($(( (t1 - t0) / 1000 )))
    done
    median_ms=$(printf '%s\n' "${times[@]}" | sort -n |
      awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.1f", m / 1000}')
  fi
  bash -c "$prep" >/dev/null 2>&1
  /usr/bin/time -v -o "$work/time.txt" bash -c "$cmd" >/dev/null 2>&1 || true
  peak_kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$work/time.txt")
  cpu_ms=$(awk -F': *' '/User time \(seconds\)|System time \(seconds\)/ {t += $2} END {printf "%.0f", t * 1000}' \
    "$work/time.txt")
}

if [ -n "$plot" ] && [ -z "$results" ]; then results=$work/results.tsv; fi
[ -z "$results" ] || : >"$results"
rows=()
# row LABEL ASSAY_MS ASSAY_MIB SQLITE_MS SQLITE_MIB TARGET NOTE
row() {
  local ratio="-"
  if [ "$4" != "-" ] && [ "$2" != "n/a" ]; then ratio=$(awk -v a="$2" -v b="$4" 'BEGIN {printf "%.2f", a / b}'); fi
  rows+=("$1|$2|$3|$4|$5|$ratio|$6|$7")
  [ -z "$results" ] || printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$ratio" "$6" "$7" >>"$results"
}
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
file_mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b / 1048576}'; }

# ---- data -----------------------------------------------------------------------
# The shape of one assessment of about N ratings: "processes instances indicators".
shape() {
  local n=$1 p k
  if [ "$n" -lt 29000 ]; then
    p=$(( (n + 5 * 67 - 1) / (5 * 67) )); [ "$p" -ge 1 ] || p=1; [ "$p" -le 29 ] || p=29
    k=$(( (n + p * 5 - 1) / (p * 5) ))
    echo "$p 5 $k"
  else
    echo "29 $(( (n + 29 * 69 - 1) / (29 * 69) )) 69"
  fi
}
bare_table="CREATE TABLE ratings (assessment TEXT, process TEXT, instance TEXT, item TEXT, value TEXT, assessor TEXT,
  consolidated TEXT, strength TEXT, weakness TEXT, reasons TEXT, evidence TEXT, rated_at TEXT, justification TEXT);"
# Mean rating per assessment, process and instance: N/P/L/F (and the refined
# P-/P+/L-/L+) as 0..3, a percentage by its value.
mean_sql="SELECT assessment, process, instance, avg(CASE
  WHEN substr(value, -1) = '%' THEN CAST(rtrim(value, '%') AS REAL) * 3 / 100
  WHEN substr(value, 1, 1) = 'N' THEN 0 WHEN substr(value, 1, 1) = 'P' THEN 1
  WHEN substr(value, 1, 1) = 'L' THEN 2 ELSE 3 END) FROM ratings GROUP BY assessment, process, instance;"

# make_single N DIR: one assessment of about N ratings: skeleton.json, ratings.csv,
# skeleton.db (the skeleton imported) and count.
make_single() {
  local n=$1 dir=$2 p i k
  read -r p i k <<<"$(shape "$n")"
  mkdir -p "$dir"
  "$gen" --models-dir "$models" --format json --ratings=false --processes "$p" --instances "$i" --indicators "$k" \
    --prefix "S$n" --out "$dir" --quiet
  "$gen" --models-dir "$models" --format csv --processes "$p" --instances "$i" --indicators "$k" \
    --prefix "S$n" --out "$dir" --quiet
  mv "$dir"/*.json "$dir/skeleton.json"
  mv "$dir"/*.csv "$dir/ratings.csv"
  "$assay" --db "$dir/skeleton.db" import "$dir/skeleton.json" 2>/dev/null
  sqlite3 "$dir/skeleton.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  echo $(( $(wc -l <"$dir/ratings.csv") - 1 )) >"$dir/count"
}

# make_portfolio DIR ASSESSMENTS PROCESSES INSTANCES INDICATORS: DIR/w.db holds that
# many generated assessments, DIR/bare.db the same ratings in a bare table;
# sets $ids (assessment IDs, oldest first) and $pn (ratings).
make_portfolio() {
  local dir=$1 na=$2 p=$3 i=$4 k=$5 f
  mkdir -p "$dir"
  "$gen" --models-dir "$models" --format json --ratings=false --assessments "$na" --processes "$p" --instances "$i" \
    --indicators "$k" --prefix "P$na-$k" --out "$dir" --quiet
  "$gen" --models-dir "$models" --format csv --assessments "$na" --processes "$p" --instances "$i" \
    --indicators "$k" --prefix "P$na-$k" --out "$dir" --quiet
  for f in "$dir"/*.json; do "$assay" --db "$dir/w.db" import "$f" 2>/dev/null; done
  for f in "$dir"/*.csv; do "$assay" --db "$dir/w.db" import "$f" 2>/dev/null; done
  sqlite3 "$dir/w.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
  {
    echo "$bare_table"
    for f in "$dir"/*.csv; do echo ".import --csv --skip 1 $f ratings"; done
  } | sqlite3 "$dir/bare.db"
  pn=$(sqlite3 "$dir/bare.db" "SELECT count(*) FROM ratings")
  ids=$(sqlite3 "$dir/w.db" "SELECT record_key FROM records WHERE kind = 'assessment' AND is_current = 1 ORDER BY row_id")
}

# Every profile of a workspace as one command line: `profile --all` when
# this assay has it, else one `profile ID` per assessment.
have_all=0
if "$assay" profile --help 2>/dev/null | grep -q -- '--all'; then have_all=1; fi
profile_cmd() {
  if [ "$have_all" = 1 ]; then
    echo "'$assay' --db '$1' profile --all --format csv"
  else
    echo "for id in $(echo $ids); do '$assay' --db '$1' profile \$id --format csv || exit 1; done"
  fi
}
prof_note="one assay profile --all"
[ "$have_all" = 1 ] || prof_note="one assay profile per assessment"

echo "compare.sh: size $size, $runs runs per figure, work in $work" >&2

# ---- (d) start-up -----------------------------------------------------------------
measure version ":" "'$assay' --version"
v_ms=$median_ms v_kb=$peak_kb v_cpu=$cpu_ms
measure sqlite_version ":" "sqlite3 --version"
row "(d) assay --version vs sqlite3 --version" "$v_ms" "$(mib "$v_kb")" "$median_ms" "$(mib "$peak_kb")" "< 10 ms" \
  "CPU $v_cpu vs $cpu_ms ms"
measure model_check ":" "'$assay' model check '$models/itsm-20000.json'"
row "(d) assay model check itsm-20000" "$median_ms" "$(mib "$peak_kb")" "-" "-" "< 20 ms" \
  "parse, schema, semantic checks; CPU $cpu_ms ms"

# ---- (a) import ------------------------------------------------------------------
imp_dir=$work/import
echo "compare.sh: generating $import_ratings ratings for (a)" >&2
make_single "$import_ratings" "$imp_dir"
n=$(cat "$imp_dir/count")
measure import "cp '$imp_dir/skeleton.db' '$work/imp.db'; rm -f '$work/imp.db-wal' '$work/imp.db-shm'" \
  "'$assay' --db '$work/imp.db' import '$imp_dir/ratings.csv'"
a_ms=$median_ms a_kb=$peak_kb a_cpu=$cpu_ms
measure sqlite_import "rm -f '$work/bare.db'" \
  "sqlite3 '$work/bare.db' \"$bare_table\" '.import --csv --skip 1 $imp_dir/ratings.csv ratings'"
a_sql_ms=$median_ms a_sql_kb=$peak_kb
row "(a) import $n ratings ($(file_mib "$imp_dir/ratings.csv") MiB CSV)" "$a_ms" "$(mib "$a_kb")" "$median_ms" \
  "$(mib "$peak_kb")" "ratio <= 2.0" \
  "$(awk -v n="$n" -v t="$a_ms" 'BEGIN {printf "%.0f ratings/s", n / t * 1000}'); CPU $a_cpu vs $cpu_ms ms"

# ---- (b) every profile ------------------------------------------------------------
prof_dir=$work/portfolio
echo "compare.sh: generating a workspace of $assessments assessments for (b)" >&2
# shellcheck disable=SC2086  # processes instances indicators
make_portfolio "$prof_dir" "$assessments" $portfolio
b_pn=$pn
measure profile ":" "$(profile_cmd "$prof_dir/w.db")"
b_ms=$median_ms b_kb=$peak_kb b_cpu=$cpu_ms
measure sqlite_mean ":" "sqlite3 '$prof_dir/bare.db' \"$mean_sql\""
b_sql_ms=$median_ms b_sql_kb=$peak_kb
row "(b) profile $assessments assessments, $b_pn ratings" "$b_ms" "$(mib "$b_kb")" "$median_ms" "$(mib "$peak_kb")" \
  "ratio <= 1.5" "$prof_note; workspace $(file_mib "$prof_dir/w.db") MiB; CPU $b_cpu vs $cpu_ms ms"
first_id=$(echo "$ids" | head -1)
measure profile_one ":" "'$assay' --db '$prof_dir/w.db' profile $first_id --format csv"
row "(b) profile 1 assessment ($(( b_pn / assessments )) ratings)" "$median_ms" "$(mib "$peak_kb")" "-" "-" \
  "flat memory" "peak of 1 vs all: $(mib "$peak_kb") vs $(mib "$b_kb") MiB; CPU $cpu_ms ms"

# ---- (c) reports ------------------------------------------------------------------
# Above the bundled pack's 29 processes, assay_gen writes a scaled copy of it
# (processes cloned with suffixed IDs; see bench/README.md) and the
# assessment is generated over, imported with and reported from that copy.
if "$assay" report --help >/dev/null 2>&1; then
  for p in $report_sizes; do
    rdir=$work/report-$p
    mkdir -p "$rdir/data"
    scaled=() with_models=""
    if [ "$p" -gt 29 ]; then
      scaled=(--scale-processes "$p" --pack-out "$rdir/models")
      with_models="--models '$rdir/models'"
    fi
    "$gen" --models-dir "$models" "${scaled[@]}" --format json --processes "$p" --instances 10 --prefix "R$p" \
      --out "$rdir/data" --quiet
    [ "$p" -le 29 ] || "$assay" model check "$rdir/models/itsm-20000-p$p.json" >/dev/null
    bash -c "'$assay' $with_models --db '$rdir/w.db' import '$rdir'/data/*.json" 2>/dev/null
    rid=$(sqlite3 "$rdir/w.db" "SELECT record_key FROM records WHERE kind = 'assessment' LIMIT 1")
    # Ratings live in their own table from workspace schema 4 on, in records before.
    rn=$(sqlite3 "$rdir/w.db" "SELECT count(*) FROM ratings" 2>/dev/null ||
      sqlite3 "$rdir/w.db" "SELECT count(*) FROM records WHERE kind = 'rating'")
    measure "report$p" "rm -f '$rdir/r.pdf'" "'$assay' $with_models --db '$rdir/w.db' report $rid --out '$rdir/r.pdf'"
    row "(c) report, $p processes x 10 instances ($rn ratings)" "$median_ms" "$(mib "$peak_kb")" "-" "-" \
      "< 100 ms at 30" "$(file_mib "$rdir/r.pdf") MiB PDF$([ "$p" -le 29 ] || echo ", scaled pack"); CPU $cpu_ms ms"
    if [ "$p" -le 29 ]; then
      measure "summary$p" "rm -f '$rdir/s.pdf'" "'$assay' $with_models --db '$rdir/w.db' report $rid --summary --out '$rdir/s.pdf'"
      row "(c) summary report, $p processes x 10 instances" "$median_ms" "$(mib "$peak_kb")" "-" "-" \
        "< 100 ms CPU at 29" "$(pdfinfo "$rdir/s.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}') pages; CPU $cpu_ms ms"
    fi
  done
else
  row "(c) report" "n/a" "-" "-" "-" "< 100 ms at 30" "n/a (no report command)"
fi

# ---- growth -----------------------------------------------------------------------
# Import: one assessment of N ratings (the CSV grows). Profile: every
# assessment of a workspace of about N ratings: one assessment up to 10,000
# ratings, then N / 10,005 assessments of 29 x 5 x 69 (a portfolio grows by
# assessments; one huge assessment would measure the sensitivity analysis,
# which grows with the square of the instances of a process).
growth_rows=()
for g in $growth; do
  gdir=$work/growth-$g
  if [ "$g" = "$import_ratings" ]; then
    gi_ms=$a_ms gi_kb=$a_kb gs_ms=$a_sql_ms gs_kb=$a_sql_kb
    gn=$(cat "$imp_dir/count") csv=$imp_dir/ratings.csv
  else
    make_single "$g" "$gdir"
    gn=$(cat "$gdir/count") csv=$gdir/ratings.csv
    measure "gimport$g" "cp '$gdir/skeleton.db' '$work/g.db'; rm -f '$work/g.db-wal' '$work/g.db-shm'" \
      "'$assay' --db '$work/g.db' import '$csv'"
    gi_ms=$median_ms gi_kb=$peak_kb
    measure "gsqlite$g" "rm -f '$work/gbare.db'" \
      "sqlite3 '$work/gbare.db' \"$bare_table\" '.import --csv --skip 1 $csv ratings'"
    gs_ms=$median_ms gs_kb=$peak_kb
  fi
  na=$(( (g + 5002) / 10005 ))
  if [ "$na" -ge 90 ] && [ "$assessments" -ge 90 ]; then
    pdb=$prof_dir  # (b)'s workspace
    gp_ms=$b_ms gp_kb=$b_kb gq_ms=$b_sql_ms gq_kb=$b_sql_kb pn=$b_pn
  else
    pdb=$work/gportfolio-$g
    if [ "$na" -le 1 ]; then
      read -r p i k <<<"$(shape "$g")"
      make_portfolio "$pdb" 1 "$p" "$i" "$k"
    else
      make_portfolio "$pdb" "$na" 30 5 69
    fi
    measure "gprofile$g" ":" "$(profile_cmd "$pdb/w.db")"
    gp_ms=$median_ms gp_kb=$peak_kb
    measure "gmean$g" ":" "sqlite3 '$pdb/bare.db' \"$mean_sql\""
    gq_ms=$median_ms gq_kb=$peak_kb
  fi
  growth_rows+=("$gn|$gi_ms|$(mib "$gi_kb")|$gs_ms|$(mib "$gs_kb")|$pn|$gp_ms|$(mib "$gp_kb")|$gq_ms|$(mib "$gq_kb")|$(file_mib "$csv")")
  if [ -n "$results" ]; then
    printf 'growth\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$gn" "$gi_ms" "$(mib "$gi_kb")" "$gs_ms" \
      "$(mib "$gs_kb")" "$pn" "$gp_ms" "$(mib "$gp_kb")" "$gq_ms" "$(mib "$gq_kb")" "$(file_mib "$csv")" >>"$results"
  fi
done

# ---- output -----------------------------------------------------------------------
echo
echo "assay $("$assay" --version | awk '{print $2}') vs sqlite3 $(sqlite3 --version | awk '{print $1}'):" \
  "median of $runs runs, wall ms; peak RSS MiB; $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
echo
printf '| %-58s | %10s | %9s | %10s | %10s | %6s | %-14s | %s\n' "Figure" "assay ms" "assay MiB" "sqlite3 ms" \
  "sqlite MiB" "ratio" "target" "note"
echo "|------------------------------------------------------------|------------|-----------|------------|------------|--------|----------------|------"
for r in "${rows[@]}"; do
  IFS='|' read -r l a am s sm ra t no <<<"$r"
  printf '| %-58s | %10s | %9s | %10s | %10s | %6s | %-14s | %s\n' "$l" "$a" "$am" "$s" "$sm" "$ra" "$t" "$no"
done
echo
echo "Growth. Import: one assessment of N ratings. Profile: every assessment of a workspace of M ratings"
echo "(one assessment up to 10,000 ratings, then assessments of about 10,000 each)."
echo
printf '| %9s | %10s | %7s | %10s | %7s | %6s | %9s | %10s | %7s | %10s | %7s | %6s | %7s |\n' "N" "import ms" "MiB" \
  "sqlite ms" "MiB" "ratio" "M" "profile ms" "MiB" "mean ms" "MiB" "ratio" "CSV MiB"
echo "|-----------|------------|---------|------------|---------|--------|-----------|------------|---------|------------|---------|--------|---------|"
for r in "${growth_rows[@]}"; do
  IFS='|' read -r gn a am s sm m p pm q qm c <<<"$r"
  printf '| %9s | %10s | %7s | %10s | %7s | %6s | %9s | %10s | %7s | %10s | %7s | %6s | %7s |\n' "$gn" "$a" "$am" "$s" \
    "$sm" "$(awk -v a="$a" -v b="$s" 'BEGIN {printf "%.2f", a / b}')" "$m" "$p" "$pm" "$q" "$qm" \
    "$(awk -v a="$p" -v b="$q" 'BEGIN {printf "%.2f", a / b}')" "$c"
done

if [ -n "$plot" ]; then
  if command -v gnuplot >/dev/null 2>&1; then
    gnuplot -e "results='$results'; out='$plot'" "$root/bench/plot.gp"
    echo
    echo "plot: $plot"
  else
    echo "compare.sh: no gnuplot, so no plot (scripts/setup.sh --bench installs it)" >&2
  fi
fi
