#!/usr/bin/env bash
# The done-when test of hand-outs and merge (docs/TEAMWORK.md): three
# assessors work offline on hand-outs (overlapping and separate items, one
# withdrawal, one conflicting pair); merged in all six orders, one command
# or one file at a time, or a file twice, the exports are byte-identical;
# the conflict is listed and kept as a disagreement; the log verifies; each
# rating's author is the assessor who entered it. Bad input leaves the
# workspace byte for byte as it was, with its exit code.
# usage: merge_test.sh ASSAY EXPECT_SH
set -euo pipefail
a=$1 e=$2
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
cd "$dir"
fail() { echo "FAIL: $*"; exit 1; }
export ASSAY_ACTOR=lead
{
  "$a" assessment new T1 --model itsm-20000 --class 2
  "$a" scope add RES.1 --target 2
  "$a" scope add RES.2 --target 1
  "$a" instance add RES.1/EU -p RES.1
  "$a" instance add RES.2/EU -p RES.2
  "$a" person add lead -n 'Lea L.' -r lead-assessor
  for p in ada cy dan; do "$a" person add $p -n "$p" -r assessor; done
  "$a" assessment status collecting
  "$a" evidence add EV-1 --ref DOC-1 --by lead
  "$a" rate -i RES.2/EU -x PA1.1 -v F -s ada -e EV-1
} 2>/dev/null
bash "$e" 4 '' "person 'ann' is not on the team of assessment 'T1'; nearest: " -- "$a" handout T1 --to ann -o x.db
[ ! -e x.db ] || fail 'a refused hand-out left a file'
for p in ada cy dan; do
  bash "$e" 0 '' "handed out T1 to $p: $p.db \\(base event" -- "$a" handout T1 --to $p -o $p.db
done
bash "$e" 3 '' 'not empty' -- "$a" handout T1 --to ada -o ada.db

# Offline work. ada: a new item, an item cy rates too (same value), her
# mistaken rating withdrawn, a new evidence item. cy: the conflicting value,
# the shared item. dan: separate items, one changed twice.
{
  ASSAY_ACTOR=ada "$a" --db ada.db evidence add EV-2 --ref DOC-2 --by ada
  ASSAY_ACTOR=ada "$a" --db ada.db rate -i RES.1/EU -x PA2.1 -v L -s ada -e EV-2 -W 'no plan reviews'
  ASSAY_ACTOR=ada "$a" --db ada.db rate -i RES.1/EU -x PA1.1 -v F -s ada -e EV-1
  ASSAY_ACTOR=ada "$a" --db ada.db withdraw rating -i RES.2/EU -x PA1.1 -s ada --reason 'wrong instance'
  ASSAY_ACTOR=cy "$a" --db cy.db rate -i RES.1/EU -x PA2.1 -v P -s cy -e EV-1 -W 'plans not kept'
  ASSAY_ACTOR=cy "$a" --db cy.db rate -i RES.1/EU -x PA1.1 -v F -s cy -e EV-1
  ASSAY_ACTOR=dan "$a" --db dan.db rate -i RES.1/EU -x PA2.2 -v P -s dan -e EV-1 -W 'drafts'
  ASSAY_ACTOR=dan "$a" --db dan.db rate -i RES.1/EU -x PA2.2 -v F -s dan -e EV-1
  ASSAY_ACTOR=dan "$a" --db dan.db rate -i RES.2/EU -x PA1.1 -v L -s dan -e EV-1 -W 'late'
} 2>/dev/null

# The dry run lists every change by item, and writes nothing.
before=$(sha256sum assay.db)
bash "$e" 0 '^RES.1/EU PA2.1 ada +- +L +ada +20[0-9-]+T[0-9:]+Z +applied' '' -- "$a" merge ada.db cy.db dan.db --dry-run
bash "$e" 0 'RES.2/EU PA1.1 ada +F +withdrawn +ada ' '' -- "$a" merge ada.db --dry-run
bash "$e" 0 'evidence EV-2 +- +added +ada ' '' -- "$a" merge ada.db --dry-run
bash "$e" 0 'dry run, nothing was written: T1: 4 changes, 4 applied, 0 conflicts' '' -- "$a" merge ada.db --dry-run
bash "$e" 0 'RES.1/EU PA2.1: ada L, cy P' '' -- "$a" merge ada.db cy.db --dry-run
[ "$before" = "$(sha256sum assay.db)" ] || fail 'the dry run wrote'

