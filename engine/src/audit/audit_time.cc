// Audit time and multi-site sampling (assay/audit.h).
#include "assay/audit.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "assay/model.h"
#include "assay/text.h"
#include "util/json_input.h"

namespace assay {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

double HalfDays(double d) { return std::round(d * 2.0) / 2.0; }

Date LastDayOf(const Audit& a) { return a.actual_end.value_or(a.planned_end); }

bool HeldBy(const Audit& a, Date today) {
  return a.status == AuditStatus::kCompleted && a.actual_end && !(today < *a.actual_end);
}

std::string ProblemCount(size_t n) { return std::to_string(n) + (n == 1 ? " problem" : " problems"); }

// The table of a schema-valid document; band problems go to *diags.
void BuildTable(const json& doc, const std::string& path, AuditTimeTable* t, std::vector<Diagnostic>* diags) {
  t->id = doc.at("id").get<std::string>();
  t->version = doc.at("version").get<std::string>();
  t->title = doc.at("title").get<std::string>();
  t->notice = doc.at("notice").get<std::string>();
  t->path = path;
  t->max_reduction = doc.value("max_reduction", t->max_reduction);
  t->surveillance_share = doc.value("surveillance_share", t->surveillance_share);
  t->recertification_share = doc.value("recertification_share", t->recertification_share);
  if (doc.contains("site_sampling")) {
    const json& f = doc.at("site_sampling");
    t->sampling.surveillance_factor = f.value("surveillance_factor", t->sampling.surveillance_factor);
    t->sampling.recertification_factor = f.value("recertification_factor", t->sampling.recertification_factor);
  }
  const json& bands = doc.at("bands");
  for (size_t i = 0; i < bands.size(); ++i) {
    AuditTimeBand b{bands[i].at("max_persons").get<int>(), bands[i].at("days").get<double>()};
    if (!t->bands.empty() && b.max_persons <= t->bands.back().max_persons)
      diags->push_back({path, "/bands/" + std::to_string(i) + "/max_persons", 0, 0,
                        "band " + std::to_string(i + 1) + " (" + std::to_string(b.max_persons) +
                            " persons) does not follow band " + std::to_string(i) + " (" +
                            std::to_string(t->bands.back().max_persons) + " persons): the bands must ascend"});
    else if (!t->bands.empty() && b.days < t->bands.back().days)
      diags->push_back({path, "/bands/" + std::to_string(i) + "/days", 0, 0,
                        "band " + std::to_string(i + 1) + " has fewer days (" + DaysText(b.days) +
                            ") than band " + std::to_string(i) + " (" + DaysText(t->bands.back().days) +
                            "): more persons never need less time"});
    t->bands.push_back(b);
  }
}

}  // namespace

std::string DaysText(double days) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", days);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

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
  t.persons = persons;
  size_t band = table.bands.size() - 1;
  for (size_t i = 0; i < table.bands.size(); ++i)
    if (persons <= table.bands[i].max_persons) {
      band = i;
      break;
    }
  t.base_days = table.bands[band].days;
  t.band_min = band == 0 ? 1 : table.bands[band - 1].max_persons + 1;
  t.band_max = table.bands[band].max_persons;
  for (size_t i = 0; i < adjustments.size(); ++i) {
    if (adjustments[i].reason.find_first_not_of(" \t") == std::string::npos)
      return Status::InvalidInput("audit-time adjustment " + std::to_string(i + 1) + " needs its reason");
    t.sum_adjustment += adjustments[i].fraction;
  }
  // Whole percents arrive as fractions: keep sums such as -0.1 - 0.2 exact
  // enough to compare with the cap.
  t.sum_adjustment = std::round(t.sum_adjustment * 1e6) / 1e6;
  t.net_adjustment = t.sum_adjustment;
  if (t.net_adjustment < -table.max_reduction) {
    t.net_adjustment = -table.max_reduction;
    t.capped = true;
  }
  const double initial = t.base_days * (1.0 + t.net_adjustment);
  t.initial_days = HalfDays(initial);
  t.surveillance_days = HalfDays(initial * table.surveillance_share);
  t.recertification_days = HalfDays(initial * table.recertification_share);
  t.days = t.initial_days;
  if (type == AuditType::kSurveillance) t.days = t.surveillance_days;
  if (type == AuditType::kRecertification) t.days = t.recertification_days;
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

