# Spreadsheets both ways (issue 17, docs/SPREADSHEETS.md): CSV as a
# spreadsheet saves it, exported and imported back.
add_test(NAME spreadsheets.csv_roundtrip
  COMMAND bash "${PROJECT_SOURCE_DIR}/tests/spreadsheets/csv_roundtrip.sh" "$<TARGET_FILE:assay>" "${PROJECT_SOURCE_DIR}")
