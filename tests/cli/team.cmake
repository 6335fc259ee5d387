# Team work (docs/TEAMWORK.md): open disagreements listed and checked (an
# error in class 1 and 2, a warning in class 3), consolidation with its
# rationale and consolidating person in the log; bad requests leave the
# workspace unchanged.
set(TEAM_NW26 "${PROJECT_SOURCE_DIR}/models/examples/northwind-2026.json")
add_test(NAME cli.disagreements COMMAND bash -c "
set -e
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
e='${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh'
cd \"$dir\"
\"$a\" import '${TEAM_NW26}' 2>/dev/null
bash \"$e\" 0 '^RES.2/OPO-OC PA2.2 +joao.goncalves +L +E16, E17, E09 +strength: ' '' -- \"$a\" disagreements
bash \"$e\" 0 '1 open disagreement' '' -- \"$a\" disagreements -a NW-2026-01
bash \"$e\" 0 '\"format\": \"assay-disagreements/1\"' '' -- \"$a\" disagreements --format json
bash \"$e\" 5 '^error +disagreement +RES.2/OPO-OC PA2.2: assessors disagree \\(joao.goncalves L, lukasz.zolc F\\)' \\
  'checks failed: 1 error' -- \"$a\" check
bash \"$e\" 5 '  disagreement +1' '' -- \"$a\" check
before=$(sha256sum assay.db)
bash \"$e\" 2 '' 'rationale is required' -- \"$a\" consolidate 'RES.2/OPO-OC PA2.2' --value L
bash \"$e\" 3 '' 'needs a rationale' -- \"$a\" consolidate 'RES.2/OPO-OC PA2.2' --value L --rationale ' '
bash \"$e\" 3 '' 'INSTANCE ITEM' -- \"$a\" consolidate RES.2/OPO-OC --value L --rationale x
bash \"$e\" 3 '' 'rating value|N, P' -- \"$a\" consolidate RES.2/OPO-OC PA2.2 --value Q --rationale x
bash \"$e\" 4 '' 'nearest: RES.2/OPO-OC' -- \"$a\" consolidate RES.2/OPO-OX PA2.2 --value L --rationale x
[ \"$before\" = \"$(sha256sum assay.db)\" ]
ASSAY_ACTOR=lead bash \"$e\" 0 '' 'consolidated RES.2/OPO-OC PA2.2 = L \\(assessors: joao.goncalves L, lukasz.zolc F\\): added' \\
  -- \"$a\" consolidate 'RES.2/OPO-OC PA2.2' --value L --rationale 'runbooks outside version control'
bash \"$e\" 0 'no open disagreements' '' -- \"$a\" disagreements
bash \"$e\" 0 '  disagreement +ok' '' -- \"$a\" check
bash \"$e\" 0 'lead .*create +rating +RES.2/OPO-OC PA2.2 consolidated' '' -- \"$a\" log NW-2026-01
bash \"$e\" 0 'runbooks outside version control' '' -- \"$a\" log NW-2026-01 --format json
bash \"$e\" 0 '\"consolidated\": true' '' -- \"$a\" export
bash \"$e\" 0 '^ok: ' '' -- \"$a\" log verify
")
set_tests_properties(cli.disagreements PROPERTIES LABELS cli)

# A class 3 assessment: an open disagreement is a warning, the check passes.
add_test(NAME cli.disagreements_class3 COMMAND bash -c "
set -e
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
e='${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh'
cd \"$dir\"
\"$a\" assessment new A1 --model itsm-20000 --class 3 2>/dev/null
\"$a\" scope add RES.1 --target 1 2>/dev/null
\"$a\" instance add RES.1/EU -p RES.1 2>/dev/null
\"$a\" person add ada -n 'Ada L.' -r lead-assessor 2>/dev/null
\"$a\" person add cy -n 'Cy P.' -r assessor 2>/dev/null
\"$a\" assessment status collecting 2>/dev/null
\"$a\" evidence add EV-1 --ref DOC-1 --by ada 2>/dev/null
\"$a\" rate -i RES.1/EU -x PA1.1 -v L -s ada -e EV-1 -W 'gaps' 2>/dev/null
\"$a\" rate -i RES.1/EU -x PA1.1 -v F -s cy -e EV-1 2>/dev/null
bash \"$e\" 0 '^warning +disagreement +RES.1/EU PA1.1: assessors disagree \\(ada L, cy F\\)' '' -- \"$a\" check
\"$a\" consolidate RES.1/EU PA1.1 --value L --rationale 'agreed in the review' 2>/dev/null
bash \"$e\" 0 '\"value\": \"L\"' '' -- \"$a\" export
bash \"$e\" 0 '\"weakness\": \"gaps\"' '' -- \"$a\" export
bash \"$e\" 0 '  disagreement +ok' '' -- \"$a\" check
")
set_tests_properties(cli.disagreements_class3 PROPERTIES LABELS cli)

# Hand-outs and merge, the done-when test (tests/cli/merge_test.sh).
add_test(NAME cli.merge COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cli/merge_test.sh" "$<TARGET_FILE:assay>"
  "${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh")
set_tests_properties(cli.merge PROPERTIES LABELS cli TIMEOUT 300)
