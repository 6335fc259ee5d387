# Progress bars on a terminal only (tests/cli/progress_test.sh; script(1) from
# util-linux gives the command a pty).
add_test(NAME cli.progress_bar_on_a_terminal_only
         COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cli/progress_test.sh" $<TARGET_FILE:assay> "${PROJECT_SOURCE_DIR}/models")
