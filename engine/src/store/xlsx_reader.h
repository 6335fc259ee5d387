// Reading the cells of an XLSX workbook (Office Open XML spreadsheet), for
// the import of a filled rating workbook. The zip archive is read with
// libzip and every XML part with expat; nothing here parses either format
// by hand. Pure (no file system): the workbook's bytes in, its cells out.
#ifndef ASSAY_STORE_XLSX_READER_H_
#define ASSAY_STORE_XLSX_READER_H_

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace assay::internal {

// One cell, as the spreadsheet saved it.
struct XlsxCell {
  enum class Type {
    kString,   // a shared string, an inline string or a formula's string result
    kNumber,   // a number; `percent` or `date` from its number format
    kBoolean,  // text is "TRUE" or "FALSE"
    kError,    // text is the error ("#N/A")
    kDate,     // an ISO 8601 date cell (t="d")
  };
  Type type = Type::kString;
  std::string text;      // the string, or the number as stored ("0.725")
  bool formula = false;  // the cell holds a formula (text is its last result)
  bool percent = false;  // kNumber shown as a percentage (number format 9, 10 or one with '%')
  bool date = false;     // kNumber shown as a date or time
};

struct XlsxSheet {
  std::string name;
  std::map<std::pair<int, int>, XlsxCell> cells;  // by (row, column), 1-based; empty cells left out
  int max_row = 0;

  // The cell at (row, column), or nullptr when it is empty.
  const XlsxCell* At(int row, int column) const;
};

struct XlsxWorkbook {
  std::vector<XlsxSheet> sheets;  // in the workbook's order

  // The sheet named `name`, or nullptr.
  const XlsxSheet* Find(std::string_view name) const;
};

// Reads every sheet of the workbook in `bytes`. False, with *error saying
// what is wrong (without the file's name), when the bytes are not a zip
// archive, a part the workbook needs is missing, larger than 64 MiB
// uncompressed, or not well-formed XML.
bool ReadXlsx(std::string_view bytes, XlsxWorkbook* workbook, std::string* error);

// "F7" for row 7, column 6.
std::string CellName(int row, int column);

}  // namespace assay::internal

#endif  // ASSAY_STORE_XLSX_READER_H_
