# Reliability (issue 8, docs/RELIABILITY.md): the bad-input corpus, crash
# consistency under SIGKILL, concurrent writers, storage faults, safe exports
# and terminal-safe error messages. Each test is a script of tests/badinput/
# or tests/reliability/ run against the built assay.
set(ASSAY_REL_DIR "${PROJECT_SOURCE_DIR}/tests/reliability")

add_test(NAME reliability.badinput
  COMMAND bash "${PROJECT_SOURCE_DIR}/tests/badinput/run.sh" "$<TARGET_FILE:assay>")
set_tests_properties(reliability.badinput PROPERTIES LABELS "reliability" TIMEOUT 900)

# The corpus's output side: file modes, --force, interrupted writes, backup,
# read-only workspaces with a pending WAL, the actor, terminal escaping, CSV.
add_test(NAME reliability.badinput_outputs
  COMMAND bash "${PROJECT_SOURCE_DIR}/tests/badinput/outputs.sh" "$<TARGET_FILE:assay>" "${PROJECT_SOURCE_DIR}")
set_tests_properties(reliability.badinput_outputs PROPERTIES LABELS "reliability" TIMEOUT 600)

# Under the sanitizers everything runs several times slower (an `assay rate`
# takes ~0.7 s of CPU instead of 0.02 s): a smaller import (the 20 kills still
# land at random moments within it), and 4 writers x 100 ratings instead of
# 4 x 500, each write retried (up to 20 times) when it is refused with
# "locked by another writer; try again" after the 10 s busy timeout, which a
# loaded machine can exceed while a slow sanitized writer holds the lock.
# docs/RELIABILITY.md gives the times.
if(ASSAY_SANITIZE)
  set(ASSAY_CRASH_ROWS 20000)
  set(ASSAY_CONCURRENCY_ARGS 4 100 20)
else()
  set(ASSAY_CRASH_ROWS 100000)
  set(ASSAY_CONCURRENCY_ARGS 4 500 0)
endif()
add_test(NAME reliability.crash_import
  COMMAND bash "${ASSAY_REL_DIR}/crash_import.sh" "$<TARGET_FILE:assay>" "${PROJECT_SOURCE_DIR}" 20 ${ASSAY_CRASH_ROWS})
set_tests_properties(reliability.crash_import PROPERTIES LABELS "reliability;slow" TIMEOUT 1800 RUN_SERIAL TRUE)

add_test(NAME reliability.concurrency
  COMMAND bash "${ASSAY_REL_DIR}/concurrency.sh" "$<TARGET_FILE:assay>" "${PROJECT_SOURCE_DIR}" ${ASSAY_CONCURRENCY_ARGS})
set_tests_properties(reliability.concurrency PROPERTIES LABELS "reliability;slow" TIMEOUT 1800 RUN_SERIAL TRUE)

add_test(NAME reliability.storage_faults
  COMMAND bash "${ASSAY_REL_DIR}/storage_faults.sh" "$<TARGET_FILE:assay>" "${PROJECT_SOURCE_DIR}")
set_tests_properties(reliability.storage_faults PROPERTIES LABELS "reliability" TIMEOUT 600)

add_test(NAME reliability.safe_output
  COMMAND bash "${ASSAY_REL_DIR}/safe_output.sh" "$<TARGET_FILE:assay>" "${PROJECT_SOURCE_DIR}")
set_tests_properties(reliability.safe_output PROPERTIES LABELS "reliability" TIMEOUT 600)

# Reports and exports under concurrent writers all succeed, each on one
# consistent snapshot (issue 13).
add_test(NAME reliability.report_concurrency
  COMMAND bash "${ASSAY_REL_DIR}/report_concurrency.sh" "$<TARGET_FILE:assay>" "${PROJECT_SOURCE_DIR}")
set_tests_properties(reliability.report_concurrency PROPERTIES LABELS "reliability" TIMEOUT 900 RUN_SERIAL TRUE)
