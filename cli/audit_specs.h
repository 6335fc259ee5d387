// The command-line forms of the audit report items (docs/AUDIT.md): the
// option values of `assay audit add` and `assay audit update` that give an
// activity, an accompanying person, the combination and the use of marks.
//
// Each parser returns InvalidInput quoting the text, naming the part that
// is wrong and giving the form expected, e.g.
//   '2025-02-30:on-site:LEJ': bad date '2025-02-30': ... (form:
//   DATE:MODE:PLACE[:WHAT], e.g. 2025-03-11:on-site:LEJ:Opening meeting)
// The forms:
//   DATE:MODE:PLACE[:WHAT]    e.g. "2025-03-11:on-site:LEJ:Opening meeting"
//                             (the first three colons separate; WHAT may
//                             contain colons, PLACE may not)
//   ROLE:NAME[:ORGANIZATION]  e.g. "guide:Jana Novak:Northwind"
//   KIND[:DETAILS]            e.g. "integrated:ISO 9001:2015 and ISO/IEC 27001:2022"
//   CONTROL[:NOTE]            e.g. "controlled:Logo use on the website checked"
#ifndef ASSAY_CLI_AUDIT_SPECS_H_
#define ASSAY_CLI_AUDIT_SPECS_H_

#include <string_view>

#include "assay/audit_store.h"
#include "assay/status.h"

namespace assay::cli {

Status ParseActivitySpec(std::string_view text, AuditActivityRecord* out);
Status ParseAccompanyingSpec(std::string_view text, AccompanyingPerson* out);
Status ParseCombinationSpec(std::string_view text, AuditCombinationRecord* out);
Status ParseMarksSpec(std::string_view text, MarksUseRecord* out);

}  // namespace assay::cli

#endif  // ASSAY_CLI_AUDIT_SPECS_H_
