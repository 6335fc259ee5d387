#!/usr/bin/env bash
# The bad-input corpus: runs every case of tests/badinput/cases.tsv through the
# assay executable and checks, for each:
#  - the documented exit code (3 invalid input, 8 unsupported, 0 for inputs we
#    accept on purpose: the manifest's note says ACCEPTED);
#  - no crash and no sanitizer report (exit code < 128, no ASan/UBSan text);
#  - nothing on stderr that is a raw control character (ESC, NUL, CR, ...);
#  - on failure: one error line per problem, as many as the manifest says (1
#    for all but a few inputs with several genuine problems, which assay lists
#    all), each starting with the file's path; the first matches the case's
#    regex, which names the location (line:column or JSON pointer); the
#    "N problems" summary that follows agrees with the lines shown;
#  - on failure: an unchanged workspace: the same log head (seq and hash), the
#    same event and record counts, and the same bytes (SHA-256) of the file;
#  - on success: the log verifies; an import added events, a dry run (and an
#    import-noop: a file without rows) left the workspace as it was.
# Commands: import, import-dry, import-noop, import-cp1252 (assessment imports), model-check,
# audit-import, audit-import-dry (audit histories, `assay audit import`),
# key-register (`assay key register FILE`), seal-verify (`assay log verify --seal FILE`),
# merge (`assay merge FILE`), merge-a1 (`assay merge -a A1 FILE`) and merge-twice
# (`assay merge FILE` once, then the case: the same again). The hand-outs of
# the merge cases are made at test time (gen:merge-*) from a copy of the base
# workspace, whose ID they must carry.
# A case whose note starts with "OPEN:" is a known open finding: its line
# states the behaviour we want; while assay behaves otherwise the case is
# listed as open, not failed, but a crash, a sanitizer report or a raw control
# character still fails it, and an open case that passes is reported so that
# its note can be updated.
# usage: run.sh ASSAY_BINARY [--show] [FILTER_REGEX]
#   --show prints each case's stderr (to write or review the regexes).
set -uo pipefail
assay=$1
shift
show=0
if [ "${1:-}" = "--show" ]; then show=1; shift; fi
filter=${1:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/assay-badinput.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASSAY_ACTOR=badinput

# The workspace every case starts from: assessment A1 of base.json.
if ! "$assay" --db "$work/base.db" import "$here/base.json" 2>"$work/base.err"; then
  echo "badinput: cannot build the base workspace:"; cat "$work/base.err"; exit 1
fi

state() {  # log head, counts and bytes of a workspace file
  sqlite3 "$1" "SELECT (SELECT seq || ' ' || hash FROM events ORDER BY seq DESC LIMIT 1) || ' events=' ||
                       (SELECT count(*) FROM events) || ' records=' || (SELECT count(*) FROM records) ||
                       ' audit_records=' || (SELECT count(*) FROM audit_records)"
  sha256sum <"$1" | cut -c1-64
}

fill() {  # fill BYTES CHAR: BYTES copies of CHAR on stdout
  head -c "$1" /dev/zero | tr '\0' "$2"
}

generate() {  # generate NAME: writes the input of a gen: case, echoes its path
  local name=$1 f
  case $name in
    csv-*) f="$work/$name.csv" ;;
    merge-*) f="$work/$name.db"; rm -f "$f"* ;;
    *) f="$work/$name.json" ;;
  esac
  case $name in
    merge-*) make_handout "$name" "$f" >"$work/gen.err" 2>&1 || { cat "$work/gen.err" >&2; return 1; } ;;
  esac
  case $name in
    merge-*) ;;
    csv-50mb-field)
      { printf 'instance,item,value,assessor,weakness\nRES.1/EU,PA1.1,L,ada,'; fill 52428800 a; echo; } >"$f" ;;
    csv-70mb-file)
      { printf 'instance,item,value,assessor,weakness\nRES.1/EU,PA1.1,L,ada,'; fill 73400320 a; echo; } >"$f" ;;
    json-deep-10000)
      { printf '{"format": "assay-assessment/1", "assessment_id": "A1", "ratings": '; fill 10000 '['; fill 10000 ']'; echo '}'; } >"$f" ;;
    json-deep-objects-10000)
      { for _ in $(seq 10000); do printf '{"a":'; done; printf 1; fill 10000 '}'; echo; } >"$f" ;;
    json-50mb-string)
      { printf '{"format": "assay-assessment/1", "assessment_id": "A1", "ratings": [{"instance": "RES.1/EU", "item": "PA1.1", "value": "L", "assessor": "ada", "weakness": "'
        fill 52428800 w; echo '"}]}'; } >"$f" ;;
    json-70mb-file)
      { printf '{"format": "assay-assessment/1", "assessment_id": "A1", "ratings": [{"instance": "RES.1/EU", "item": "PA1.1", "value": "L", "assessor": "ada", "weakness": "'
        fill 73400320 w; echo '"}]}'; } >"$f" ;;
    model-deep-10000)
      { printf '{"format": "assay-model/1", "kind": "pam", "id": "deep", "groups": '; fill 10000 '['; fill 10000 ']'; echo '}'; } >"$f" ;;
    model-50mb-string)
      { printf '{"format": "assay-model/1", "kind": "pam", "id": "big", "title": "'; fill 52428800 t; echo '"}'; } >"$f" ;;
    audit-deep-10000)
      { printf '{"format": "assay-audit/1", "client": {"id": "C1", "name": "C", "scope": "S"}, "audits": '
        fill 10000 '['; fill 10000 ']'; echo '}'; } >"$f" ;;
    audit-50mb-string)
      { printf '{"format": "assay-audit/1", "client": {"id": "C1", "name": "C", "scope": "'; fill 52428800 s; echo '"}}'; } >"$f" ;;
    audit-70mb-file)
      { printf '{"format": "assay-audit/1", "client": {"id": "C1", "name": "C", "scope": "'; fill 73400320 s; echo '"}}'; } >"$f" ;;
    *) echo "badinput: unknown generated case $name" >&2; return 1 ;;
  esac
  echo "$f"
}

