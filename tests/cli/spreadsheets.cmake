# Spreadsheets both ways (issue 17, docs/SPREADSHEETS.md): CSV as a
# spreadsheet saves it, exported and imported back.
add_test(NAME spreadsheets.csv_roundtrip
  COMMAND bash "${PROJECT_SOURCE_DIR}/tests/spreadsheets/csv_roundtrip.sh" "$<TARGET_FILE:assay>" "${PROJECT_SOURCE_DIR}")
# The rating workbook back: cells as a spreadsheet saves them (inline and
# rich shared strings, numbers formatted as percentages), formulas, dates,
# booleans and errors refused with their sheet!cell, drop-downs and
# protection in the XML (python3's zipfile writes the modified workbooks).
add_test(NAME spreadsheets.xlsx_roundtrip
  COMMAND python3 "${PROJECT_SOURCE_DIR}/tests/spreadsheets/xlsx_roundtrip.py" "$<TARGET_FILE:assay>" "${PROJECT_SOURCE_DIR}")