# Bad input: each refused with its exit code, the workspace unchanged.
echo 'not a workspace' > junk.db
bash "$e" 4 '' 'no such hand-out file' -- "$a" merge none.db
bash "$e" 3 '' 'junk.db' -- "$a" merge junk.db
"$a" backup plain.db >/dev/null 2>&1
bash "$e" 3 '' 'plain.db: not a hand-out' -- "$a" merge plain.db
cp ada.db tampered.db
sqlite3 tampered.db "UPDATE ratings SET value = 'F' WHERE assessor = 'ada' AND item = 'PA2.1'"
bash "$e" 7 '' "tampered.db: the hand-out's log does not verify" -- "$a" merge tampered.db
ASSAY_ACTOR=lead "$a" --db other.db assessment new T1 --model itsm-20000 >/dev/null 2>&1
ASSAY_ACTOR=lead "$a" --db other.db person add ada -n ada -r assessor >/dev/null 2>&1
"$a" --db other.db handout T1 --to ada -o other-ada.db 2>/dev/null
bash "$e" 3 '' 'other-ada.db: a hand-out of another workspace' -- "$a" merge other-ada.db
"$a" assessment new T2 --model itsm-20000 >/dev/null 2>&1
"$a" person add ada -n ada -r assessor -a T2 >/dev/null 2>&1
"$a" handout T2 --to ada -o t2.db 2>/dev/null
before=$(sha256sum assay.db)
bash "$e" 3 '' "t2.db: a hand-out of assessment 'T2', not of 'T1'" -- "$a" merge -a T1 t2.db
bash "$e" 3 '' "a hand-out of assessment 'T2', not of 'T1'" -- "$a" merge ada.db t2.db
"$a" backup fork.db >/dev/null 2>&1
"$a" --db fork.db evidence add EV-9 --ref DOC-9 --by lead -a T1 >/dev/null 2>&1
"$a" --db fork.db handout T1 --to ada -o fork-ada.db 2>/dev/null
bash "$e" 3 '' 'fork-ada.db: unknown base: the hand-out starts from event' -- "$a" merge fork-ada.db
[ "$before" = "$(sha256sum assay.db)" ] || fail 'bad input changed the workspace'

# Every order, one file per command, gives the same export.
"$a" backup base.db >/dev/null 2>&1
first=''
for order in 'ada cy dan' 'ada dan cy' 'cy ada dan' 'cy dan ada' 'dan ada cy' 'dan cy ada'; do
  w="w-${order// /-}.db"
  cp base.db "$w"
  for p in $order; do "$a" --db "$w" merge "$p.db" > "$w.out" 2>&1 || fail "merge $p.db into $w: $(cat "$w.out")"; done
  "$a" --db "$w" export T1 -o "$w.json" 2>/dev/null
  [ -z "$first" ] && first="$w.json"
  cmp -s "$first" "$w.json" || fail "$order: the export differs from $first: $(diff "$first" "$w.json" | head)"
  bash "$e" 0 '^ok: ' '' -- "$a" --db "$w" log verify
done
# All in one command, and a file merged twice.
cp base.db all.db
bash "$e" 0 'RES.1/EU PA2.1: ada L, cy P' '' -- "$a" --db all.db merge dan.db cy.db ada.db
bash "$e" 0 'ada.db: merged already, nothing to do' '' -- "$a" --db all.db merge ada.db
before=$(sha256sum all.db)
"$a" --db all.db merge ada.db cy.db >/dev/null 2>&1
[ "$before" = "$(sha256sum all.db)" ] || fail 'merging again wrote'
"$a" --db all.db export T1 -o all.json 2>/dev/null
cmp -s "$first" all.json || fail 'one command differs'

# What the merged workspace holds: the conflict kept as a disagreement, the
# withdrawal, each rating by its author.
grep -q '"assessor": "dan"' all.json || fail 'dan missing'
! grep -q '"assessor": "ada",[^}]*"RES.2/EU"' all.json || fail 'the withdrawn rating is exported'
bash "$e" 0 '^RES.1/EU PA2.1 +ada +L' '' -- "$a" --db all.db disagreements -a T1
bash "$e" 5 'error +disagreement +RES.1/EU PA2.1: assessors disagree \(ada L, cy P\)' '' -- "$a" --db all.db check T1
"$a" --db all.db log T1 --format json > log.json
python3 - log.json <<'PY'
import json, sys
events = json.load(open(sys.argv[1]))
events = events["events"] if isinstance(events, dict) else events
authors = {}
for e in events:
    if e["entity"] == "rating":
        authors.setdefault(e["entity_id"], set()).add(e["actor"])
want = {'["RES.1/EU","PA2.1","ada"]': {"ada"}, '["RES.1/EU","PA2.1","cy"]': {"cy"},
        '["RES.1/EU","PA2.2","dan"]': {"dan"}, '["RES.2/EU","PA1.1","dan"]': {"dan"},
        '["RES.1/EU","PA1.1","cy"]': {"cy"}}
for k, v in want.items():
    assert authors.get(k) == v, (k, authors.get(k))