make_handout() {  # make_handout NAME FILE: the hand-out (or other file) of a gen:merge-* case
  local name=$1 f=$2 src="$work/src.db"
  rm -f "$src"* "$work/other.db"* "$work/cy.key"*
  cp "$work/base.db" "$src"
  case $name in
    merge-junk) echo 'not a workspace' >"$f"; return ;;
    merge-missing) return ;;
    merge-plain) "$assay" --db "$src" backup "$f"; return ;;
    merge-other-workspace) "$assay" --db "$work/other.db" import "$here/base.json"
      "$assay" --db "$work/other.db" handout A1 --to cy -o "$f"; return ;;
    merge-other-assessment) "$assay" --db "$src" assessment new A2 --model itsm-20000
      "$assay" --db "$src" person add cy -r assessor -a A2
      "$assay" --db "$src" handout A2 --to cy -o "$f"; return ;;
    merge-unknown-base) "$assay" --db "$src" evidence add EV-9 --ref DOC-9 --by ada -a A1 ;;
  esac
  "$assay" --db "$src" handout A1 --to cy -o "$f"
  ASSAY_ACTOR=cy "$assay" --db "$f" rate -i RES.1/EU -x PA1.1 -v L -s cy
  case $name in
    merge-tampered) sqlite3 "$f" "UPDATE ratings SET value = 'F' WHERE assessor = 'cy'" ;;
    merge-seal-unregistered | merge-seal-forged)  # a key cy registers in the hand-out only
      ASSAY_ACTOR=cy "$assay" --db "$f" key new cy -o "$work/cy.key" --no-passphrase
      "$assay" --db "$f" log seal --key "$work/cy.key"
      if [ "$name" = merge-seal-forged ]; then  # another signature in the seal's row
        local sig; sig=$(sqlite3 "$f" 'SELECT signature FROM seals ORDER BY row_id DESC LIMIT 1')
        sqlite3 "$f" "UPDATE seals SET signature = '$([ "${sig:0:1}" = A ] && echo B || echo A)${sig:1}'"
      fi ;;
    merge-file-changed | merge-twice-file)  # an evidence file kept offline
      printf 'minutes of the interview\n' >"$work/minutes.txt"
      ASSAY_ACTOR=cy "$assay" --db "$f" evidence attach EV-1 "$work/minutes.txt" --keep
      [ "$name" = merge-twice-file ] || sqlite3 "$f" "UPDATE files SET content = 'b3RoZXIgbWludXRlcwo='" ;;
  esac
}