namespace assay {

Status LoadAuditTimeTableFile(const std::string& path, std::shared_ptr<const AuditTimeTable>* out,
                              std::vector<Diagnostic>* diags) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    diags->push_back({path, "", 0, 0, "file not found"});
    return Status::NotFound(path + ": audit-time table file not found");
  }
  const size_t before = diags->size();
  json doc;
  auto refused = [&]() {
    return Status::InvalidInput(path + ": invalid audit-time table (" + ProblemCount(diags->size() - before) + ")");
  };
  if (!internal::ReadJsonFile(path, JsonLimits{}, &doc, diags)) return refused();
  if (!doc.is_object()) {
    diags->push_back({path, "", 0, 0, "expected a JSON object (an audit-time table), got " + internal::JsonTypeName(doc)});
    return refused();
  }
  if (!internal::ValidateSchema("audit-time", doc, path, diags)) return refused();
  auto table = std::make_shared<AuditTimeTable>();
  try {
    BuildTable(doc, path, table.get(), diags);
  } catch (const json::exception& e) {
    // Unreachable after schema validation; kept so that no exception escapes.
    diags->push_back({path, "", 0, 0, std::string("unexpected structure: ") + e.what()});
  }
  table->sha256 = Sha256Hex(doc.dump());
  if (diags->size() != before) return refused();
  *out = std::move(table);
  return Status::OK();
}

Status LoadAuditTimeTable(const std::string& id_or_path, const std::vector<std::string>& search_dirs,
                          std::shared_ptr<const AuditTimeTable>* out, std::vector<Diagnostic>* diags) {
  const bool is_path = id_or_path.find('/') != std::string::npos ||
                       (id_or_path.size() > 5 && id_or_path.compare(id_or_path.size() - 5, 5, ".json") == 0);
  if (is_path) return LoadAuditTimeTableFile(id_or_path, out, diags);
  std::vector<std::string> ids;
  for (const std::string& dir : search_dirs) {
    std::vector<std::string> files;
    std::error_code ec;
    for (fs::directory_iterator it(fs::path(dir) / "audit-time", ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".json") files.push_back(it->path().string());
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) {
      json doc;
      std::vector<Diagnostic> ignored;
      if (!internal::ReadJsonFile(f, JsonLimits{}, &doc, &ignored) || !doc.is_object()) continue;
      const json id = doc.value("id", json());
      if (!id.is_string()) continue;
      if (id.get<std::string>() == id_or_path) return LoadAuditTimeTableFile(f, out, diags);
      ids.push_back(id.get<std::string>());
    }
  }
  std::string where;
  for (const std::string& d : search_dirs) where += (where.empty() ? "" : ", ") + d;
  if (where.empty()) where = "no search directories";
  return Status::NotFound("audit-time table " + Quote(id_or_path) + " not found in the audit-time/ directories of " +
                          where + SuggestionSuffix(id_or_path, ids));
}

Status ClientAuditTimeFor(const Client& client, const AuditTimeTable& table, AuditType type, AuditTime* out) {
  if (!client.audit_time)
    return Status::InvalidInput("client " + Quote(client.id) + " has no audit-time calculation (persons in scope)")
        .About("client", client.id, {}, "audit-time");
  std::vector<AuditTimeAdjustment> adjustments;
  for (const AuditTimeAdjustmentRecord& a : client.audit_time->adjustments)
    adjustments.push_back({a.percent / 100.0, a.reason});
  Status s = ComputeAuditTime(table, client.audit_time->persons, adjustments, type, out);
  if (!s.ok()) return Status::InvalidInput("client " + Quote(client.id) + ": " + s.message());
  return Status::OK();
}

std::vector<AuditDays> AuditDaysOf(const ClientAuditData& c, const AuditTimeTable& table) {
  std::vector<AuditDays> out;
  AuditTime t;
  if (!ClientAuditTimeFor(c.client, table, AuditType::kStage2, &t).ok()) return out;
  for (const AuditRecord& r : c.audits) {
    const Audit& a = r.audit;
    if (a.status == AuditStatus::kCancelled || a.type == AuditType::kStage1 || a.type == AuditType::kSpecial) continue;
    AuditDays d;
    d.audit = a.id;
    d.type = a.type;
    d.status = a.status;
    d.required = a.type == AuditType::kSurveillance      ? t.surveillance_days
                 : a.type == AuditType::kRecertification ? t.recertification_days
                                                         : t.initial_days;
    d.planned = r.audit_days;
    if (a.type == AuditType::kStage2 && d.planned) {
      // The client's latest stage 1 that ended by the stage 2's first day.
      const AuditRecord* stage1 = nullptr;
      const Date first = a.actual_start.value_or(a.planned_start);
      for (const AuditRecord& s1 : c.audits)
        if (s1.audit.type == AuditType::kStage1 && s1.audit.status != AuditStatus::kCancelled &&
            !(first < LastDayOf(s1.audit)) && (!stage1 || LastDayOf(stage1->audit) < LastDayOf(s1.audit)))
          stage1 = &s1;
      if (stage1 && stage1->audit_days) *d.planned += *stage1->audit_days;
    }
    d.below = d.planned && *d.planned + 1e-9 < d.required;
    d.justification = r.audit_days_justification;
    out.push_back(d);
  }
  return out;
}