assert authors['["RES.2/EU","PA1.1","ada"]'] == {"lead", "ada"}, authors['["RES.2/EU","PA1.1","ada"]']
withdrawn = [e for e in events if e["action"] == "withdraw"]
assert len(withdrawn) == 1 and withdrawn[0]["actor"] == "ada", withdrawn
PY
"$a" --db all.db consolidate 'RES.1/EU PA2.1' -a T1 --value P --rationale 'plans are not kept' 2>/dev/null
bash "$e" 0 'no open disagreements' '' -- "$a" --db all.db disagreements -a T1
bash "$e" 0 '^ok: ' '' -- "$a" --db all.db log verify

# Each hand-out recorded with its events and hashes; log verify checks them.
bash "$e" 0 'merges: 3 hand-outs traced: their chains recomputed from the base to the head, 9 events here match' '' \
  -- "$a" --db all.db log verify
[ "$("$a" --db all.db log T1 2>/dev/null | grep -c ' merge  *merge  *head .* hand-out of ')" = 3 ] || fail 'three merge records'
cp base.db one.db
bash "$e" 0 'ada.db: its 4 events after the base recorded with their hashes in event [0-9]+ \(4 events here traced' '' \
  -- "$a" --db one.db merge ada.db

# A hand-out sealed by its assessor, with the key registered here for them.
cp base.db sealed.db
"$a" --db sealed.db key new cy -o cy.key --no-passphrase >/dev/null 2>&1
"$a" --db sealed.db handout T1 --to cy -o cy-sealed.db 2>/dev/null
ASSAY_ACTOR=cy "$a" --db cy-sealed.db rate -a T1 -i RES.1/EU -x PA2.1 -v P -s cy 2>/dev/null
"$a" --db cy-sealed.db log seal --key cy.key >/dev/null 2>&1
"$a" --db sealed.db key new ada -o ada.key --no-passphrase >/dev/null 2>&1
"$a" --db sealed.db handout T1 --to cy -o cy-by-ada.db 2>/dev/null
ASSAY_ACTOR=cy "$a" --db cy-by-ada.db rate -a T1 -i RES.1/EU -x PA2.1 -v P -s cy 2>/dev/null
"$a" --db cy-by-ada.db log seal --key ada.key >/dev/null 2>&1
before=$(sha256sum sealed.db)
bash "$e" 3 '' 'cy-by-ada.db: the seal of hand-out event [0-9]+ .* was made with a key of ada, not of cy' \
  -- "$a" --db sealed.db merge cy-sealed.db cy-by-ada.db
[ "$before" = "$(sha256sum sealed.db)" ] || fail 'a refused seal changed the workspace'
bash "$e" 0 'hand-out of T1 for cy, base event [0-9]+, head event [0-9]+, sealed by cy with key [0-9A-F]{16} at event' '' \
  -- "$a" --db sealed.db merge cy-sealed.db
bash "$e" 0 '1 hand-out seal verified' '' -- "$a" --db sealed.db log verify
# A forged seal: its signature altered in the hand-out (refused as a hand-out
# changed outside assay), or re-signed with a key registered in the hand-out
# only (not here); the workspace unchanged.
cp cy-sealed.db cy-forged.db
sig=$(sqlite3 cy-forged.db 'SELECT signature FROM seals ORDER BY row_id DESC LIMIT 1')
forged=$( [ "${sig:0:1}" = A ] && echo B || echo A )${sig:1}
sqlite3 cy-forged.db "UPDATE seals SET signature = '$forged' WHERE signature = '$sig'"
before=$(sha256sum sealed.db)
bash "$e" 7 '' "cy-forged.db: the hand-out's log does not verify, it was changed outside assay" \
  -- "$a" --db sealed.db merge cy-forged.db
"$a" --db sealed.db handout T1 --to cy -o cy-resigned.db 2>/dev/null
ASSAY_ACTOR=cy "$a" --db cy-resigned.db rate -a T1 -i RES.1/EU -x PA2.2 -v P -s cy 2>/dev/null
ASSAY_ACTOR=cy "$a" --db cy-resigned.db key new cy -o cy2.key --no-passphrase >/dev/null 2>&1
"$a" --db cy-resigned.db log seal --key cy2.key >/dev/null 2>&1
bash "$e" 3 '' 'cy-resigned.db: the seal of hand-out event [0-9]+ .* was made with a key that is not registered in this workspace' \
  -- "$a" --db sealed.db merge cy-resigned.db
[ "$before" = "$(sha256sum sealed.db)" ] || fail 'a forged seal changed the workspace'