total=0 passed=0 accepted=0 rejected=0 generated=0
failures=() open=() fixed=()
while IFS=$'\t' read -r file command code nlines regex note; do
  [ -z "$file" ] || [ "${file:0:1}" = "#" ] && continue
  if [ -n "$filter" ] && ! [[ $file =~ $filter ]]; then continue; fi
  total=$((total + 1))
  if [ "${file:0:4}" = gen: ]; then
    path=$(generate "${file:4}") || { failures+=("$file: cannot generate"); continue; }
    generated=$((generated + 1))
  else
    path="$here/$file"
  fi
  db="$work/ws.db"
  rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
  cp "$work/base.db" "$db"
  before=$(state "$db")
  case $command in
    import | import-noop) "$assay" --db "$db" import "$path" >"$work/out" 2>"$work/err" ;;
    import-dry) "$assay" --db "$db" import --dry-run "$path" >"$work/out" 2>"$work/err" ;;
    import-cp1252) "$assay" --db "$db" import --encoding windows-1252 "$path" >"$work/out" 2>"$work/err" ;;
    model-check) "$assay" --db "$db" model check "$path" >"$work/out" 2>"$work/err" ;;
    audit-import) "$assay" --db "$db" audit import "$path" >"$work/out" 2>"$work/err" ;;
    audit-import-dry) "$assay" --db "$db" audit import --dry-run "$path" >"$work/out" 2>"$work/err" ;;
    key-register) "$assay" --db "$db" key register "$path" >"$work/out" 2>"$work/err" ;;
    seal-verify) "$assay" --db "$db" log verify --seal "$path" >"$work/out" 2>"$work/err" ;;
    merge) "$assay" --db "$db" merge "$path" >"$work/out" 2>"$work/err" ;;
    merge-a1) "$assay" --db "$db" merge -a A1 "$path" >"$work/out" 2>"$work/err" ;;
    merge-twice) "$assay" --db "$db" merge "$path" >/dev/null 2>&1
      before=$(state "$db")
      "$assay" --db "$db" merge "$path" >"$work/out" 2>"$work/err" ;;
    *) failures+=("$file: unknown command '$command'"); continue ;;
  esac
  got=$?
  after=$(state "$db")
  [ "${file:0:4}" = gen: ] && rm -f "$path"
  if [ $show = 1 ]; then
    echo "== $file ($command) exit $got"; head -c 600 "$work/err"; head -c 300 "$work/out"
  fi

  problems=() hard=()
  [ "$got" = "$code" ] || problems+=("exit code $got, expected $code")
  [ "$got" -lt 128 ] || hard+=("killed by a signal")
  if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:|terminate called' "$work/err"; then
    hard+=("sanitizer report or uncaught exception")
  fi
  if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$work/err" "$work/out" || LC_ALL=C grep -qaP '\x00' "$work/err"; then
    hard+=("raw control character in the output")
  fi
  if [ "$code" = 0 ]; then
    accepted=$((accepted + 1))
    # Success messages go to stderr (import) or stdout (model check).
    cat "$work/err" "$work/out" | grep -Eq -- "$regex" || problems+=("output does not match: $regex")
    if [ "$command" != model-check ]; then
      "$assay" --db "$db" log verify >/dev/null 2>&1 || problems+=("the log does not verify afterwards")
    fi
    writes=0
    case $command in import | import-cp1252 | audit-import | key-register) writes=1 ;; esac
    if [ $writes = 1 ] && [ "$before" = "$after" ]; then problems+=("the import wrote nothing"); fi
    if [ $writes = 0 ] && [ "$before" != "$after" ]; then problems+=("the workspace changed"); fi
  else
    rejected=$((rejected + 1))
    # The errors: every stderr line except the summary that follows them
    # ("N problems; nothing was imported", "1 of 1 model files are invalid").
    summary='^assay: .*: [0-9]+ problems?; nothing was imported$|^.*: [0-9]+ problems?$|^assay: 1 of 1 model files are invalid$'
    grep -Ev "$summary" "$work/err" >"$work/lines"
    n=$(wc -l <"$work/lines")
    [ "$n" = "$nlines" ] || problems+=("$n error lines, expected $nlines")
    # The summary, when there is one, counts the same problems.
    if count=$(grep -Eo ': [0-9]+ problems?' "$work/err" | grep -Eo '[0-9]+' | head -1) && [ -n "$count" ] && [ "$count" != "$n" ]; then
      problems+=("the summary counts $count problems, $n lines shown")
    fi
    # Each line names the file (and, per the regex, the location).
    while IFS= read -r line; do
      [[ $line == "$path"* || $line == "assay: $path"* ]] || problems+=("an error line does not start with the file's path: $line")
    done <"$work/lines"
    head -1 "$work/lines" | grep -Eq -- "$regex" || problems+=("the first error line does not match: $regex")
    [ "$before" = "$after" ] || problems+=("the workspace changed: before [$before] after [$after]")
  fi
  stderr_head=$(head -c 400 "$work/err" | tr '\n' '|')
  if [ ${#hard[@]} -gt 0 ]; then
    failures+=("$file ($note): $(IFS=';'; echo "${hard[*]} ${problems[*]}") -- stderr: $stderr_head")
  elif [ "${note:0:5}" = "OPEN:" ]; then
    if [ ${#problems[@]} -eq 0 ]; then
      fixed+=("$file: now behaves as the case wants; remove OPEN: from its note (make_corpus.py)")
      passed=$((passed + 1))
    else
      open+=("$file (${note:6}): ${problems[0]}")
    fi
  elif [ ${#problems[@]} -eq 0 ]; then
    passed=$((passed + 1))
  else
    failures+=("$file ($note): $(IFS=';'; echo "${problems[*]}") -- stderr: $stderr_head")
  fi
done <"$here/cases.tsv"

for f in "${open[@]}"; do echo "OPEN $f"; done
for f in "${fixed[@]}"; do echo "FIXED $f"; done
for f in "${failures[@]}"; do echo "FAIL $f"; done
echo "badinput: $passed of $total cases passed ($rejected rejected, $accepted accepted on purpose, $generated generated at test time; ${#open[@]} open findings, ${#failures[@]} failed)"
[ ${#failures[@]} -eq 0 ] && [ "$total" -gt 0 ]
