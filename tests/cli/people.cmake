# End-to-end: the people registry (docs/TEAMWORK.md): exit codes of bad
# input, the workspace unchanged, the registered name taken by a team.
add_test(NAME cli.people_registry COMMAND bash -c "
set -e
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
e='${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh'
cd \"$dir\"
bash \"$e\" 4 '' 'no workspace here' -- \"$a\" person list
\"$a\" assessment new A1 --model itsm-20000 2>/dev/null
\"$a\" person register ada --name 'Ada L.' --qualification 'TIPA lead assessor;2023-05-10;2026-05-09' 2>/dev/null
before=$(sha256sum assay.db)
bash \"$e\" 3 '' \"qualifications/0: '2023-02-30' is not a date\" -- \"$a\" person register cy --name Cy --qualification 'x;2023-02-30'
bash \"$e\" 3 '' 'qualifications/0: until 2020-01-01 is before since 2023-05-10' -- \"$a\" person register ada --qualification 'x;2023-05-10;2020-01-01'
bash \"$e\" 3 '' 'expected TEXT.;SINCE.;UNTIL..' -- \"$a\" person register ada --competence 'a;b;c;d'
bash \"$e\" 3 '' \"--role: unknown role 'lead'; nearest: lead-assessor\" -- \"$a\" person register ada --role lead
bash \"$e\" 3 '' \"person 'cy': --name is required for a new entry\" -- \"$a\" person register cy
bash \"$e\" 3 '' \"person 'ada' is registered as 'Ada L.', not 'Ada K.'\" -- \"$a\" person add ada --name 'Ada K.' --role assessor
bash \"$e\" 4 '' \"no person 'adx' in the registry of assay.db; nearest: ada\" -- \"$a\" person show adx
[ \"$before\" = \"$(sha256sum assay.db)\" ]
bash \"$e\" 0 '' 'person ada: added' -- \"$a\" person add ada --role lead-assessor
bash \"$e\" 0 '\"name\": \"Ada L.\"' '' -- \"$a\" assessment show --format json
bash \"$e\" 0 '\"assessment\": \"A1\"' '' -- \"$a\" person show ada --format json
bash \"$e\" 0 'create  person +ada +name Ada L.' '' -- \"$a\" log
bash \"$e\" 0 '^ok: 3 events' '' -- \"$a\" log verify
")
set_tests_properties(cli.people_registry PROPERTIES LABELS cli)

# `assay withdraw`: exit codes of bad requests (the workspace unchanged), a
# tombstone the log shows, the rating left out of the export.
add_test(NAME cli.withdraw COMMAND bash -c "
set -e
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
e='${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh'
cd \"$dir\"
\"$a\" assessment new A1 --model itsm-20000 2>/dev/null
\"$a\" scope add RES.1 --target 1 2>/dev/null
\"$a\" instance add RES.1/EU -p RES.1 2>/dev/null
\"$a\" person add ada -n 'Ada L.' -r lead-assessor 2>/dev/null
\"$a\" assessment status collecting 2>/dev/null
\"$a\" evidence add EV-1 --ref DOC-1 --by ada 2>/dev/null
\"$a\" rate -i RES.1/EU -x PA1.1 -v L -s ada -e EV-1 2>/dev/null
before=$(sha256sum assay.db)
bash \"$e\" 2 '' 'reason' -- \"$a\" withdraw evidence EV-1
bash \"$e\" 2 '' 'takes -i INSTANCE -x ITEM' -- \"$a\" withdraw rating EV-1 --reason x
bash \"$e\" 2 '' 'takes the evidence' -- \"$a\" withdraw evidence --reason x
bash \"$e\" 3 '' 'a withdrawal needs a reason' -- \"$a\" withdraw evidence EV-1 --reason ' '
bash \"$e\" 3 '' \"evidence 'EV-1' is still referred to by 1 record \\\\(rating RES.1/EU PA1.1 ada\\\\)\" -- \"$a\" withdraw evidence EV-1 --reason x
bash \"$e\" 4 '' \"no evidence 'EV-2' in assessment 'A1'; nearest: EV-1\" -- \"$a\" withdraw evidence EV-2 --reason x
bash \"$e\" 4 '' 'no current rating RES.1/EU PA2.1 ada' -- \"$a\" withdraw rating -i RES.1/EU -x PA2.1 -s ada --reason x
[ \"$before\" = \"$(sha256sum assay.db)\" ]
bash \"$e\" 0 '' 'rating RES.1/EU PA1.1 ada: withdrawn' -- \"$a\" withdraw rating -i RES.1/EU -x PA1.1 -s ada --reason 'wrong instance'
bash \"$e\" 0 '' 'evidence EV-1: withdrawn' -- \"$a\" withdraw evidence EV-1 --reason 'not ours'
bash \"$e\" 3 '' 'is withdrawn already' -- \"$a\" withdraw evidence EV-1 --reason 'again'
bash \"$e\" 0 'withdraw rating +RES.1/EU PA1.1 ada +withdrawn: wrong instance' '' -- \"$a\" log A1
\"$a\" export A1 -o a1.json 2>/dev/null
! grep -q 'PA1.1' a1.json
! grep -q 'EV-1' a1.json
bash \"$e\" 0 '^ok: ' '' -- \"$a\" log verify
")
set_tests_properties(cli.withdraw PROPERTIES LABELS cli)
