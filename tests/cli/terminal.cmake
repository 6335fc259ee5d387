# Terminal safety (cli/terminal.cc) is unit-tested in tests/cli/terminal_test.cc:
# that file of the executable is compiled into the test binary too.
target_sources(assay_tests PRIVATE "${PROJECT_SOURCE_DIR}/cli/terminal.cc")
set_source_files_properties("${CMAKE_CURRENT_SOURCE_DIR}/cli/terminal_test.cc" TARGET_DIRECTORY assay_tests
  PROPERTIES INCLUDE_DIRECTORIES "${PROJECT_SOURCE_DIR}/cli")
