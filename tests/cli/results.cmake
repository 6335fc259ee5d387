# End-to-end: the bundled example through import, profile (table, JSON, CSV) and check.
set(NW "${PROJECT_SOURCE_DIR}/models/examples/northwind-2026.json")
add_test(NAME cli.profile_formats_agree COMMAND bash -c "
set -e
dir=$(mktemp -d); trap 'rm -rf \"$dir\"' EXIT
a='$<TARGET_FILE:assay>'
\"$a\" --db \"$dir/w.db\" import '${NW}' 2>/dev/null
\"$a\" --db \"$dir/w.db\" profile | grep -Eq '^RES\\.1 .* 3 +3 +0$'
\"$a\" --db \"$dir/w.db\" profile | grep -Eq '^RES\\.3 .* 1 +3 +2$'
\"$a\" --db \"$dir/w.db\" profile --format json | grep -Eq '\"capability_level\": 3'
\"$a\" --db \"$dir/w.db\" profile --format csv | grep -Eq '^NW-2026-01,RES\\.3,,PA1\\.1,1,rated,L,1,3'
bash '${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh' 5 'error +disagreement +RES.2/OPO-OC PA2.2' '' -- \"$a\" --db \"$dir/w.db\" check
\"$a\" --db \"$dir/w.db\" what-if -r RES.3/OPO-OC:PA2.1=F | grep -q 'nothing was written'
\"$a\" --db \"$dir/w.db\" log verify >/dev/null
\"$a\" --db \"$dir/w.db\" log | grep -Eq ' import +rating +.*northwind-2026\\.json +105 ratings \\(105 created, 0 updated\\)$'
")
