// Internal to reports/src/xlsx: a libxlsxwriter workbook assembled in a
// temporary file and returned as bytes (rating_workbook.cc).
#ifndef ASSAY_REPORTS_XLSX_WORKBOOK_FILE_H_
#define ASSAY_REPORTS_XLSX_WORKBOOK_FILE_H_

#include <xlsxwriter.h>

#include <ctime>
#include <functional>
#include <string>

#include "assay/status.h"

namespace assay::reports::internal {

// The time of an ISO date ("2026-11-24...", UTC midnight); 2000-01-01 when
// `iso` is not one. Workbooks carry it as their creation time, so that the
// same inputs give the same bytes.
time_t DateTime(const std::string& iso);

// Creates a workbook in `tmpdir` (default: the system's), with `title` and
// `created` as its properties, lets `fill` add its sheets, closes it and
// returns its bytes (the temporary file removed). IOError when the file
// cannot be written.
Status WriteWorkbook(const std::string& tmpdir, const std::string& title, time_t created,
                     const std::function<void(lxw_workbook*)>& fill, std::string* bytes);

// Reads the file at `path` into *bytes and removes it.
Status ReadAndRemove(const std::string& path, std::string* bytes);

}  // namespace assay::reports::internal

#endif  // ASSAY_REPORTS_XLSX_WORKBOOK_FILE_H_
