# The layering rules of DESIGN.md as greps over the source
# (tests/architecture/check.sh): no SQL in cli/ or reports/; the environment
# read in cli/ only; no "assay <command>" hints in the engine.
foreach(rule sql getenv hints)
  add_test(NAME architecture.${rule}
           COMMAND bash "${CMAKE_CURRENT_LIST_DIR}/check.sh" "${PROJECT_SOURCE_DIR}" ${rule})
endforeach()
