// Internal: the checks a client's whole record set passes before the audit
// store writes it (assay/audit_store.h lists them with each operation).
#ifndef ASSAY_ENGINE_AUDIT_CLIENT_VALIDATION_H_
#define ASSAY_ENGINE_AUDIT_CLIENT_VALIDATION_H_

#include <set>
#include <string>
#include <vector>

#include "assay/audit.h"
#include "assay/status.h"

namespace assay::internal {

// One problem: a JSON pointer into the client's export document and what
// is wrong there.
struct RecordProblem {
  std::string pointer;
  Status status;
};
using RecordProblems = std::vector<RecordProblem>;

// What the records of one client are checked against besides themselves.
struct ClientChecks {
  // The IDs the workspace's other clients hold: IDs of audits, findings,
  // nonconformities and certificate numbers are unique in the workspace.
  std::set<std::string> other_audits, other_findings, other_ncs, other_certificates;
  std::vector<std::string> assessments;  // the workspace's assessment IDs (linked assessments)
  CertificationPolicy policy;
  const Catalogue* catalogue = nullptr;  // null: clause numbers are not checked
  // null: planned audit days are not checked against the calculation
  const AuditTimeTable* time_table = nullptr;
};

// Appends every problem of client `c` to *problems: IDs (printable, no '/',
// unique), required fields, dates in order, references (sites, audits,
// findings, certificates, assessments, catalogue clauses), the nonconformity
// histories, the report items, the audit-time inputs, sites and audit days,
// and finally (when nothing else is wrong) assay/audit.h CheckClientHistory
// and assay/audit.h CheckAuditDays.
void ValidateClient(const ClientAuditData& c, const ClientChecks& checks, RecordProblems* problems);

// NotFound "<text>'ID'<of>; nearest: A, B" about (`kind`, `id`) with the
// nearest of `candidates` (reason "none-yet" when there are none at all).
Status UnknownId(const std::string& text, const char* kind, const std::string& id,
                 const std::vector<std::string>& candidates, const std::string& of = "");

}  // namespace assay::internal

#endif  // ASSAY_ENGINE_AUDIT_CLIENT_VALIDATION_H_
