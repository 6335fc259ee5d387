# End-to-end: `assay evidence|interview list|show` and `assay trace` (the
# behaviour and the JSON schema are tested in trace_cli_test.cc).
add_test(NAME cli.trace_help COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh" 0
  "EVIDENCE: every rating, indicator, outcome" "" -- $<TARGET_FILE:assay> trace --help)
add_test(NAME cli.help_lists_trace COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh" 0
  "trace +What an evidence item supports, or what backs a process attribute" "" -- $<TARGET_FILE:assay> --help)
# docs/TRACE.md's examples print what it shows.
add_test(NAME cli.trace_doc_examples
  COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cli/doc_examples.sh" $<TARGET_FILE:assay> "${PROJECT_SOURCE_DIR}/docs/TRACE.md"
          "${PROJECT_SOURCE_DIR}")
