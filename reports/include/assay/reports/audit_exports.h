// Exports of certification data in the layouts other tools read:
//
//   * certificate data in the field layout of IAF CertSearch (the database
//     of accredited certifications to which certification bodies upload):
//     one row per certificate and site, as CSV (a header row, then the rows)
//     or JSON (an array of objects with the same field names);
//   * an audit's findings and nonconformities as NIST OSCAL
//     assessment-results JSON (OSCAL 1.0.6; tests/fixtures/oscal/ holds the
//     published schema it is validated against).
//
// Pure functions over records the caller loads; deterministic (UUIDs are
// derived from the records' IDs, dates from the records, never the clock).
#ifndef ASSAY_REPORTS_AUDIT_EXPORTS_H_
#define ASSAY_REPORTS_AUDIT_EXPORTS_H_

#include <string>
#include <vector>

#include "assay/audit.h"
#include "assay/status.h"

namespace assay::reports {

// The CertSearch fields, in upload order (the mandatory ones first, then
// the optional scope and original issue date).
inline constexpr const char* kCertSearchFields[] = {
    "Certification Identity Number", "Certificate Number",    "Certification Status",
    "Accreditation Status",          "Certification Type",    "Issue Date",
    "Expiry Date",                   "Certified Entity Name", "Site Address",
    "Scope",                         "Original Issue Date"};

// One row: the values of kCertSearchFields in order.
using CertSearchRow = std::vector<std::string>;

// The rows of client `c`'s certificates as of `today`:
//   Certification Identity Number  the client ID (one certification per client and standard)
//   Certificate Number             the certificate number
//   Certification Status           Active (active, restored), Suspended, Withdrawn, Expired (also an
//                                  active certificate whose expiry date has passed on `today`)
//   Accreditation Status           Accredited when the body records an accreditation, else Unaccredited
//   Certification Type             Management System
//   Issue Date, Expiry Date        YYYYMMDD; the issue date is the latest issue, renewal or restoration
//   Certified Entity Name          the client's name
//   Site Address                   one row per site: its name and address (the client's address when
//                                  it has no sites)
//   Scope                          the certified scope, with the standard (`standard`)
//   Original Issue Date            YYYYMMDD, the certificate's first issue
// InvalidInput naming the certificate and field when a value exceeds the
// field's 60 characters (identity and certificate numbers).
Status CertSearchRows(const ClientAuditData& c, const CertificationBody& body, const std::string& standard, Date today,
                      std::vector<CertSearchRow>* out);

// CSV (RFC 4180 quoting, formula-like text neutralised, CRLF line ends) and
// JSON (2-space indent) of the rows.
std::string CertSearchCsv(const std::vector<CertSearchRow>& rows);
std::string CertSearchJson(const std::vector<CertSearchRow>& rows);

// The OSCAL assessment-results document of the audit in `content` (the
// report content, audit.h ComputeAuditReport): metadata (the certification
// body and the client as parties), one result for the audit (its dates, the
// clauses it covered as reviewed controls), one observation per finding of
// the audit (its statement, evidence, date; method EXAMINE) and one finding
// per finding with its clause as the target (not-satisfied for a major or
// minor nonconformity, satisfied otherwise) and, for a nonconformity, its
// ID, grade, state and due date as properties. `catalogue_id` prefixes the
// control IDs ("iso20000-1-2018_8.6.1").
Status OscalAssessmentResults(const AuditReportContent& content, const std::string& catalogue_id, std::string* json);

}  // namespace assay::reports

#endif  // ASSAY_REPORTS_AUDIT_EXPORTS_H_