# Evidence files kept offline come back, once per content, in either order
# and merged twice; a file the lead kept is in the hand-out.
cp base.db files.db
printf 'the incident procedure\n' > proc.txt
printf 'minutes of I-1\n' > minutes.txt
"$a" --db files.db evidence attach EV-1 proc.txt --keep -a T1 >/dev/null 2>&1
"$a" --db files.db handout T1 --to cy -o cy-files.db 2>/dev/null
"$a" --db files.db handout T1 --to dan -o dan-files.db 2>/dev/null
"$a" --db cy-files.db evidence file EV-1 -a T1 -o proc-back.txt 2>/dev/null
cmp -s proc.txt proc-back.txt || fail 'the file the lead kept is not in the hand-out'
{
  ASSAY_ACTOR=cy "$a" --db cy-files.db evidence add EV-3 --ref 'Minutes of I-1' --by cy -a T1
  ASSAY_ACTOR=cy "$a" --db cy-files.db evidence attach EV-3 minutes.txt --keep -a T1
  ASSAY_ACTOR=dan "$a" --db dan-files.db evidence add EV-4 --ref 'Minutes of I-1, a copy' --by dan -a T1
  ASSAY_ACTOR=dan "$a" --db dan-files.db evidence attach EV-4 minutes.txt --keep -a T1
} >/dev/null 2>&1
bash "$e" 0 '^file EV-3 [0-9a-f]{12}\.\.\. +- +kept, 15 bytes +cy +20[0-9-]+T[0-9:]+Z +applied' '' \
  -- "$a" --db files.db merge cy-files.db --dry-run
ffirst=''
for order in 'cy dan' 'dan cy'; do
  w="f-${order// /-}.db"
  cp files.db "$w"
  for p in $order; do "$a" --db "$w" merge "$p-files.db" >"$w.out" 2>&1 || fail "merge $p-files.db: $(cat "$w.out")"; done
  before=$(sha256sum "$w")
  "$a" --db "$w" merge cy-files.db dan-files.db >/dev/null 2>&1
  [ "$before" = "$(sha256sum "$w")" ] || fail "$order: merging the files again wrote"
  "$a" --db "$w" export T1 -o "$w.json" 2>/dev/null
  [ -z "$ffirst" ] && ffirst="$w.json"
  cmp -s "$ffirst" "$w.json" || fail "$order: the export differs: $(diff "$ffirst" "$w.json" | head)"
  for ev in EV-3 EV-4; do
    "$a" --db "$w" evidence file $ev -a T1 -o "$w.$ev.txt" 2>/dev/null
    cmp -s minutes.txt "$w.$ev.txt" || fail "$order: $ev's file did not come back"
  done
  bash "$e" 0 'files: 2 kept evidence files verified against their SHA-256' '' -- "$a" --db "$w" log verify
  [ "$(sqlite3 "$w" 'SELECT count(*) FROM files')" = 2 ] || fail "$order: a kept file is duplicated or lost"
done

# With accounts: only the assessment's lead assessor merges, and only what
# the hand-out's person may write; a refusal is exit 9, logged, nothing merged.
cp base.db acc.db
"$a" --db acc.db handout T1 --to cy -o cy-as-dan.db 2>/dev/null
ASSAY_ACTOR=cy "$a" --db cy-as-dan.db rate -a T1 -i RES.1/EU -x PA2.1 -v N -s dan 2>/dev/null
printf 'correct horse battery\n' > pw
{
  "$a" --db acc.db user add root --role admin --password-file pw
  for u in lead ada cy dan; do
    "$a" --db acc.db --user root --login-password-file pw user add $u \
      --role "$([ $u = lead ] && echo lead-assessor || echo assessor)" --password-file pw
  done
} >/dev/null 2>&1
"$a" --db acc.db export T1 -o acc-before.json 2>/dev/null
bash "$e" 9 '' "permission denied: 'cy' \\(assessor\\): only the assessment's lead assessor merges hand-outs in assessment T1; nothing was written \\(the attempt is logged\\)" \
  -- "$a" --db acc.db --user cy --login-password-file pw merge cy.db
bash "$e" 9 '' "the hand-out of cy brings rating .* by cy, which cy may not write: 'cy' \\(assessor\\): an assessor rates as themselves \\(cy\\), not as 'dan'" \
  -- "$a" --db acc.db --user lead --login-password-file pw merge cy.db cy-as-dan.db
"$a" --db acc.db export T1 -o acc-after.json 2>/dev/null
cmp -s acc-before.json acc-after.json || fail 'a refused merge changed the assessment'
[ "$("$a" --db acc.db log 2>/dev/null | grep -c 'refused  *access')" = 2 ] || fail 'two refusals logged'
bash "$e" 0 'merged into T1: ' '' -- "$a" --db acc.db --user lead --login-password-file pw merge ada.db cy.db dan.db
bash "$e" 0 '^ok: ' '' -- "$a" --db acc.db log verify
echo ok