Status CheckAuditDays(const ClientAuditData& c, const AuditTimeTable& table) {
  for (const AuditDays& d : AuditDaysOf(c, table)) {
    if (!d.below || d.status == AuditStatus::kCompleted) continue;
    if (d.justification.find_first_not_of(" \t\r\n") != std::string::npos) continue;
    const bool initial = d.type == AuditType::kStage2;
    return Status::InvalidInput("audit " + Quote(d.audit) + " plans " + DaysText(*d.planned) + " audit days" +
                                (initial ? " with its stage 1" : "") + ", below the " + DaysText(d.required) +
                                " days of the audit-time calculation for " +
                                (initial ? std::string("an initial audit (stage 1 + stage 2)")
                                         : "a " + std::string(AuditTypeName(d.type)) + " audit") +
                                "; record why (the justification)")
        .About("audit", d.audit, {}, "days");
  }
  return Status::OK();
}

SiteCoverage CycleSiteCoverage(const ClientAuditData& c, const SiteSampling& sampling, Date today) {
  SiteCoverage out;
  const std::vector<ClientSite>& sites = c.client.sites;
  if (sites.empty()) return out;
  for (const ClientSite& s : sites)
    if (s.central) out.central = s.id;
  std::set<std::string> visited, planned;
  for (const AuditRecord* r : CycleAudits(c, today)) {
    AuditSites e;
    e.audit = r->audit.id;
    e.type = r->audit.type;
    e.held = HeldBy(r->audit, today);
    if (r->sites.empty())
      for (const ClientSite& s : sites) e.sites.push_back(s.id);
    else
      e.sites = r->sites;
    if (!SitesToSample(static_cast<int>(sites.size()), e.type, sampling, &e.required).ok()) e.required = 1;
    e.central_visited =
        out.central.empty() || std::find(e.sites.begin(), e.sites.end(), out.central) != e.sites.end();
    for (const std::string& s : e.sites) (e.held ? visited : planned).insert(s);
    out.audits.push_back(std::move(e));
  }
  for (const ClientSite& s : sites) {
    if (visited.count(s.id)) continue;
    out.not_visited.push_back(s.id);
    if (!planned.count(s.id)) out.not_planned.push_back(s.id);
  }
  return out;
}

}  // namespace assay

namespace assay {

Status ComputeReportTimeAndSites(const ClientAuditData& c, const AuditTimeTable& table, const std::string& audit,
                                 Date report_date, ReportTimeAndSites* out) {
  *out = ReportTimeAndSites();
  const AuditRecord* a = c.FindAudit(audit);
  if (!a) return Status::NotFound("client " + Quote(c.client.id) + " has no audit " + Quote(audit)).About("audit", audit);
  out->table = table.id + " " + table.version;
  out->table_sha256 = table.sha256;
  out->notice = table.notice;
  if (const auto& rec = c.client.audit_time; rec && !rec->table_sha256.empty() && !table.sha256.empty() &&
                                             (rec->table_sha256 != table.sha256 || rec->table_id != table.id))
    out->recorded_table = rec->table_id + " " + rec->table_version + " (SHA-256 " + rec->table_sha256.substr(0, 12) + ")";
  out->max_reduction = table.max_reduction;
  AuditTime t;
  if (ClientAuditTimeFor(c.client, table, a->audit.type, &t).ok()) {
    out->time = t;
    out->adjustments = c.client.audit_time->adjustments;
    for (const AuditDays& d : AuditDaysOf(c, table))
      if (d.audit == audit) out->days = d;
  }
  out->sites = c.client.sites;
  if (out->sites.empty()) return Status::OK();
  if (a->sites.empty())
    for (const ClientSite& s : c.client.sites) out->visited.push_back(s.id);
  else
    out->visited = a->sites;
  if (!SitesToSample(static_cast<int>(out->sites.size()), a->audit.type, table.sampling, &out->required_sites).ok())
    out->required_sites = 1;
  out->coverage = CycleSiteCoverage(c, table.sampling, report_date);
  return Status::OK();
}

}  // namespace assay
