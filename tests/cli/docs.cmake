# The README's command blocks run as a new user would type them, and what they
# print is compared with what the README shows (tests/docs/doc_test.py).
add_test(NAME docs.readme COMMAND python3 "${CMAKE_CURRENT_SOURCE_DIR}/docs/doc_test.py"
  --assay "$<TARGET_FILE:assay>" --root "${PROJECT_SOURCE_DIR}" README.md docs/TEAMWORK.md)
set_tests_properties(docs.readme PROPERTIES LABELS docs TIMEOUT 600)
# The harness itself fails on a document whose output has drifted.
add_test(NAME docs.harness_detects_drift COMMAND bash -c "
out=$(python3 '${CMAKE_CURRENT_SOURCE_DIR}/docs/doc_test.py' --assay '$<TARGET_FILE:assay>' --root '${PROJECT_SOURCE_DIR}' tests/docs/drift.md)
code=$?
printf '%s\\n' \"$out\"
[ $code = 1 ] && printf '%s\\n' \"$out\" | grep -qx '0 passed, 1 failed' && printf '%s\\n' \"$out\" | grep -q 'not what it prints'")
set_tests_properties(docs.harness_detects_drift PROPERTIES LABELS docs)
# docs/SPREADSHEETS.md's command blocks, the same way.
add_test(NAME docs.spreadsheets COMMAND python3 "${CMAKE_CURRENT_SOURCE_DIR}/docs/doc_test.py"
  --assay "$<TARGET_FILE:assay>" --root "${PROJECT_SOURCE_DIR}" docs/SPREADSHEETS.md)
set_tests_properties(docs.spreadsheets PROPERTIES LABELS docs TIMEOUT 300)
