// The command-line forms of the audit report items (audit_specs.h).
#include "audit_specs.h"

#include <string>
#include <vector>

namespace assay::cli {

namespace {

// Splits `text` at its first `n` - 1 colons into at most n parts.
std::vector<std::string> SplitColons(std::string_view text, size_t n) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (parts.size() + 1 < n) {
    size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) break;
    parts.emplace_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  parts.emplace_back(text.substr(start));
  return parts;
}

std::string TrimCopy(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

Status SpecError(std::string_view text, const std::string& form, const std::string& what) {
  return Status::InvalidInput("'" + std::string(text) + "': " + what + " (form: " + form + ")");
}

}  // namespace

Status ParseActivitySpec(std::string_view text, AuditActivityRecord* out) {
  const std::string form = "DATE:MODE:PLACE[:WHAT], e.g. 2025-03-11:on-site:LEJ:Opening meeting";
  std::vector<std::string> p = SplitColons(text, 4);
  if (p.size() < 3) return SpecError(text, form, "missing " + std::string(p.size() < 2 ? "MODE and PLACE" : "PLACE"));
  AuditActivityRecord r;
  const std::string date = TrimCopy(p[0]);
  Status s = Date::Parse(date, &r.date);
  if (!s.ok()) return SpecError(text, form, "bad date '" + date + "': " + s.message());
  s = ParseActivityMode(TrimCopy(p[1]), &r.mode);
  if (!s.ok()) return SpecError(text, form, s.message());
  r.place = TrimCopy(p[2]);
  if (r.place.empty()) return SpecError(text, form, "empty PLACE");
  if (p.size() > 3) r.description = TrimCopy(p[3]);
  *out = r;
  return Status::OK();
}

Status ParseAccompanyingSpec(std::string_view text, AccompanyingPerson* out) {
  const std::string form = "ROLE:NAME[:ORGANIZATION], e.g. guide:Jana Novak:Northwind";
  std::vector<std::string> p = SplitColons(text, 3);
  if (p.size() < 2) return SpecError(text, form, "missing NAME");
  AccompanyingPerson r;
  Status s = ParseAccompanyingRole(TrimCopy(p[0]), &r.role);
  if (!s.ok()) return SpecError(text, form, s.message());
  r.person = TrimCopy(p[1]);
  if (r.person.empty()) return SpecError(text, form, "empty NAME");
  if (p.size() > 2) r.organization = TrimCopy(p[2]);
  *out = r;
  return Status::OK();
}

Status ParseCombinationSpec(std::string_view text, AuditCombinationRecord* out) {
  const std::string form = "KIND[:DETAILS], e.g. integrated:ISO 9001:2015 and ISO/IEC 27001:2022";
  std::vector<std::string> p = SplitColons(text, 2);
  AuditCombinationRecord r;
  Status s = ParseAuditCombination(TrimCopy(p[0]), &r.kind);
  if (!s.ok()) return SpecError(text, form, s.message());
  if (p.size() > 1) r.details = TrimCopy(p[1]);
  if (r.kind != AuditCombination::kSingle && r.details.empty())
    return SpecError(text, form,
                     "missing DETAILS: a " + std::string(AuditCombinationName(r.kind)) +
                         " audit names the other standards or certification body");
  *out = r;
  return Status::OK();
}

Status ParseMarksSpec(std::string_view text, MarksUseRecord* out) {
  const std::string form = "CONTROL[:NOTE], e.g. controlled:Logo use on the website checked";
  std::vector<std::string> p = SplitColons(text, 2);
  MarksUseRecord r;
  Status s = ParseMarksControl(TrimCopy(p[0]), &r.control);
  if (!s.ok()) return SpecError(text, form, s.message());
  if (p.size() > 1) r.note = TrimCopy(p[1]);
  if (r.control == MarksControl::kNotControlled && r.note.empty())
    return SpecError(text, form, "missing NOTE: say what was misused");
  *out = r;
  return Status::OK();
}

}  // namespace assay::cli
