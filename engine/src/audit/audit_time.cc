// Audit time and multi-site sampling (assay/audit_time.h).
#include "assay/audit_time.h"

#include <algorithm>
#include <cmath>

namespace assay {

Status ComputeAuditTime(const AuditTimeTable& table, int persons, const std::vector<AuditTimeAdjustment>& adjustments,
                        AuditType type, AuditTime* out) {
  if (table.bands.empty()) return Status::InvalidInput("the audit-time table has no bands");
  for (size_t i = 1; i < table.bands.size(); ++i)
    if (table.bands[i].max_persons <= table.bands[i - 1].max_persons)
      return Status::InvalidInput("the audit-time table's bands must ascend: band " + std::to_string(i + 1) + " (" +
                                  std::to_string(table.bands[i].max_persons) + " persons) follows " +
                                  std::to_string(table.bands[i - 1].max_persons));
  if (persons < 1)
    return Status::InvalidInput("the number of persons in scope must be at least 1, got " + std::to_string(persons));
  AuditTime t;
  t.base_days = table.bands.back().days;
  for (const AuditTimeBand& b : table.bands)
    if (persons <= b.max_persons) {
      t.base_days = b.days;
      break;
    }
  for (size_t i = 0; i < adjustments.size(); ++i) {
    if (adjustments[i].reason.find_first_not_of(" \t") == std::string::npos)
      return Status::InvalidInput("audit-time adjustment " + std::to_string(i + 1) + " needs its reason");
    t.net_adjustment += adjustments[i].fraction;
  }
  if (t.net_adjustment < -table.max_reduction) {
    t.net_adjustment = -table.max_reduction;
    t.capped = true;
  }
  auto half_days = [](double d) { return std::round(d * 2.0) / 2.0; };
  t.initial_days = half_days(t.base_days * (1.0 + t.net_adjustment));
  double share = 1.0;
  if (type == AuditType::kSurveillance) share = table.surveillance_share;
  if (type == AuditType::kRecertification) share = table.recertification_share;
  t.days = half_days(t.base_days * (1.0 + t.net_adjustment) * share);
  *out = t;
  return Status::OK();
}

Status SitesToSample(int sites, AuditType type, const SiteSampling& sampling, int* out) {
  if (sites < 1) return Status::InvalidInput("a client has at least 1 site, got " + std::to_string(sites));
  double n = std::sqrt(static_cast<double>(sites));
  if (type == AuditType::kSurveillance) n *= sampling.surveillance_factor;
  if (type == AuditType::kRecertification) n *= sampling.recertification_factor;
  // Rounded up; a tiny tolerance keeps exact squares (e.g. sqrt(25) * 0.6 = 3)
  // from rounding up by floating-point noise.
  const int k = static_cast<int>(std::ceil(n - 1e-9));
  *out = std::clamp(k, 1, sites);
  return Status::OK();
}

std::vector<std::string> SitesNotVisited(const Client& client, const std::vector<AuditRecord>& audits) {
  std::vector<std::string> out;
  for (const ClientSite& s : client.sites) {
    bool visited = false;
    for (const AuditRecord& a : audits) {
      if (a.audit.status != AuditStatus::kCompleted) continue;
      if (a.sites.empty() || std::find(a.sites.begin(), a.sites.end(), s.id) != a.sites.end()) visited = true;
    }
    if (!visited) out.push_back(s.id);
  }
  return out;
}

}  // namespace assay
