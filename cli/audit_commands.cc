// assay audit ...: ISO/IEC 20000-1 certification audits (clients, sites,
// certificates, audits, team, findings, nonconformities, programme,
// recommendation, decision, report, import and export). docs/AUDIT.md.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "assay/audit.h"
#include "assay/audit_store.h"
#include "assay/rating.h"
#include "assay/reports/audit_exports.h"
#include "assay/reports/audit_report.h"
#include "assay/reports/pdf.h"
#include "assay/reports/xlsx.h"
#include "assay/text.h"
#include "audit_specs.h"
#include "cli.h"
#include "commands.h"

namespace assay::cli {

namespace {

using nlohmann::json;

constexpr const char* kCatalogueId = "iso20000-1-2018";

const char* kAuditExitCodes =
    "Exit codes: 0 done, 2 usage, 3 invalid input (bad value, illegal transition, a decision maker\n"
    "who was on the audit team, a heading given as a clause, import problems, --out exists without\n"
    "--force), 4 not found (no workspace, unknown client, audit, nonconformity, certificate or clause;\n"
    "the message names the nearest), 6 storage or I/O.";

// The session, the audit store and (when asked for) the requirement catalogue.
// The session, the audit store, the audit-time table and (when asked for)
// the requirement catalogue.
struct AuditSession {
  std::unique_ptr<Session> session;
  std::shared_ptr<const Catalogue> catalogue;
  std::shared_ptr<const AuditTimeTable> time_table;
  std::unique_ptr<AuditStore> store;
};

// The audit-time table: `id_or_path`, else the one with the bundled ID in
// the model directories (a body's own table of that ID in a directory
// searched first replaces assay's exemplar values).
Status LoadTimeTable(const Session& session, const std::string& id_or_path,
                     std::shared_ptr<const AuditTimeTable>* out) {
  std::vector<Diagnostic> diags;
  Status s = LoadAuditTimeTable(id_or_path.empty() ? kDefaultAuditTimeTable : id_or_path,
                                session.library.search_dirs(), out, &diags);
  if (!s.ok()) PrintDiagnostics(diags);
  return s;
}

Status OpenAudit(const GlobalOptions& global, bool create, bool need_catalogue, AuditSession* out,
                 const std::string& time_table = "") {
  ASSAY_RETURN_IF_ERROR(OpenSession(global, create, &out->session));
  if (need_catalogue) {
    std::vector<Diagnostic> diags;
    Status s = LoadCatalogue(kCatalogueId, out->session->library.search_dirs(), &out->catalogue, &diags);
    if (!s.ok()) {
      PrintDiagnostics(diags);
      return s;
    }
  }
  ASSAY_RETURN_IF_ERROR(LoadTimeTable(*out->session, time_table, &out->time_table));
  out->store =
      std::make_unique<AuditStore>(out->session->ws.get(), out->catalogue.get(), out->time_table.get());
  return Status::OK();
}

// The option of `assay audit policy` that sets a policy field.
std::string PolicyOption(const std::string& field) {
  static const std::map<std::string, std::string> options = {{"major_action_days", "major-days"},
                                                             {"minor_plan_days", "minor-days"},
                                                             {"reminder_lead_days", "reminder-days"},
                                                             {"systemic_minor_threshold", "systemic-minors"},
                                                             {"planning_window_months", "window-months"},
                                                             {"allow_opportunities", "allow-opportunities"},
                                                             {"renewal_keeps_expiry", "renewal-keeps-expiry"}};
  auto it = options.find(field);
  return it == options.end() ? field : it->second;
}

// The options that give the fields of a nonconformity's plan.
std::string PlanOption(const std::string& field) {
  if (field == "correction") return "--correction";
  if (field == "root_cause") return "--root-cause";
  return "--action";
}

// An audit-store error as the audit commands show it: the engine's message
// with the hints of this command line, chosen by what the error is about.
Status WithHint(const Status& s) {
  const Status::Subject& about = s.subject();
  if (about.kind == "client" && about.reason == "none-yet")
    return s.Reworded(s.message() + "; add one with: assay audit client add ID --name NAME --scope SCOPE");
  if (about.kind == "audit" && about.reason == "stage1")
    return s.Reworded(s.message() + " (assay audit update " + about.id + " --stage1-exception REASON)");
  if (about.kind == "audit" && about.reason == "competence")
    return s.Reworded(s.message() + ": assay audit team add " + about.id +
                      " PERSON --role technical-expert, or assay audit update " + about.id +
                      " --competence-justification TEXT");
  if (about.kind == "audit" && about.reason == "days")
    return s.Reworded(s.message() + ": assay audit update " + about.id + " --days-justification TEXT");
  if (about.kind == "client" && about.reason == "audit-time")
    return s.Reworded(s.message() + "; record them with: assay audit time " + about.id +
                           " --persons N [--adjust PERCENT:REASON]...");
  if (about.kind == "certificate" && about.reason == "required")
    return s.Reworded(s.message() + " (--certificate NUMBER)");
  if (about.kind == "nc" && about.reason == "required") {
    // "...; missing: correction, root cause" names each field's option.
    const size_t at = s.message().rfind("missing: ");
    if (at == std::string::npos) return s;
    std::string list;
    for (const std::string& field : about.nearest) {
      std::string words = field;
      std::replace(words.begin(), words.end(), '_', ' ');
      list += (list.empty() ? "" : ", ") + words + " (" + PlanOption(field) + ")";
    }
    return s.Reworded(s.message().substr(0, at) + "missing: " + list);
  }
  return s;
}

// Prints the problems of an audit import, each policy field that differs
// from the workspace's with the command that aligns them.
void PrintImportProblems(const AuditImportReport& report) {
  for (size_t i = 0; i < report.problems.size(); ++i) {
    Diagnostic d = report.problems[i];
    if (i < report.about.size()) {
      const Status::Subject& about = report.about[i];
      if (about.kind == "policy" && about.reason == "conflict" && !about.nearest.empty())
        d.message += "; align them first, e.g. assay audit policy --" + PolicyOption(about.id) + " " + about.nearest[0];
    }
    std::cerr << d.ToString() << "\n";
  }
}

template <typename F>
int WithAudit(const GlobalOptions& global, bool create, bool need_catalogue, F body) {
  AuditSession as;
  Status s = OpenAudit(global, create, need_catalogue, &as);
  if (!s.ok()) return Fail(WithHint(s));
  s = body(as);
  return s.ok() ? kExitOk : Fail(WithHint(s));
}

// "today": --today/--date when given, else the UTC date of the clock.
Status DateOr(const std::string& text, Date* out, const char* what) {
  std::string t = text.empty() ? NowUtc().substr(0, 10) : text;
  Status s = Date::Parse(t, out);
  if (!s.ok()) return Status::InvalidInput(std::string(what) + ": " + s.message());
  return Status::OK();
}

Status OptDate(const std::string& text, std::optional<Date>* out, const char* what) {
  if (text.empty()) return Status::OK();
  Date d;
  Status s = Date::Parse(text, &d);
  if (!s.ok()) return Status::InvalidInput(std::string(what) + ": " + s.message());
  *out = d;
  return Status::OK();
}

std::string Opt(const std::optional<Date>& d) { return d ? d->ToString() : std::string("-"); }

// ---- clients and sites -----------------------------------------------------------

int RunClientAdd(const GlobalOptions& global, const Client& c) {
  return WithAudit(global, true, false, [&](AuditSession& as) {
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(as.store->AddClient(c, &r));
    std::cerr << "client " << c.id << ": " << Done(r) << "\n";
    return Status::OK();
  });
}

int RunClientList(const GlobalOptions& global) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    std::vector<Client> clients;
    ASSAY_RETURN_IF_ERROR(as.store->ListClients(&clients));
    if (clients.empty()) {
      std::cerr << "no audit clients; add one with: assay audit client add ID --name NAME --scope SCOPE\n";
      return Status::OK();
    }
    // Columns as wide as their longest entry: an ID or a name never runs
    // into the next column.
    std::vector<std::vector<std::string>> rows = {{"CLIENT", "NAME", "SITES"}};
    for (const Client& c : clients) rows.push_back({c.id, c.name, std::to_string(c.sites.size())});
    PrintTable(rows);
    return Status::OK();
  });
}

int RunClientShow(const GlobalOptions& global, const std::string& id, const std::string& today_text) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    Date today;
    ASSAY_RETURN_IF_ERROR(DateOr(today_text, &today, "--today"));
    ClientAuditData c;
    ASSAY_RETURN_IF_ERROR(as.store->ReadClient(id, &c));
    std::cout << "Client " << c.client.id << ": " << c.client.name << "\n";
    if (!c.client.address.empty()) std::cout << "  address: " << c.client.address << "\n";
    if (!c.client.representative.empty()) std::cout << "  representative: " << c.client.representative << "\n";
    std::cout << "  scope: " << c.client.scope << "\n";
    for (const ClientSite& s : c.client.sites)
      std::cout << "  site " << s.id << ": " << s.name << (s.address.empty() ? "" : ", " + s.address)
                << (s.central ? " (central function)" : "") << (s.since ? " (since " + s.since->ToString() + ")" : "")
                << "\n";
    for (const CertificateRecord& x : c.certificates)
      std::cout << "Certificate " << x.certificate.number << ": " << CertificateStatusName(x.certificate.status)
                << ", issued " << x.certificate.issue_date << ", expires " << x.certificate.expiry_date << "\n";
    std::cout << "Audits:\n";
    for (const AuditRecord& a : c.audits) {
      int n = 0;
      for (const Finding& f : c.findings) n += f.audit_id == a.audit.id;
      std::cout << "  " << std::left << std::setw(14) << a.audit.id << std::setw(17) << AuditTypeName(a.audit.type)
                << std::setw(12) << AuditStatusName(a.audit.status) << a.audit.planned_start << ".."
                << a.audit.planned_end;
      if (a.audit.actual_end) std::cout << " (held " << Opt(a.audit.actual_start) << ".." << *a.audit.actual_end << ")";
      std::cout << ", " << n << " finding" << (n == 1 ? "" : "s") << "\n";
    }
    for (const DecisionRecord& d : c.decisions)
      std::cout << "Decision " << d.decision.date << " (" << DecisionKindName(d.decision.kind) << ") on audit "
                << d.audit << " by " << d.decision.decided_by
                << (d.certificate.empty() ? "" : ", certificate " + d.certificate) << "\n";
    AuditPolicy policy;
    ASSAY_RETURN_IF_ERROR(as.store->GetPolicy(&policy));
    int overdue = 0;
    for (const NonconformityRecord& n : c.nonconformities) overdue += IsOverdue(n.nc, today);
    std::cout << "Nonconformities: " << c.nonconformities.size() << " (" << overdue << " overdue on " << today << ")\n";
    return Status::OK();
  });
}

int RunSiteAdd(const GlobalOptions& global, const std::string& client, const ClientSite& given,
               const std::string& since) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    ClientSite site = given;
    ASSAY_RETURN_IF_ERROR(OptDate(since, &site.since, "--since"));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(as.store->AddSite(client, site, &r));
    std::cerr << "site " << site.id << " of client " << client << (site.central ? " (central function)" : "")
              << ": added\n";
    return Status::OK();
  });
}

struct DeclareArgs {
  std::string client, person, kind, from, until, note, date;
};

int RunDeclare(const GlobalOptions& global, const DeclareArgs& a) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    RelationshipDeclaration d;
    d.person = a.person;
    d.note = a.note;
    ASSAY_RETURN_IF_ERROR(ParseRelationshipKind(a.kind, &d.kind));
    ASSAY_RETURN_IF_ERROR(DateOr(a.from, &d.from, "--from"));
    ASSAY_RETURN_IF_ERROR(OptDate(a.until, &d.until, "--until"));
    ASSAY_RETURN_IF_ERROR(DateOr(a.date, &d.declared, "--date"));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(as.store->Declare(a.client, d, &r));
    std::cerr << a.kind << " relationship of " << a.person << " with client " << a.client << " from " << d.from
              << (d.until ? " until " + d.until->ToString() : std::string()) << ": declared\n";
    return Status::OK();
  });
}

// ---- policy ------------------------------------------------------------------------

struct PolicyArgs {
  std::optional<int> major_days, minor_days, reminder_days, systemic, window;
  std::optional<bool> allow_opportunities, renewal_keeps_expiry;
  std::string body_name, body_address, accreditation;
  bool set = false;
};

int RunPolicy(const GlobalOptions& global, const PolicyArgs& a) {
  return WithAudit(global, a.set, false, [&](AuditSession& as) {
    AuditPolicy p;
    ASSAY_RETURN_IF_ERROR(as.store->GetPolicy(&p));
    if (a.set) {
      if (a.major_days) p.policy.major_action_days = *a.major_days;
      if (a.minor_days) p.policy.minor_plan_days = *a.minor_days;
      if (a.reminder_days) p.policy.reminder_lead_days = *a.reminder_days;
      if (a.systemic) p.policy.systemic_minor_threshold = *a.systemic;
      if (a.window) p.policy.planning_window_months = *a.window;
      if (a.allow_opportunities) p.policy.allow_opportunities = *a.allow_opportunities;
      if (a.renewal_keeps_expiry) p.policy.renewal_keeps_expiry = *a.renewal_keeps_expiry;
      if (!a.body_name.empty()) p.body.name = a.body_name;
      if (!a.body_address.empty()) p.body.address = a.body_address;
      if (!a.accreditation.empty()) p.body.accreditation = a.accreditation;
      WriteResult r;
      ASSAY_RETURN_IF_ERROR(as.store->SetPolicy(p, &r));
      std::cerr << "policy: " << Done(r) << "\n";
    }
    std::cout << "certification body: " << (p.body.name.empty() ? "(not set)" : p.body.name) << "\n"
              << "major_action_days: " << p.policy.major_action_days << "\n"
              << "minor_plan_days: " << p.policy.minor_plan_days << "\n"
              << "reminder_lead_days: " << p.policy.reminder_lead_days << "\n"
              << "systemic_minor_threshold: " << p.policy.systemic_minor_threshold << "\n"
              << "planning_window_months: " << p.policy.planning_window_months << "\n"
              << "allow_opportunities: " << (p.policy.allow_opportunities ? "true" : "false") << "\n"
              << "renewal_keeps_expiry: " << (p.policy.renewal_keeps_expiry ? "true" : "false") << "\n";
    return Status::OK();
  });
}

// ---- audits and team ---------------------------------------------------------------

struct AuditArgs {
  std::string id, client, type, status, planned_start, planned_end, actual_start, actual_end, scope, assessment,
      conclusion, deviation, reason, sample, sample_clause, combination, marks, stage1_exception, days,
      days_justification, competence_justification;
  std::vector<std::string> sites, objectives, criteria, programme_issues, accompanying, activities, changes, unresolved;
};

// Prefixes a spec parser's error with the option it came from.
Status OptionError(const char* option, const Status& s) {
  return s.ok() ? s : Status::InvalidInput(std::string(option) + " " + s.message());
}

// Adds the report items h, i, j, l, m, n, q given on the command line to *r
// (lists are appended to, the combination and marks replaced).
Status AddReportItems(const AuditArgs& a, AuditRecord* r) {
  for (const std::string& t : a.programme_issues) r->programme_issues.push_back(t);
  for (const std::string& t : a.accompanying) {
    AccompanyingPerson x;
    ASSAY_RETURN_IF_ERROR(OptionError("--accompanying", ParseAccompanyingSpec(t, &x)));
    r->accompanying.push_back(x);
  }
  for (const std::string& t : a.activities) {
    AuditActivityRecord x;
    ASSAY_RETURN_IF_ERROR(OptionError("--activity", ParseActivitySpec(t, &x)));
    r->activities.push_back(x);
  }
  std::stable_sort(r->activities.begin(), r->activities.end(),
                   [](const AuditActivityRecord& x, const AuditActivityRecord& y) { return x.date < y.date; });
  for (const std::string& t : a.changes) r->changes.push_back(t);
  for (const std::string& t : a.unresolved) r->unresolved_issues.push_back(t);
  if (!a.combination.empty()) {
    AuditCombinationRecord x;
    ASSAY_RETURN_IF_ERROR(OptionError("--combination", ParseCombinationSpec(a.combination, &x)));
    r->combination = x;
  }
  if (!a.marks.empty()) {
    MarksUseRecord x;
    ASSAY_RETURN_IF_ERROR(OptionError("--marks", ParseMarksSpec(a.marks, &x)));
    r->marks = x;
  }
  if (!a.days.empty()) {
    size_t used = 0;
    double d = 0;
    try {
      d = std::stod(a.days, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != a.days.size() || !(d > 0 && d <= 1000))
      return Status::InvalidInput("--days " + Quote(a.days) +
                                  ": expected the planned audit days, a number above 0 and at most 1000, e.g. 2.5");
    r->audit_days = d;
  }
  if (!a.days_justification.empty()) {
    if (a.days_justification.find_first_not_of(" \t") == std::string::npos)
      return Status::InvalidInput("--days-justification needs the reason the planned days are below the calculation");
    r->audit_days_justification = a.days_justification;
  }
  if (!a.competence_justification.empty()) {
    if (a.competence_justification.find_first_not_of(" \t") == std::string::npos)
      return Status::InvalidInput(
          "--competence-justification needs the reason the team was accepted with its competence gaps");
    r->competence_justification = a.competence_justification;
  }
  if (!a.stage1_exception.empty()) {
    if (r->audit.type != AuditType::kStage2)
      return Status::InvalidInput("--stage1-exception applies to a stage 2 audit; audit '" + r->audit.id + "' is a " +
                                  std::string(AuditTypeName(r->audit.type)) + " audit");
    if (a.stage1_exception.find_first_not_of(" \t") == std::string::npos)
      return Status::InvalidInput("--stage1-exception needs the reason for the exception");
    r->stage1_exception = a.stage1_exception;
  }
  return Status::OK();
}

// The options of the report items, shared by `audit add` and `audit update`.
void AddReportItemOptions(CLI::App* cmd, AuditArgs* a) {
  cmd->add_option("--activity", a->activities,
                  "j) An audit activity DATE:MODE:PLACE[:WHAT]; MODE on-site, off-site or remote; PLACE a site ID "
                  "or text, e.g. '2025-03-11:on-site:LEJ:Opening meeting' (repeatable)");
  cmd->add_option("--accompanying", a->accompanying,
                  "i) A person accompanying the team ROLE:NAME[:ORGANIZATION]; ROLE guide, interpreter or observer "
                  "(repeatable)");
  cmd->add_option("--programme-issue", a->programme_issues,
                  "h) A significant issue affecting the audit programme (repeatable)");
  cmd->add_option("--change", a->changes, "l) A significant change since the last audit (repeatable)");
  cmd->add_option("--unresolved", a->unresolved, "m) An unresolved issue (repeatable)");
  cmd->add_option("--combination", a->combination,
                  "n) KIND[:DETAILS]; KIND single, combined, joint or integrated, e.g. 'combined:ISO 9001:2015, "
                  "same team'");
  cmd->add_option("--marks", a->marks,
                  "q) Use of certification documents and marks CONTROL[:NOTE]; CONTROL controlled, not-controlled "
                  "or not-applicable");
  cmd->add_option("--days", a->days,
                  "The audit days planned (8 hours each, the whole team), checked against the client's audit-time "
                  "calculation (assay audit time)");
  cmd->add_option("--days-justification", a->days_justification,
                  "Why the planned days are below the audit-time calculation (required then)");
  cmd->add_option("--competence-justification", a->competence_justification,
                  "Why the team was accepted although its competence does not cover the client's technical areas "
                  "(required for a certification decision on the audit then)");
  cmd->add_option("--stage1-exception", a->stage1_exception,
                  "A stage 2 held without a completed stage 1: the reason for the exception (recorded with the "
                  "audit)");
}

int RunAuditAdd(const GlobalOptions& global, const AuditArgs& a) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    AuditRecord r;
    r.audit.id = a.id;
    ASSAY_RETURN_IF_ERROR(ParseAuditType(a.type, &r.audit.type));
    ASSAY_RETURN_IF_ERROR(DateOr(a.planned_start, &r.audit.planned_start, "--start"));
    r.audit.planned_end = r.audit.planned_start;
    if (!a.planned_end.empty()) ASSAY_RETURN_IF_ERROR(DateOr(a.planned_end, &r.audit.planned_end, "--end"));
    r.sites = a.sites;
    r.objectives = a.objectives;
    r.criteria = a.criteria;
    r.scope = a.scope;
    r.assessment = a.assessment;
    ASSAY_RETURN_IF_ERROR(AddReportItems(a, &r));
    WriteResult w;
    ASSAY_RETURN_IF_ERROR(as.store->AddAudit(a.client, r, &w));
    std::cerr << "audit " << a.id << " (" << a.type << ") of client " << a.client << ": " << Done(w) << "\n";
    return Status::OK();
  });
}

int RunAuditUpdate(const GlobalOptions& global, const AuditArgs& a) {
  return WithAudit(global, false, !a.sample_clause.empty(), [&](AuditSession& as) {
    std::string client;
    ASSAY_RETURN_IF_ERROR(as.store->FindAudit(a.id, &client));
    ClientAuditData c;
    ASSAY_RETURN_IF_ERROR(as.store->ReadClient(client, &c));
    AuditRecord r = *c.FindAudit(a.id);
    if (!a.status.empty()) ASSAY_RETURN_IF_ERROR(ParseAuditStatus(a.status, &r.audit.status));
    ASSAY_RETURN_IF_ERROR(OptDate(a.actual_start, &r.audit.actual_start, "--actual-start"));
    ASSAY_RETURN_IF_ERROR(OptDate(a.actual_end, &r.audit.actual_end, "--actual-end"));
    if (!a.planned_start.empty()) ASSAY_RETURN_IF_ERROR(DateOr(a.planned_start, &r.audit.planned_start, "--start"));
    if (!a.planned_end.empty()) ASSAY_RETURN_IF_ERROR(DateOr(a.planned_end, &r.audit.planned_end, "--end"));
    for (const std::string& s : a.sites)
      if (std::find(r.sites.begin(), r.sites.end(), s) == r.sites.end()) r.sites.push_back(s);
    for (const std::string& s : a.objectives) r.objectives.push_back(s);
    for (const std::string& s : a.criteria) r.criteria.push_back(s);
    if (!a.scope.empty()) r.scope = a.scope;
    if (!a.assessment.empty()) r.assessment = a.assessment;
    if (!a.conclusion.empty()) r.conclusion = a.conclusion;
    if (!a.deviation.empty() || !a.reason.empty()) {
      if (a.deviation.empty() || a.reason.empty())
        return Status::InvalidInput("a deviation from the audit plan needs both --deviation and --reason");
      r.deviations.push_back({a.deviation, a.reason});
    }
    if (!a.sample.empty())
      r.sampled.push_back({a.sample_clause, a.sample});
    else if (!a.sample_clause.empty())
      return Status::InvalidInput("--sample-clause needs --sample DESCRIPTION");
    ASSAY_RETURN_IF_ERROR(AddReportItems(a, &r));
    WriteResult w;
    ASSAY_RETURN_IF_ERROR(as.store->UpdateAudit(r, &w));
    std::cerr << "audit " << a.id << ": " << Done(w) << "\n";
    return Status::OK();
  });
}

// What the team of `audit` covers of its client's technical areas, what is
// missing, and lapsed qualifications (stderr; nothing when the client names
// no technical area).
void PrintTeamCompetence(AuditSession& as, const std::string& audit) {
  std::string client;
  ClientAuditData c;
  std::vector<RegisteredPerson> people;
  if (!as.store->FindAudit(audit, &client).ok() || !as.store->ReadClient(client, &c).ok() ||
      !as.session->ws->ListPeople(&people).ok() || c.client.technical_areas.empty())
    return;
  const TeamCompetence tc = CheckTeamCompetence(c.client, *c.FindAudit(audit), people);
  std::vector<std::string> covered;
  for (const auto& [area, who] : tc.covered) covered.push_back(area + " (" + Join(who) + ")");
  std::cerr << "team competence for audit " << audit << ": covered: " << (covered.empty() ? "none" : Join(covered, "; "))
            << "\n";
  if (!tc.missing.empty()) std::cerr << "warning: no team member is competent in: " << Join(tc.missing) << "\n";
  for (const std::string& q : tc.lapsed) std::cerr << "warning: qualification lapsed before the audit: " << q << "\n";
  if (!tc.unknown.empty())
    std::cerr << "warning: not in the registry of people (no recorded competence): " << Join(tc.unknown) << "\n";
  if (tc.HasGap())
    std::cerr << "warning: "
              << (tc.justification.find_first_not_of(" \t") == std::string::npos
                      ? "a certification decision on audit " + audit +
                            " is refused until the gaps are closed (a technical expert, another auditor) or a "
                            "justification is recorded (--competence-justification)"
                      : "the gaps are justified: " + tc.justification)
              << "\n";
}

int RunTeamAdd(const GlobalOptions& global, const std::string& audit, const std::string& person,
               const std::string& role) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    TeamMember m;
    m.person = person;
    ASSAY_RETURN_IF_ERROR(ParseTeamRole(role, &m.role));
    WriteResult w;
    ASSAY_RETURN_IF_ERROR(as.store->AddTeamMember(audit, m, &w));
    std::cerr << person << " (" << role << ") on audit " << audit << ": added\n";
    PrintTeamCompetence(as, audit);
    return Status::OK();
  });
}

// ---- findings and nonconformities ------------------------------------------------------

struct FindingArgs {
  std::string id, audit, clause, grade, statement, date, nc;
  std::vector<std::string> evidence;
};

int RunFindingAdd(const GlobalOptions& global, const FindingArgs& a) {
  return WithAudit(global, false, true, [&](AuditSession& as) {
    Finding f;
    f.id = a.id;
    f.audit_id = a.audit;
    f.clause = a.clause;
    f.statement = a.statement;
    f.evidence_ids = a.evidence;
    ASSAY_RETURN_IF_ERROR(ParseFindingGrade(a.grade, &f.grade));
    if (!a.date.empty()) ASSAY_RETURN_IF_ERROR(DateOr(a.date, &f.date, "--date"));
    WriteResult w;
    std::string nc;
    ASSAY_RETURN_IF_ERROR(as.store->AddFinding(f, a.nc, &w, &nc));
    std::cerr << "finding " << a.id << " (" << a.grade << ", clause " << a.clause << "): " << Done(w) << "\n";
    if (!nc.empty()) {
      std::string client;
      ASSAY_RETURN_IF_ERROR(as.store->FindNonconformity(nc, &client));
      ClientAuditData c;
      ASSAY_RETURN_IF_ERROR(as.store->ReadClient(client, &c));
      const NonconformityRecord* n = c.FindNonconformity(nc);
      std::cerr << "nonconformity " << nc << " raised: open, due " << n->nc.due_date << "\n";
    }
    ClientAuditData c;
    std::string client;
    ASSAY_RETURN_IF_ERROR(as.store->FindAudit(a.audit, &client));
    ASSAY_RETURN_IF_ERROR(as.store->ReadClient(client, &c));
    AuditPolicy p;
    ASSAY_RETURN_IF_ERROR(as.store->GetPolicy(&p));
    std::vector<Finding> of_audit;
    for (const Finding& x : c.findings)
      if (x.audit_id == a.audit) of_audit.push_back(x);
    for (const SystemicWarning& w2 : SystemicWarnings(of_audit, p.policy))
      std::cerr << "warning: " << w2.message << "\n";
    return Status::OK();
  });
}

void PrintNc(const NonconformityRecord& n, const Finding* f, Date today, const CertificationPolicy& policy) {
  const Nonconformity& nc = n.nc;
  std::cout << "Nonconformity " << nc.id << " (" << FindingGradeName(nc.grade) << ")\n";
  if (f) {
    std::cout << "  finding: " << f->id << " of audit " << f->audit_id << ", clause " << f->clause << "\n";
    std::cout << "  statement: " << f->statement << "\n";
  }
  std::cout << "  state: " << NonconformityStateName(nc.state) << "\n";
  std::cout << "  raised: " << nc.raised << ", due: " << nc.due_date;
  if (IsOverdue(nc, today))
    std::cout << " (OVERDUE on " << today << ")";
  else if (ReminderDue(nc, today, policy))
    std::cout << " (reminder: due within " << policy.reminder_lead_days << " days)";
  std::cout << "\n";
  std::cout << "  correction: " << (n.correction.empty() ? "-" : n.correction) << "\n";
  std::cout << "  root cause: " << (n.root_cause.empty() ? "-" : n.root_cause) << "\n";
  std::cout << "  corrective action: " << (n.corrective_action.empty() ? "-" : n.corrective_action) << "\n";
  std::cout << "  history: " << nc.raised << " open";
  for (const StateChange& c : nc.history) std::cout << "; " << c.date << " " << NonconformityStateName(c.state);
  std::cout << "\n";
  std::vector<std::string> next;
  for (NonconformityState s : AllowedTransitions(nc.state)) next.emplace_back(NonconformityStateName(s));
  std::cout << "  next: " << (next.empty() ? std::string("none (final)") : Join(next)) << "\n";
}

int RunNcShow(const GlobalOptions& global, const std::string& id, const std::string& today_text) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    Date today;
    ASSAY_RETURN_IF_ERROR(DateOr(today_text, &today, "--today"));
    std::string client;
    ASSAY_RETURN_IF_ERROR(as.store->FindNonconformity(id, &client));
    ClientAuditData c;
    ASSAY_RETURN_IF_ERROR(as.store->ReadClient(client, &c));
    AuditPolicy p;
    ASSAY_RETURN_IF_ERROR(as.store->GetPolicy(&p));
    const NonconformityRecord* n = c.FindNonconformity(id);
    PrintNc(*n, c.FindFinding(n->nc.finding_id), today, p.policy);
    return Status::OK();
  });
}

// The nonconformity register of `clients` as a table (the xlsx outputs).
Status NcRegister(AuditSession& as, const std::vector<std::string>& clients, const Date& today, const AuditPolicy& p,
                  reports::XlsxTable* t) {
  t->name = "Nonconformities";
  t->title = "Nonconformity register as of " + today.ToString();
  t->header = {"nc", "client", "grade", "clause", "state", "raised", "due", "note", "finding", "statement"};
  for (const std::string& cid : clients) {
    ClientAuditData c;
    ASSAY_RETURN_IF_ERROR(as.store->ReadClient(cid, &c));
    for (const NonconformityRecord& n : c.nonconformities) {
      const Finding* f = c.FindFinding(n.nc.finding_id);
      std::string note = IsOverdue(n.nc, today) ? "overdue" : (ReminderDue(n.nc, today, p.policy) ? "reminder" : "");
      t->rows.push_back({n.nc.id, cid, std::string(FindingGradeName(n.nc.grade)), f ? f->clause : "?",
                         std::string(NonconformityStateName(n.nc.state)), n.nc.raised.ToString(), n.nc.due_date.ToString(), note,
                         n.nc.finding_id, f ? f->statement : ""});
    }
  }
  return Status::OK();
}

// A management workbook to --out (never to stdout).
Status WriteTables(const std::vector<reports::XlsxTable>& tables, const std::string& title, const Date& today,
                   const std::string& out_path, bool force) {
  std::string bytes;
  ASSAY_RETURN_IF_ERROR(reports::TableWorkbook(tables, title, today.ToString(), reports::WorkbookOptions(), &bytes));
  ASSAY_RETURN_IF_ERROR(WriteOutputFile(out_path, bytes, force));
  std::cerr << "wrote " << out_path << " (" << title << ")\n";
  return Status::OK();
}

Status CheckXlsxOut(const std::string& format, const std::string& out_path) {
  if (format == "xlsx" && (out_path.empty() || out_path == "-"))
    return Status::InvalidInput("--format xlsx needs --out FILE (a workbook is not written to stdout)");
  if (format != "xlsx" && !out_path.empty()) return Status::InvalidInput("--out applies to --format xlsx only");
  return Status::OK();
}

struct XlsxOut {
  std::string format = "table", path;
  bool force = false;
};

int RunNcList(const GlobalOptions& global, const std::string& client, const std::string& today_text,
              const XlsxOut& out) {
  Status checked = CheckXlsxOut(out.format, out.path);
  if (!checked.ok()) return Fail(checked);
  return WithAudit(global, false, false, [&](AuditSession& as) {
    Date today;
    ASSAY_RETURN_IF_ERROR(DateOr(today_text, &today, "--today"));
    std::vector<std::string> clients;
    if (client.empty()) {
      std::vector<Client> all;
      ASSAY_RETURN_IF_ERROR(as.store->ListClients(&all));
      for (const Client& c : all) clients.push_back(c.id);
    } else {
      clients.push_back(client);
    }
    AuditPolicy p;
    ASSAY_RETURN_IF_ERROR(as.store->GetPolicy(&p));
    if (out.format == "xlsx") {
      std::vector<reports::XlsxTable> tables(1);
      ASSAY_RETURN_IF_ERROR(NcRegister(as, clients, today, p, &tables[0]));
      return WriteTables(tables, "nonconformity register" + (client.empty() ? "" : " of " + client), today, out.path,
                         out.force);
    }
    std::cout << std::left << std::setw(12) << "NC" << std::setw(12) << "CLIENT" << std::setw(8) << "GRADE"
              << std::setw(10) << "CLAUSE" << std::setw(18) << "STATE" << std::setw(12) << "DUE"
              << "NOTE\n";
    for (const std::string& cid : clients) {
      ClientAuditData c;
      ASSAY_RETURN_IF_ERROR(as.store->ReadClient(cid, &c));
      for (const NonconformityRecord& n : c.nonconformities) {
        const Finding* f = c.FindFinding(n.nc.finding_id);
        std::string note = IsOverdue(n.nc, today) ? "overdue" : (ReminderDue(n.nc, today, p.policy) ? "reminder" : "");
        std::cout << std::left << std::setw(12) << n.nc.id << std::setw(12) << cid << std::setw(8)
                  << FindingGradeName(n.nc.grade) << std::setw(10) << (f ? f->clause : "?") << std::setw(18)
                  << NonconformityStateName(n.nc.state) << std::setw(12) << n.nc.due_date.ToString() << note << "\n";
      }
    }
    return Status::OK();
  });
}

struct MoveArgs {
  std::string id, to, date, correction, root_cause, action;
};

int RunNcMove(const GlobalOptions& global, const MoveArgs& a) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    NonconformityState to;
    ASSAY_RETURN_IF_ERROR(ParseNonconformityState(a.to, &to));
    Date date;
    ASSAY_RETURN_IF_ERROR(DateOr(a.date, &date, "--date"));
    WriteResult w;
    ASSAY_RETURN_IF_ERROR(as.store->MoveNonconformity(a.id, to, date, a.correction, a.root_cause, a.action, &w));
    std::cerr << "nonconformity " << a.id << ": " << a.to << " on " << date << "\n";
    return Status::OK();
  });
}

// ---- audit time and sites ------------------------------------------------------------

std::string Percent(double fraction) {
  const long v = std::lround(fraction * 100);
  return (v > 0 ? "+" : "") + std::to_string(v) + " %";
}

std::string DaysNote(const AuditDays& d) {
  if (!d.planned) return "no audit days planned";
  if (!d.below) return "";
  if (!d.justification.empty()) return "below the calculation; justification: " + d.justification;
  return d.status == AuditStatus::kCompleted ? "BELOW the calculation without a recorded justification"
                                             : "BELOW the calculation: a justification is required";
}

// The calculation of `c` under `t` as text (stdout): persons and band,
// adjustments with reasons, the cap, the days per audit type, and the
// planned days of each audit against them.
void PrintAuditTime(const ClientAuditData& c, const AuditTimeTable& t, const AuditTime& at) {
  std::cout << "Audit time of " << c.client.id << " (" << c.client.name << ")\n"
            << "Table: " << t.id << " " << t.version << " (" << t.path << ")\n"
            << "  " << t.notice << "\n"
            << "Persons in scope: " << at.persons << " (band " << at.band_min << "-" << at.band_max
            << " persons): " << DaysText(at.base_days) << " days\n";
  for (const AuditTimeAdjustmentRecord& a : c.client.audit_time->adjustments)
    std::cout << "  " << std::left << std::setw(7) << Percent(a.percent / 100.0) << a.reason << "\n";
  std::cout << "Net adjustment: " << Percent(at.net_adjustment);
  if (at.capped)
    std::cout << " (the adjustments add up to " << Percent(at.sum_adjustment) << "; the reduction is capped at "
              << Percent(-t.max_reduction) << ")";
  else
    std::cout << " (a reduction is capped at " << Percent(-t.max_reduction) << ")";
  std::cout << "\n"
            << "Initial audit (stage 1 + stage 2): " << DaysText(at.initial_days) << " days\n"
            << "Surveillance audit: " << DaysText(at.surveillance_days) << " days\n"
            << "Recertification audit: " << DaysText(at.recertification_days) << " days\n";
  const std::vector<AuditDays> days = AuditDaysOf(c, t);
  if (days.empty()) return;
  std::cout << std::left << std::setw(14) << "AUDIT" << std::setw(17) << "TYPE" << std::setw(12) << "STATUS"
            << std::setw(9) << "PLANNED" << std::setw(12) << "CALCULATED"
            << "NOTE\n";
  for (const AuditDays& d : days)
    std::cout << std::left << std::setw(14) << d.audit << std::setw(17) << AuditTypeName(d.type) << std::setw(12)
              << AuditStatusName(d.status) << std::setw(9) << (d.planned ? DaysText(*d.planned) : "-")
              << std::setw(12) << DaysText(d.required) << DaysNote(d) << "\n";
}

json AuditTimeJson(const ClientAuditData& c, const AuditTimeTable& t, const AuditTime& at) {
  json adj = json::array();
  for (const AuditTimeAdjustmentRecord& a : c.client.audit_time->adjustments)
    adj.push_back({{"percent", a.percent}, {"reason", a.reason}});
  json audits = json::array();
  for (const AuditDays& d : AuditDaysOf(c, t)) {
    json e = {{"audit", d.audit},
              {"type", std::string(AuditTypeName(d.type))},
              {"status", std::string(AuditStatusName(d.status))},
              {"calculated_days", d.required},
              {"below", d.below}};
    if (d.planned) e["planned_days"] = *d.planned;
    if (!d.justification.empty()) e["justification"] = d.justification;
    audits.push_back(e);
  }
  return {{"table", {{"id", t.id}, {"version", t.version}, {"notice", t.notice}}},
          {"persons", at.persons},
          {"band", {{"min_persons", at.band_min}, {"max_persons", at.band_max}}},
          {"base_days", at.base_days},
          {"adjustments", adj},
          {"sum_adjustment_percent", std::lround(at.sum_adjustment * 100)},
          {"net_adjustment_percent", std::lround(at.net_adjustment * 100)},
          {"capped", at.capped},
          {"max_reduction_percent", std::lround(t.max_reduction * 100)},
          {"initial_days", at.initial_days},
          {"surveillance_days", at.surveillance_days},
          {"recertification_days", at.recertification_days},
          {"audits", audits}};
}

struct TimeArgs {
  std::string client, table, format = "table";
  std::optional<int> persons;
  std::vector<std::string> adjust;
};

// "-20:combined audit" -> {-20, "combined audit"}.
Status ParseAdjustment(const std::string& spec, AuditTimeAdjustmentRecord* out) {
  const size_t colon = spec.find(':');
  const std::string num = spec.substr(0, colon);
  size_t used = 0;
  int v = 0;
  try {
    v = std::stoi(num, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (num.empty() || used != num.size())
    return Status::InvalidInput("--adjust " + Quote(spec) +
                                ": expected PERCENT:REASON with a whole percent, e.g. -20:combined audit with ISO/IEC "
                                "27001");
  if (colon == std::string::npos || spec.find_first_not_of(" \t", colon + 1) == std::string::npos)
    return Status::InvalidInput("--adjust " + Quote(spec) + ": the adjustment needs its reason (PERCENT:REASON)");
  out->percent = v;
  out->reason = spec.substr(colon + 1);
  return Status::OK();
}

int RunAuditTime(const GlobalOptions& global, const TimeArgs& a) {
  AuditSession as;
  Status s = OpenAudit(global, false, false, &as, a.table);
  if (!s.ok()) return Fail(WithHint(s));
  s = [&]() -> Status {
    if (a.persons || !a.adjust.empty()) {
      ClientAuditData c;
      ASSAY_RETURN_IF_ERROR(as.store->ReadClient(a.client, &c));
      ClientAuditTime in = c.client.audit_time.value_or(ClientAuditTime());
      if (a.persons) in.persons = *a.persons;
      if (!a.adjust.empty()) in.adjustments.clear();
      for (const std::string& spec : a.adjust) ASSAY_RETURN_IF_ERROR(ParseAdjustment(spec, &in.adjustments.emplace_back()));
      WriteResult w;
      ASSAY_RETURN_IF_ERROR(as.store->SetAuditTime(a.client, in, &w));
      std::cerr << "audit time of client " << a.client << ": " << Done(w) << "\n";
    }
    ClientAuditData c;
    ASSAY_RETURN_IF_ERROR(as.store->ReadClient(a.client, &c));
    AuditTime at;
    ASSAY_RETURN_IF_ERROR(ClientAuditTimeFor(c.client, *as.time_table, AuditType::kStage2, &at));
    if (a.format == "json")
      std::cout << AuditTimeJson(c, *as.time_table, at).dump(2) << "\n";
    else
      PrintAuditTime(c, *as.time_table, at);
    return Status::OK();
  }();
  return s.ok() ? kExitOk : Fail(WithHint(s));
}

// Leaves out the sites that joined the client's scope after `today`.
void DropLaterSites(Date today, ClientAuditData* c) {
  std::erase_if(c->client.sites, [today](const ClientSite& s) { return s.since && today < *s.since; });
}

// The programme's audit-time and site lines (nothing for a client without
// an audit-time calculation or sites).
void PrintProgrammeTimeAndSites(const ClientAuditData& c, const AuditTimeTable& t, Date today) {
  AuditTime at;
  if (ClientAuditTimeFor(c.client, t, AuditType::kStage2, &at).ok()) {
    std::cout << "Audit time (" << t.id << " " << t.version << "): " << at.persons << " persons in scope, "
              << DaysText(at.base_days) << " days from the table, net " << Percent(at.net_adjustment)
              << (at.capped ? " (capped)" : "") << ": initial " << DaysText(at.initial_days) << ", surveillance "
              << DaysText(at.surveillance_days) << ", recertification " << DaysText(at.recertification_days)
              << " days\n";
    for (const AuditDays& d : AuditDaysOf(c, t))
      std::cout << "  " << std::left << std::setw(14) << d.audit << std::setw(17) << AuditTypeName(d.type)
                << (d.planned ? DaysText(*d.planned) : std::string("-")) << " of " << DaysText(d.required)
                << " days" << (DaysNote(d).empty() ? "" : "; " + DaysNote(d)) << "\n";
  }
  const SiteCoverage sc = CycleSiteCoverage(c, t.sampling, today);
  if (c.client.sites.empty()) return;
  std::vector<std::string> names;
  for (const ClientSite& x : c.client.sites) names.push_back(x.id + (x.central ? " (central)" : ""));
  int initial = 1, surveillance = 1, recert = 1;
  const int n = static_cast<int>(c.client.sites.size());
  (void)SitesToSample(n, AuditType::kStage2, t.sampling, &initial);
  (void)SitesToSample(n, AuditType::kSurveillance, t.sampling, &surveillance);
  (void)SitesToSample(n, AuditType::kRecertification, t.sampling, &recert);
  std::cout << "Sites: " << Join(names) << "; to visit per audit: initial " << initial << ", surveillance "
            << surveillance << ", recertification " << recert << " of " << n << "\n";
  for (const AuditSites& e : sc.audits) {
    std::cout << "  " << std::left << std::setw(14) << e.audit << std::setw(17) << AuditTypeName(e.type)
              << std::setw(10) << (e.held ? "held" : "planned") << Join(e.sites);
    if (static_cast<int>(e.sites.size()) < e.required)
      std::cout << "; FEWER sites than the sample of " << e.required;
    if (!e.central_visited) std::cout << "; the central function (" << sc.central << ") is NOT visited";
    std::cout << "\n";
  }
  if (sc.central.empty() && n > 1)
    std::cout << "No site is marked as the central function (assay audit site add --central)\n";
  std::vector<std::string> not_visited;
  for (const std::string& id : sc.not_visited)
    not_visited.push_back(
        id + (std::find(sc.not_planned.begin(), sc.not_planned.end(), id) == sc.not_planned.end() ? " (planned)" : ""));
  if (sc.not_visited.empty())
    std::cout << "Every site has been visited in this cycle\n";
  else
    std::cout << "Sites not visited in this cycle: " << Join(not_visited) << "\n";
  if (!sc.not_planned.empty())
    std::cout << "TO PLAN before recertification: " << sc.not_planned.size() << " sites not visited nor planned ("
              << Join(sc.not_planned) << ")\n";
}

void ProgrammeTimeAndSitesJson(const ClientAuditData& c, const AuditTimeTable& t, Date today, json* j) {
  AuditTime at;
  if (ClientAuditTimeFor(c.client, t, AuditType::kStage2, &at).ok()) (*j)["audit_time"] = AuditTimeJson(c, t, at);
  if (c.client.sites.empty()) return;
  const SiteCoverage sc = CycleSiteCoverage(c, t.sampling, today);
  json audits = json::array();
  for (const AuditSites& e : sc.audits)
    audits.push_back({{"audit", e.audit},
                      {"type", std::string(AuditTypeName(e.type))},
                      {"held", e.held},
                      {"sites", e.sites},
                      {"required", e.required},
                      {"central_visited", e.central_visited}});
  json sites = {{"audits", audits}, {"not_visited", sc.not_visited}, {"not_planned", sc.not_planned}};
  if (!sc.central.empty()) sites["central"] = sc.central;
  (*j)["sites"] = sites;
}

// ---- programme ---------------------------------------------------------------------------

// The programme and the client's nonconformity register as a workbook.
Status WriteProgrammeXlsx(AuditSession& as, const ClientAuditData& c, const ProgrammeStatus& ps, const Date& today,
                          const AuditPolicy& p, const XlsxOut& out) {
  std::vector<reports::XlsxTable> tables(2);
  reports::XlsxTable& t = tables[0];
  t.name = "Programme";
  t.title = "Audit programme of " + c.client.id + " (" + c.client.name + ") as of " + today.ToString() + ": " +
            (ps.certified ? std::string("certificate expires ") + Opt(ps.expiry) + " (" +
                                std::string(CertificateStatusName(ps.certificate_status)) + ")"
                          : std::string("not certified yet"));
  t.header = {"state", "from", "latest", "audit", "item", "kind", "calendar year", "planned on", "done on"};
  t.numeric = {false, false, false, false, false, false, true};
  auto date = [](const std::optional<Date>& d) { return d ? d->ToString() : std::string(); };  // empty, not "-"
  for (const ProgrammeItem& it : ps.items)
    t.rows.push_back({std::string(ItemStateName(it.state)), date(it.window_start), date(it.window_end), it.audit_id,
                      it.description, std::string(ProgrammeItemKindName(it.kind)),
                      it.calendar_year ? std::to_string(it.calendar_year) : "", date(it.planned_on), date(it.done_on)});
  ASSAY_RETURN_IF_ERROR(NcRegister(as, {c.client.id}, today, p, &tables[1]));
  return WriteTables(tables, "audit programme of " + c.client.id, today, out.path, out.force);
}

// The clause coverage of the client's current cycle as of `today` against
// the catalogue's auditable clauses.
CoverageGaps ClauseGaps(const ClientAuditData& c, const Catalogue& cat, Date today, size_t* auditable_count) {
  std::vector<std::string> auditable;
  for (const Clause* clause : cat.AuditableClauses()) auditable.push_back(clause->number);
  *auditable_count = auditable.size();
  return CoverageGapsOf(CycleCoverage(c, today), auditable);
}

// The programme's coverage line(s): what the cycle has not covered and what
// is still to be planned before recertification.
void PrintClauseGaps(const CoverageGaps& g, size_t auditable) {
  std::cout << "Clauses covered in this cycle: " << auditable - g.not_covered.size() << " of " << auditable
            << " auditable; planned: " << g.not_covered.size() - g.not_planned.size() << "\n";
  if (!g.not_planned.empty())
    std::cout << "TO PLAN before recertification: " << g.not_planned.size() << " clauses not covered nor planned ("
              << Join(g.not_planned) << ")\n";
}

int RunProgramme(const GlobalOptions& global, const std::string& client, const std::string& today_text,
                 const XlsxOut& out) {
  Status checked = CheckXlsxOut(out.format, out.path);
  if (!checked.ok()) return Fail(checked);
  const std::string& format = out.format;
  return WithAudit(global, false, format != "xlsx", [&](AuditSession& as) {
    Date today;
    ASSAY_RETURN_IF_ERROR(DateOr(today_text, &today, "--today"));
    ClientAuditData c;
    ASSAY_RETURN_IF_ERROR(as.store->ReadClient(client, &c));
    DropLaterSites(today, &c);
    AuditPolicy p;
    ASSAY_RETURN_IF_ERROR(as.store->GetPolicy(&p));
    ProgrammeStatus ps = ComputeProgramme(c.History(), today, p.policy);
    if (!ps.status.ok()) return ps.status;
    size_t auditable = 0;
    const CoverageGaps gaps = format == "xlsx" ? CoverageGaps() : ClauseGaps(c, *as.catalogue, today, &auditable);
    if (format == "xlsx") return WriteProgrammeXlsx(as, c, ps, today, p, out);
    if (format == "json") {
      json j = {{"client", c.client.id}, {"today", today.ToString()}, {"certified", ps.certified}};
      if (ps.cycle_start) j["cycle_start"] = ps.cycle_start->ToString();
      if (ps.expiry) j["expiry"] = ps.expiry->ToString();
      if (ps.restoration_deadline) j["restoration_deadline"] = ps.restoration_deadline->ToString();
      j["certificate_status"] = std::string(CertificateStatusName(ps.certificate_status));
      j["new_stage2_required"] = ps.new_stage2_required;
      json items = json::array();
      for (const ProgrammeItem& it : ps.items) {
        json e = {{"kind", std::string(ProgrammeItemKindName(it.kind))},
                  {"state", std::string(ItemStateName(it.state))},
                  {"description", it.description}};
        if (it.calendar_year) e["calendar_year"] = it.calendar_year;
        if (it.window_start) e["window_start"] = it.window_start->ToString();
        if (it.window_end) e["window_end"] = it.window_end->ToString();
        if (it.done_on) e["done_on"] = it.done_on->ToString();
        if (it.planned_on) e["planned_on"] = it.planned_on->ToString();
        if (!it.audit_id.empty()) e["audit"] = it.audit_id;
        items.push_back(e);
      }
      j["items"] = items;
      j["overdue_nonconformities"] = ps.overdue_nonconformities;
      j["reminder_nonconformities"] = ps.reminder_nonconformities;
      j["clause_coverage"] = {{"auditable", auditable},
                              {"covered", auditable - gaps.not_covered.size()},
                              {"not_covered", gaps.not_covered},
                              {"not_planned", gaps.not_planned}};
      ProgrammeTimeAndSitesJson(c, *as.time_table, today, &j);
      std::cout << j.dump(2) << "\n";
      return Status::OK();
    }
    std::cout << "Audit programme of " << c.client.id << " (" << c.client.name << ") as of " << today << "\n";
    if (ps.certified) {
      std::cout << "Cycle: " << DecisionKindName(ps.cycle_kind) << " decision " << Opt(ps.cycle_start)
                << ", certificate expires " << Opt(ps.expiry) << " (" << CertificateStatusName(ps.certificate_status)
                << ")\n";
      if (ps.restoration_possible)
        std::cout << "Expired: restoration possible until " << Opt(ps.restoration_deadline) << "\n";
      if (ps.stage2_required) std::cout << "Expired more than 6 months ago: at least a stage 2 audit is required\n";
    } else {
      std::cout << "Not certified yet: stage 1 and stage 2 come first\n";
    }
    if (ps.new_stage2_required)
      std::cout << "A new stage 2 is required: major nonconformities not verified within 6 months ("
                << Join(ps.late_stage2_majors) << ")\n";
    std::cout << std::left << std::setw(12) << "STATE" << std::setw(12) << "FROM" << std::setw(12) << "LATEST"
              << std::setw(14) << "AUDIT"
              << "ITEM\n";
    for (const ProgrammeItem& it : ps.items) {
      const std::string& audit = it.audit_id;
      std::cout << std::left << std::setw(12) << ItemStateName(it.state) << std::setw(12) << Opt(it.window_start)
                << std::setw(12) << Opt(it.window_end) << std::setw(14) << (audit.empty() ? "-" : audit)
                << it.description << "\n";
    }
    std::map<std::string, const NonconformityRecord*> by_id;
    for (const NonconformityRecord& n : c.nonconformities) by_id[n.nc.id] = &n;
    for (const std::string& id : ps.overdue_nonconformities) {
      const NonconformityRecord* n = by_id[id];
      std::cout << "OVERDUE nonconformity " << id << " (" << FindingGradeName(n->nc.grade) << ", "
                << NonconformityStateName(n->nc.state) << "): due " << n->nc.due_date << ", "
                << DaysBetween(n->nc.due_date, today) << " days late\n";
    }
    for (const std::string& id : ps.reminder_nonconformities)
      std::cout << "reminder: nonconformity " << id << " is due " << by_id[id]->nc.due_date << "\n";
    PrintClauseGaps(gaps, auditable);
    PrintProgrammeTimeAndSites(c, *as.time_table, today);
    return Status::OK();
  });
}

// ---- recommendation and decision ----------------------------------------------------------

void PrintRecommendation(const std::string& audit, const Recommendation& r) {
  std::cout << "Recommendation after audit " << audit << ": " << RecommendationKindName(r.kind);
  if (r.overridden) std::cout << " (overridden; computed: " << RecommendationKindName(r.computed) << ")";
  std::cout << "\n";
  for (const RecommendationReason& x : r.reasons)
    std::cout << "  " << ReasonCodeName(x.code) << (x.subject.empty() ? "" : " " + x.subject) << ": " << x.text << "\n";
  if (r.overridden) std::cout << "  justification: " << r.justification << "\n";
}

int RunRecommend(const GlobalOptions& global, const std::string& audit, const std::string& today_text,
                 const std::string& override_kind, const std::string& justification) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    Date today;
    ASSAY_RETURN_IF_ERROR(DateOr(today_text, &today, "--today"));
    Recommendation r;
    if (!override_kind.empty()) {
      RecommendationKind kind;
      ASSAY_RETURN_IF_ERROR(ParseRecommendationKind(override_kind, &kind));
      WriteResult w;
      ASSAY_RETURN_IF_ERROR(as.store->Override(audit, kind, justification, today, &r, &w));
      std::cerr << "override recorded: " << Done(w) << "\n";
    } else if (!justification.empty()) {
      return Status::InvalidInput("--justification goes with --override KIND");
    }
    ASSAY_RETURN_IF_ERROR(as.store->Recommend(audit, today, &r));
    PrintRecommendation(audit, r);
    return Status::OK();
  });
}

int RunDecide(const GlobalOptions& global, const std::string& audit, const std::string& by,
              const std::string& date_text, const std::string& certificate) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    Date date;
    ASSAY_RETURN_IF_ERROR(DateOr(date_text, &date, "--date"));
    DecisionRecord d;
    WriteResult w;
    ASSAY_RETURN_IF_ERROR(as.store->Decide(audit, by, date, certificate, &d, &w));
    std::string client;
    ASSAY_RETURN_IF_ERROR(as.store->FindAudit(audit, &client));
    ClientAuditData c;
    ASSAY_RETURN_IF_ERROR(as.store->ReadClient(client, &c));
    std::cout << "Decision on audit " << audit << ": " << DecisionKindName(d.decision.kind) << " certification, "
              << date << ", by " << by << "\n";
    for (const CertificateRecord& x : c.certificates)
      if (x.certificate.number == d.certificate)
        std::cout << "Certificate " << x.certificate.number << ": " << CertificateStatusName(x.certificate.status)
                  << ", issued " << x.certificate.issue_date << ", expires " << x.certificate.expiry_date << "\n";
    return Status::OK();
  });
}

int RunCertificateList(const GlobalOptions& global, const std::string& client) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    ClientAuditData c;
    ASSAY_RETURN_IF_ERROR(as.store->ReadClient(client, &c));
    if (c.certificates.empty()) std::cerr << "client " << client << " has no certificate yet\n";
    for (const CertificateRecord& x : c.certificates) {
      std::cout << "Certificate " << x.certificate.number << ": " << CertificateStatusName(x.certificate.status)
                << ", issued " << x.certificate.issue_date << ", expires " << x.certificate.expiry_date << "\n";
      for (const CertificateChange& ch : x.history)
        std::cout << "  " << ch.date << " " << CertificateStatusName(ch.status) << ": " << ch.reason << "\n";
    }
    return Status::OK();
  });
}

int RunCertificateStatus(const GlobalOptions& global, const std::string& number, const std::string& to_text,
                         const std::string& date_text, const std::string& reason) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    CertificateStatus to;
    ASSAY_RETURN_IF_ERROR(ParseCertificateStatus(to_text, &to));
    Date date;
    ASSAY_RETURN_IF_ERROR(DateOr(date_text, &date, "--date"));
    WriteResult w;
    ASSAY_RETURN_IF_ERROR(as.store->SetCertificateStatus(number, to, date, reason, &w));
    std::cerr << "certificate " << number << ": " << to_text << " on " << date << "\n";
    return Status::OK();
  });
}

// ---- report --------------------------------------------------------------------------------

// The linked assessment's capability per process as it was right after log
// event `at_seq`, for the clause table.
Status LinkedCapability(AuditSession& as, const std::string& id, int64_t at_seq, LinkedAssessment* out) {
  SnapshotOptions options;
  options.at_seq = at_seq;
  Loaded loaded;
  ASSAY_RETURN_IF_ERROR(ReadAssessment(as.session.get(), id, options, &loaded));
  RatingResults results;
  ASSAY_RETURN_IF_ERROR(ComputeResults(*loaded.model, *loaded.graph, loaded.data, &results));
  *out = LinkAssessment(loaded.data.assessment, results);
  return Status::OK();
}

// The hash of log event `seq` of the client's (or the policy's) events.
Status EventHash(AuditSession& as, const std::string& client, int64_t seq, std::string* hash) {
  for (const std::string& subject : {AuditSubject(client), AuditSubject("")}) {
    std::vector<Event> events;
    ASSAY_RETURN_IF_ERROR(as.session->ws->ReadLog(subject, &events));
    for (const Event& e : events)
      if (e.seq == seq) {
        *hash = e.hash;
        return Status::OK();
      }
  }
  return Status::NotFound("log event " + std::to_string(seq) + " is not an event of client '" + client + "'");
}

// The log position at which the client's own facts (its sites, technical
// areas and audit-time inputs, which carry no dates of their own) are read
// for a report as of `date` made at log position `at_seq`: the newest event
// recorded on or before that day; for an audit entered after that day, the
// event that last wrote the audit's record (the facts as they stood when the
// audit was recorded); never before the client's record exists nor after
// `at_seq`.
Status FactsPosition(AuditSession& as, const std::string& client, const std::string& audit, Date date, int64_t at_seq,
                     int64_t* seq) {
  std::string hash;
  int64_t on_date = 0;
  ASSAY_RETURN_IF_ERROR(as.session->ws->LogPositionAt(date.ToString() + "T23:59:59Z", &on_date, &hash));
  std::vector<Event> events;
  ASSAY_RETURN_IF_ERROR(as.session->ws->ReadLog(AuditSubject(client), &events));
  int64_t audit_written = 0, client_created = 0;
  for (const Event& e : events) {
    if (e.seq > at_seq) break;
    if (e.entity_id == "audit/" + audit) audit_written = e.seq;
    if (e.entity_id == "client" && !client_created) client_created = e.seq;
  }
  *seq = std::min(at_seq, std::max({on_date, audit_written, client_created}));
  return Status::OK();
}

// Replaces the undated facts of `c`'s client (sites, technical areas,
// audit-time inputs) by those of the client record at log event `seq`, and
// *people by the registry of people as it stood then.
Status ClientFactsAt(AuditSession& as, int64_t seq, ClientAuditData* c, std::vector<RegisteredPerson>* people) {
  ClientAuditData then;
  AuditPolicy p;
  std::string exported;
  ASSAY_RETURN_IF_ERROR(as.store->ReadClientAt(c->client.id, seq, &then, &p, &exported, people));
  c->client.sites = then.client.sites;
  c->client.technical_areas = then.client.technical_areas;
  c->client.audit_time = then.client.audit_time;
  return Status::OK();
}

// What the report is made of: the engine's content as of the report date,
// from the records as they were at the report's log position, with the
// catalogue, the linked assessment at that position and the manifest.
Status ReportInputAt(AuditSession& as, const std::string& audit, std::optional<Date> as_of, int64_t at_seq,
                     reports::AuditReportInput* in) {
  std::string client;
  ASSAY_RETURN_IF_ERROR(as.store->FindAudit(audit, &client));
  if (!as_of) {  // the default date, from the records as they are now
    ClientAuditData now;
    AuditPolicy p;
    ASSAY_RETURN_IF_ERROR(as.store->ReadClient(client, &now));
    ASSAY_RETURN_IF_ERROR(as.store->GetPolicy(&p));
    ASSAY_RETURN_IF_ERROR(ComputeAuditReport(now, p, audit, std::nullopt, in));
    as_of = in->report_date;
  }
  std::string head;
  if (at_seq > 0)
    ASSAY_RETURN_IF_ERROR(EventHash(as, client, at_seq, &head));
  else
    ASSAY_RETURN_IF_ERROR(as.store->ReportPosition(client, *as_of, &at_seq, &head));
  ClientAuditData c;
  AuditPolicy p;
  std::string exported;
  // The registry of people the team's competence is judged from: as the log
  // held it with the client's undated facts (a later edit of a person does
  // not change the report).
  std::vector<RegisteredPerson> people;
  ASSAY_RETURN_IF_ERROR(as.store->ReadClientAt(client, at_seq, &c, &p, &exported, &people));
  int64_t facts_seq = 0;
  ASSAY_RETURN_IF_ERROR(FactsPosition(as, client, audit, *as_of, at_seq, &facts_seq));
  if (facts_seq < at_seq) ASSAY_RETURN_IF_ERROR(ClientFactsAt(as, facts_seq, &c, &people));
  *in = reports::AuditReportInput();
  ASSAY_RETURN_IF_ERROR(ComputeAuditReport(c, p, audit, as_of, in));
  if (in->body.name.empty()) in->body.name = "(certification body not set: assay audit policy --body-name NAME)";
  in->catalogue = as.catalogue.get();
  ReportTimeAndSites ts;
  ASSAY_RETURN_IF_ERROR(ComputeReportTimeAndSites(ClientAsOf(c, in->report_date), *as.time_table, audit,
                                                  in->report_date, &ts));
  in->time_and_sites = ts;
  in->competence = CheckTeamCompetence(in->client, in->audit, people);
  if (!in->audit.assessment.empty()) {
    LinkedAssessment la;
    ASSAY_RETURN_IF_ERROR(LinkedCapability(as, in->audit.assessment, at_seq, &la));
    in->assessment = la;
  }
  in->manifest.snapshot_sha256 = Sha256Hex(exported);
  in->manifest.assay_version = ASSAY_VERSION;
  in->manifest.log_seq = at_seq;
  in->manifest.log_head = head;
  SealInfo seal;
  bool sealed = false;
  ASSAY_RETURN_IF_ERROR(as.session->ws->LatestSeal(at_seq, &seal, &sealed));
  if (sealed) in->manifest.seal = seal.line;
  return Status::OK();
}

Status RenderAuditReportBytes(const GlobalOptions& global, const reports::AuditReportInput& in, bool pdf, bool letter,
                              std::string* bytes) {
  if (!pdf) return reports::AuditReportJson(in, bytes);
  reports::AuditReportOptions options;
  options.font_dir = global.font_dir;
  options.paper = letter ? reports::Paper::kLetter : reports::Paper::kA4;
  return reports::RenderAuditReport(in, options, bytes);
}

int RunReport(const GlobalOptions& global, const std::string& audit, const std::string& out_path, bool force,
              const std::string& as_of_text, const std::string& format, const std::string& paper) {
  return WithAudit(global, false, true, [&](AuditSession& as) {
    if (out_path.empty() && format == "pdf") return Status::InvalidInput("give the PDF file with --out FILE.pdf");
    std::optional<Date> as_of;  // default: the decision's date, else the audit's last day
    if (!as_of_text.empty()) ASSAY_RETURN_IF_ERROR(DateOr(as_of_text, &as_of.emplace(), "--as-of"));
    reports::AuditReportInput in;
    ASSAY_RETURN_IF_ERROR(ReportInputAt(as, audit, as_of, 0, &in));
    std::string bytes;
    ASSAY_RETURN_IF_ERROR(RenderAuditReportBytes(global, in, format == "pdf", paper == "letter", &bytes));
    if (format == "json" && (out_path.empty() || out_path == "-")) {
      std::cout << bytes;
      return Status::OK();
    }
    ASSAY_RETURN_IF_ERROR(WriteOutputFile(out_path, bytes, force));
    std::cerr << "wrote " << out_path << " (audit " << audit << " of " << in.client.id << ", as of " << in.report_date
              << ")\n";
    return Status::OK();
  });
}

// ---- import / export ---------------------------------------------------------------------------

int RunImport(const GlobalOptions& global, const std::string& file, bool dry_run) {
  GlobalOptions g = global;
  std::error_code ec;
  if (dry_run && !IsServerLocation(g.db) && !std::filesystem::exists(g.db, ec)) g.db = ":memory:";
  return WithAudit(g, !dry_run || g.db == ":memory:", true, [&](AuditSession& as) {
    // The file's people and the client's records: checked together, then
    // written in one transaction (or nothing).
    AuditImportReport report;
    Status s = as.store->Import(file, dry_run, &report);
    PrintImportProblems(report);
    if (!s.ok()) return s;
    if (!report.registered.empty())
      std::cerr << (dry_run ? "would register " : "registered ") << report.registered.size()
                << " people of the file: " << Join(report.registered) << "\n";
    if (!report.kept.empty()) std::cerr << "already registered (entries kept): " << Join(report.kept) << "\n";
    std::cerr << (dry_run ? "dry run, nothing written: client " : "imported client ") << report.assessment << ": "
              << report.created << " created, " << report.updated << " updated, " << report.unchanged << " unchanged\n";
    return Status::OK();
  });
}

int RunExport(const GlobalOptions& global, const std::string& client, const std::string& out_path, bool force) {
  return WithAudit(global, false, false, [&](AuditSession& as) {
    std::string text;
    ASSAY_RETURN_IF_ERROR(as.store->Export(client, &text));
    if (out_path.empty() || out_path == "-") {
      std::cout << text;
      return Status::OK();
    }
    ASSAY_RETURN_IF_ERROR(WriteOutputFile(out_path, text, force));
    std::cerr << "wrote " << out_path << "\n";
    return Status::OK();
  });
}

// ---- the command table --------------------------------------------------------------------

// Clients: add, list, show.
void AddClientCommands(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  CLI::App* client = audit->add_subcommand("client", "Audit clients (the certified organizations)");
  client->require_subcommand(1);
  {
    auto* cmd = client->add_subcommand("add", "Add a client");
    auto c = std::make_shared<Client>();
    cmd->add_option("ID", c->id, "Client ID, e.g. NORTHWIND")->required();
    cmd->add_option("--name", c->name, "The organization's name")->required();
    cmd->add_option("--scope", c->scope, "Certification scope (services, sites, SMS boundary)")->required();
    cmd->add_option("--address", c->address, "Postal address");
    cmd->add_option("--representative", c->representative, "The client's representative for audits");
    cmd->add_option("--area", c->technical_areas,
                    "A technical area the scope needs the audit team to be competent in (repeatable)");
    cmd->callback([g, exit_code, c] { *exit_code = RunClientAdd(*g, *c); });
  }
  {
    auto* cmd = client->add_subcommand("list", "List the clients");
    cmd->callback([g, exit_code] { *exit_code = RunClientList(*g); });
  }
  {
    auto* cmd = client->add_subcommand("show", "Show a client: sites, certificates, audits, decisions");
    auto id = std::make_shared<std::string>();
    auto today = std::make_shared<std::string>();
    cmd->add_option("CLIENT", *id, "Client ID")->required();
    cmd->add_option("--today", *today, "Date for overdue checks (YYYY-MM-DD; default: today, UTC)");
    cmd->callback([g, exit_code, id, today] { *exit_code = RunClientShow(*g, *id, *today); });
  }
}

// Sites of a client.
void AddSiteCommands(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  CLI::App* site = audit->add_subcommand("site", "Sites of a client");
  site->require_subcommand(1);
  auto* cmd = site->add_subcommand("add", "Add a site to a client");
  auto cl = std::make_shared<std::string>();
  auto s = std::make_shared<ClientSite>();
  cmd->add_option("CLIENT", *cl, "Client ID")->required();
  cmd->add_option("SITE", s->id, "Site ID, e.g. HQ")->required();
  cmd->add_option("--name", s->name, "Site name");
  cmd->add_option("--address", s->address, "Address");
  cmd->add_option("--activities", s->activities, "What is done there within the scope");
  cmd->add_flag("--central", s->central,
                "The site of the central function (at most one per client; every audit visits it)");
  auto since = std::make_shared<std::string>();
  cmd->add_option("--since", *since,
                  "The day the site joined the certification scope (YYYY-MM-DD); reports and programmes as of an "
                  "earlier day leave it out");
  cmd->callback([g, exit_code, cl, s, since] { *exit_code = RunSiteAdd(*g, *cl, *s, *since); });
}

// A person's declared relationship with a client (impartiality).
void AddDeclareCommand(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  auto* cmd = audit->add_subcommand(
      "declare", "Record a person's consulting or employment relationship with a client (excludes them from its "
                 "audits and decisions for two years after it ends)");
  auto a = std::make_shared<DeclareArgs>();
  cmd->add_option("CLIENT", a->client, "Client ID")->required();
  cmd->add_option("PERSON", a->person, "Person ID of the registry (or a name or alias it knows)")->required();
  cmd->add_option("--kind", a->kind, "consulting or employment")->required();
  cmd->add_option("--from", a->from, "First day of the relationship (YYYY-MM-DD)")->required();
  cmd->add_option("--until", a->until, "Last day (YYYY-MM-DD); omit while it goes on");
  cmd->add_option("--note", a->note, "What the relationship was");
  cmd->add_option("--date", a->date, "Date of the declaration (default: today, UTC)");
  cmd->callback([g, exit_code, a] { *exit_code = RunDeclare(*g, *a); });
}

// The certification body and its policy.
void AddPolicyCommand(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  auto* cmd = audit->add_subcommand("policy", "Show or set the certification body and its policy (deadlines)");
  auto a = std::make_shared<PolicyArgs>();
  cmd->add_option("--major-days", a->major_days, "Days to implement corrective action for a major (default 90)");
  cmd->add_option("--minor-days", a->minor_days, "Days to submit a plan for a minor (default 30)");
  cmd->add_option("--reminder-days", a->reminder_days, "Reminder lead time in days (default 14)");
  cmd->add_option("--systemic-minors", a->systemic, "Minors on one clause that raise the systemic warning (default 2)");
  cmd->add_option("--window-months", a->window, "Planning window of programme items in months (default 3)");
  cmd->add_option("--body-name", a->body_name, "Name of the certification body");
  cmd->add_option("--body-address", a->body_address, "Address of the certification body");
  cmd->add_option("--accreditation", a->accreditation, "Accreditation statement");
  cmd->add_option("--allow-opportunities", a->allow_opportunities,
                  "Whether opportunities for improvement may be recorded: true or false (default true)");
  cmd->add_option("--renewal-keeps-expiry", a->renewal_keeps_expiry,
                  "Whether a timely recertification extends the old expiry (true) or counts from the decision "
                  "(false); default true");
  cmd->callback([g, exit_code, a] {
    PolicyArgs args = *a;
    args.set = args.major_days || args.minor_days || args.reminder_days || args.systemic || args.window ||
               args.allow_opportunities || args.renewal_keeps_expiry || !args.body_name.empty() ||
               !args.body_address.empty() || !args.accreditation.empty();
    *exit_code = RunPolicy(*g, args);
  });
}

// Certificates: list, status changes.
// ---- exports: IAF CertSearch and NIST OSCAL ------------------------------------------------

// Writes `bytes` to `out_path` (stdout when empty or "-").
Status WriteExport(const std::string& out_path, bool force, const std::string& bytes, const std::string& what) {
  if (out_path.empty() || out_path == "-") {
    std::cout << bytes;
    return Status::OK();
  }
  ASSAY_RETURN_IF_ERROR(WriteOutputFile(out_path, bytes, force));
  std::cerr << "wrote " << out_path << " (" << what << ")\n";
  return Status::OK();
}

struct CertExportArgs {
  std::string client, format = "csv", out, today;
  bool force = false;
};

int RunCertificateExport(const GlobalOptions& global, const CertExportArgs& a) {
  return WithAudit(global, false, true, [&](AuditSession& as) {
    Date today;
    ASSAY_RETURN_IF_ERROR(DateOr(a.today, &today, "--today"));
    std::vector<std::string> clients;
    if (a.client.empty()) {
      std::vector<Client> all;
      ASSAY_RETURN_IF_ERROR(as.store->ListClients(&all));
      for (const Client& c : all) clients.push_back(c.id);
    } else {
      clients.push_back(a.client);
    }
    AuditPolicy p;
    ASSAY_RETURN_IF_ERROR(as.store->GetPolicy(&p));
    std::vector<reports::CertSearchRow> rows;
    for (const std::string& id : clients) {
      ClientAuditData c;
      ASSAY_RETURN_IF_ERROR(as.store->ReadClient(id, &c));
      DropLaterSites(today, &c);
      std::vector<reports::CertSearchRow> more;
      ASSAY_RETURN_IF_ERROR(reports::CertSearchRows(c, p.body, as.catalogue->standard, today, &more));
      rows.insert(rows.end(), more.begin(), more.end());
    }
    const std::string bytes = a.format == "json" ? reports::CertSearchJson(rows) : reports::CertSearchCsv(rows);
    return WriteExport(a.out, a.force, bytes,
                       std::to_string(rows.size()) + " CertSearch row" + (rows.size() == 1 ? "" : "s") + ", " +
                           a.format);
  });
}

int RunOscal(const GlobalOptions& global, const std::string& audit, const std::string& as_of_text,
             const std::string& out, bool force) {
  return WithAudit(global, false, true, [&](AuditSession& as) {
    std::optional<Date> as_of;
    if (!as_of_text.empty()) ASSAY_RETURN_IF_ERROR(DateOr(as_of_text, &as_of.emplace(), "--as-of"));
    reports::AuditReportInput in;
    ASSAY_RETURN_IF_ERROR(ReportInputAt(as, audit, as_of, 0, &in));
    std::string bytes;
    ASSAY_RETURN_IF_ERROR(reports::OscalAssessmentResults(in, as.catalogue->id, &bytes));
    return WriteExport(out, force, bytes,
                       "OSCAL assessment results of audit " + audit + " as of " + in.report_date.ToString());
  });
}

void AddCertificateCommands(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  CLI::App* cert = audit->add_subcommand("certificate", "Certificates: list, status changes");
  cert->require_subcommand(1);
  {
    auto* cmd = cert->add_subcommand("list", "A client's certificates and their status history");
    auto cl = std::make_shared<std::string>();
    cmd->add_option("CLIENT", *cl, "Client ID")->required();
    cmd->callback([g, exit_code, cl] { *exit_code = RunCertificateList(*g, *cl); });
  }
  {
    auto* cmd = cert->add_subcommand(
        "export", "Certificate data in the field layout of IAF CertSearch (CSV or JSON), one row per certificate and site");
    auto a = std::make_shared<CertExportArgs>();
    cmd->add_option("CLIENT", a->client, "Client ID (default: every client)");
    cmd->add_option("--format", a->format, "csv (default) or json")->check(CLI::IsMember({"csv", "json"}));
    cmd->add_option("--out,-o", a->out, "Output file (default: stdout)");
    cmd->add_flag("--force", a->force, "Overwrite --out if it exists");
    cmd->add_option("--today", a->today, "Status as of this date: an expiry date passed is Expired (default: today, UTC)");
    cmd->callback([g, exit_code, a] { *exit_code = RunCertificateExport(*g, *a); });
  }
  {
    auto* cmd = cert->add_subcommand("status",
                                     "Change a certificate's status: active, suspended, withdrawn, expired, restored");
    auto number = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    auto date = std::make_shared<std::string>();
    auto reason = std::make_shared<std::string>();
    cmd->add_option("NUMBER", *number, "Certificate number")->required();
    cmd->add_option("STATUS", *to, "The new status")->required();
    cmd->add_option("--date", *date, "Date of the change (default: today, UTC)");
    cmd->add_option("--reason", *reason, "Why (recorded)")->required();
    cmd->callback([g, exit_code, number, to, date, reason] {
      *exit_code = RunCertificateStatus(*g, *number, *to, *date, *reason);
    });
  }
}

// Planning an audit and recording how it went.
void AddAuditPlanCommands(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  {
    auto* cmd = audit->add_subcommand("add", "Plan an audit of a client");
    auto a = std::make_shared<AuditArgs>();
    cmd->add_option("ID", a->id, "Audit ID, e.g. NW-S2-2025")->required();
    cmd->add_option("--client", a->client, "Client ID")->required();
    cmd->add_option("--type", a->type, "stage1, stage2, surveillance, recertification or special")->required();
    cmd->add_option("--start", a->planned_start, "Planned first day (YYYY-MM-DD)")->required();
    cmd->add_option("--end", a->planned_end, "Planned last day (default: the first day)");
    cmd->add_option("--site", a->sites, "Site ID (repeatable)");
    cmd->add_option("--objective", a->objectives, "Audit objective (repeatable)");
    cmd->add_option("--criteria", a->criteria, "Audit criterion (repeatable)");
    cmd->add_option("--scope", a->scope, "Audit scope");
    cmd->add_option("--assessment", a->assessment, "Linked capability assessment ID");
    AddReportItemOptions(cmd, a.get());
    cmd->callback([g, exit_code, a] { *exit_code = RunAuditAdd(*g, *a); });
  }
  {
    auto* cmd = audit->add_subcommand("update", "Record how an audit went: status, dates, deviations, sampling");
    auto a = std::make_shared<AuditArgs>();
    cmd->add_option("AUDIT", a->id, "Audit ID")->required();
    cmd->add_option("--status", a->status, "planned, in-progress, completed or cancelled");
    cmd->add_option("--actual-start", a->actual_start, "First day held (YYYY-MM-DD)");
    cmd->add_option("--actual-end", a->actual_end, "Last day held (YYYY-MM-DD)");
    cmd->add_option("--start", a->planned_start, "New planned first day");
    cmd->add_option("--end", a->planned_end, "New planned last day");
    cmd->add_option("--site", a->sites, "Add a site (repeatable)");
    cmd->add_option("--objective", a->objectives, "Add an objective (repeatable)");
    cmd->add_option("--criteria", a->criteria, "Add a criterion (repeatable)");
    cmd->add_option("--scope", a->scope, "Audit scope");
    cmd->add_option("--assessment", a->assessment, "Linked capability assessment ID");
    cmd->add_option("--conclusion", a->conclusion, "The team's overall conclusion");
    cmd->add_option("--deviation", a->deviation, "A deviation from the audit plan (with --reason)");
    cmd->add_option("--reason", a->reason, "Why the plan was deviated from");
    cmd->add_option("--sample", a->sample, "A sampled item, e.g. '25 of 1,240 incident records'");
    cmd->add_option("--sample-clause", a->sample_clause, "The clause the sample is for");
    AddReportItemOptions(cmd, a.get());
    cmd->callback([g, exit_code, a] { *exit_code = RunAuditUpdate(*g, *a); });
  }
}

// The audit team.
void AddTeamCommand(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  CLI::App* team = audit->add_subcommand("team", "The audit team");
  team->require_subcommand(1);
  auto* cmd = team->add_subcommand("add", "Add a person to an audit team");
  auto au = std::make_shared<std::string>();
  auto person = std::make_shared<std::string>();
  auto role = std::make_shared<std::string>();
  cmd->add_option("AUDIT", *au, "Audit ID")->required();
  cmd->add_option("PERSON", *person, "The person's name")->required();
  cmd->add_option("--role", *role, "leader, auditor, technical-expert or observer")->required();
  cmd->callback([g, exit_code, au, person, role] { *exit_code = RunTeamAdd(*g, *au, *person, *role); });
}

// Findings per clause.
void AddFindingCommand(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  CLI::App* finding = audit->add_subcommand("finding", "Findings per clause");
  finding->require_subcommand(1);
  auto* cmd = finding->add_subcommand("add", "Record a finding; a major or minor raises a nonconformity");
  auto a = std::make_shared<FindingArgs>();
  cmd->add_option("ID", a->id, "Finding ID, e.g. F-1")->required();
  cmd->add_option("--audit", a->audit, "Audit ID")->required();
  cmd->add_option("--clause", a->clause, "ISO/IEC 20000-1 clause, e.g. 8.6.1")->required();
  cmd->add_option("--grade", a->grade, "conforming, major, minor, observation or opportunity")->required();
  cmd->add_option("--statement", a->statement, "What was found")->required();
  cmd->add_option("--evidence", a->evidence, "Evidence reference (repeatable)");
  cmd->add_option("--date", a->date, "Date raised (default: the audit's last day)");
  cmd->add_option("--nc", a->nc, "ID of the nonconformity raised (default NC-<finding ID>)");
  cmd->callback([g, exit_code, a] { *exit_code = RunFindingAdd(*g, *a); });
}

// Nonconformities and corrective actions.
void AddNcCommands(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  CLI::App* nc = audit->add_subcommand("nc", "Nonconformities and corrective actions");
  nc->require_subcommand(1);
  {
    auto* cmd = nc->add_subcommand("show", "Show a nonconformity, its plan, history and next states");
    auto id = std::make_shared<std::string>();
    auto today = std::make_shared<std::string>();
    cmd->add_option("NC", *id, "Nonconformity ID")->required();
    cmd->add_option("--today", *today, "Date for the overdue check (default: today, UTC)");
    cmd->callback([g, exit_code, id, today] { *exit_code = RunNcShow(*g, *id, *today); });
  }
  {
    auto* cmd = nc->add_subcommand("list", "The nonconformity register (of one client or all)");
    auto cl = std::make_shared<std::string>();
    auto today = std::make_shared<std::string>();
    auto out = std::make_shared<XlsxOut>();
    cmd->add_option("CLIENT", *cl, "Client ID (default: all)");
    cmd->add_option("--today", *today, "Date for the overdue check (default: today, UTC)");
    cmd->add_option("--format", out->format, "table or xlsx (a workbook; needs --out)")
        ->check(CLI::IsMember({"table", "xlsx"}));
    cmd->add_option("--out,-o", out->path, "xlsx: write the workbook to this file");
    cmd->add_flag("--force", out->force, "Overwrite FILE when it exists");
    cmd->callback([g, exit_code, cl, today, out] { *exit_code = RunNcList(*g, *cl, *today, *out); });
  }
  {
    auto* cmd = nc->add_subcommand(
        "move",
        "Move a nonconformity: plan-submitted, plan-accepted, implemented, verified, closed-effective, "
        "escalated, open");
    auto a = std::make_shared<MoveArgs>();
    cmd->add_option("NC", a->id, "Nonconformity ID")->required();
    cmd->add_option("STATE", a->to, "The new state")->required();
    cmd->add_option("--date", a->date, "Date of the change (default: today, UTC)");
    cmd->add_option("--correction", a->correction, "The correction (immediate fix)");
    cmd->add_option("--root-cause", a->root_cause, "The root cause found");
    cmd->add_option("--action", a->action, "The corrective action");
    cmd->callback([g, exit_code, a] { *exit_code = RunNcMove(*g, *a); });
  }
}

// The audit programme.
void AddProgrammeCommand(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  auto* cmd = audit->add_subcommand("programme", "The 3-year audit programme: what is done, due and overdue");
  auto cl = std::make_shared<std::string>();
  auto today = std::make_shared<std::string>();
  auto out = std::make_shared<XlsxOut>();
  cmd->add_option("CLIENT", *cl, "Client ID")->required();
  cmd->add_option("--today", *today, "As of this date (default: today, UTC)");
  cmd->add_option("--format", out->format,
                  "table, json or xlsx (the programme and the nonconformity register; needs --out)")
      ->check(CLI::IsMember({"table", "json", "xlsx"}));
  cmd->add_option("--out,-o", out->path, "xlsx: write the workbook to this file");
  cmd->add_flag("--force", out->force, "Overwrite FILE when it exists");
  cmd->callback([g, exit_code, cl, today, out] { *exit_code = RunProgramme(*g, *cl, *today, *out); });
}

// The audit-time calculation of a client.
void AddTimeCommand(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  auto* cmd = audit->add_subcommand(
      "time", "A client's audit time: persons in scope, adjustments with reasons, the 30 % cap, the days per audit");
  auto a = std::make_shared<TimeArgs>();
  cmd->add_option("CLIENT", a->client, "Client ID")->required();
  cmd->add_option("--persons", a->persons, "Record the number of persons in the certification scope");
  cmd->add_option("--adjust", a->adjust,
                  "Record an adjustment PERCENT:REASON, e.g. '-20:combined audit with ISO/IEC 27001' (repeatable; "
                  "replaces the recorded adjustments)");
  cmd->add_option("--table", a->table,
                  "The audit-time table: an ID in the model directories' audit-time/ or a file (default: "
                  "audit-time-exemplar, assay's exemplar values)");
  cmd->add_option("--format", a->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->callback([g, exit_code, a] { *exit_code = RunAuditTime(*g, *a); });
}

// An audit's findings and nonconformities as NIST OSCAL assessment results.
void AddOscalCommand(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  auto* cmd = audit->add_subcommand(
      "oscal", "An audit's findings and nonconformities as NIST OSCAL assessment-results JSON (OSCAL 1.0.6)");
  auto au = std::make_shared<std::string>();
  auto today = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  cmd->add_option("AUDIT", *au, "Audit ID")->required();
  cmd->add_option("--as-of", *today,
                  "As of this date (default: as the audit report: the decision's date, else the audit's last day)");
  cmd->add_option("--out,-o", *out, "Output file (default: stdout)");
  cmd->add_flag("--force", *force, "Overwrite --out if it exists");
  cmd->callback([g, exit_code, au, today, out, force] { *exit_code = RunOscal(*g, *au, *today, *out, *force); });
}

// The recommendation (and its override).
void AddRecommendCommand(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  auto* cmd = audit->add_subcommand("recommend", "The audit team's recommendation with its reasons");
  auto au = std::make_shared<std::string>();
  auto today = std::make_shared<std::string>();
  auto kind = std::make_shared<std::string>();
  auto just = std::make_shared<std::string>();
  cmd->add_option("AUDIT", *au, "Audit ID")->required();
  cmd->add_option("--today", *today, "As of this date (default: today, UTC)");
  cmd->add_option("--override", *kind,
                  "Override the computed kind: recommend, recommend-with-conditions, not-recommend, "
                  "new-stage2-required");
  cmd->add_option("--justification", *just, "Why the computed recommendation is overridden (required with it)");
  cmd->callback([g, exit_code, au, today, kind, just] { *exit_code = RunRecommend(*g, *au, *today, *kind, *just); });
}

// The certification decision.
void AddDecideCommand(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  auto* cmd =
      audit->add_subcommand("decide", "Record the certification decision (by a person who was not on the audit team)");
  auto au = std::make_shared<std::string>();
  auto by = std::make_shared<std::string>();
  auto date = std::make_shared<std::string>();
  auto cert = std::make_shared<std::string>();
  cmd->add_option("AUDIT", *au, "Audit ID (a completed stage 2, recertification or special audit)")->required();
  cmd->add_option("--by", *by, "The decision maker")->required();
  cmd->add_option("--date", *date, "Decision date (default: today, UTC)");
  cmd->add_option("--certificate", *cert, "Certificate number (required for an initial decision)");
  cmd->callback([g, exit_code, au, by, date, cert] { *exit_code = RunDecide(*g, *au, *by, *date, *cert); });
}

// The audit report.
void AddReportCommand(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  auto* cmd = audit->add_subcommand("report", "Write the audit report (PDF, or its JSON form)");
  auto au = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto force = std::make_shared<bool>(false);
  auto today = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("pdf");
  auto paper = std::make_shared<std::string>("a4");
  cmd->add_option("AUDIT", *au, "Audit ID")->required();
  cmd->add_option("--out,-o", *out, "Output file (required for pdf; json goes to stdout without it)");
  cmd->add_flag("--force", *force, "Overwrite an existing output file");
  cmd->add_option("--as-of,--today", *today,
                  "As-of date of the report (default: the date of the decision based on the audit, else its last "
                  "day); the report is made from the history as it stood then");
  cmd->add_option("--format", *format, "pdf or json")->check(CLI::IsMember({"pdf", "json"}));
  cmd->add_option("--paper", *paper, "a4 or letter")->check(CLI::IsMember({"a4", "letter"}));
  cmd->callback([g, exit_code, au, out, force, today, format, paper] {
    *exit_code = RunReport(*g, *au, *out, *force, *today, *format, *paper);
  });
}

// Import and export of a client's history.
void AddTransferCommands(CLI::App* audit, const GlobalOptions* g, int* exit_code) {
  {
    auto* cmd = audit->add_subcommand("import", "Import a client's audit history (JSON, all or nothing)");
    auto file = std::make_shared<std::string>();
    auto dry = std::make_shared<bool>(false);
    cmd->add_option("FILE", *file, "JSON file (schemas/audit.schema.json)")->required();
    cmd->add_flag("--dry-run", *dry, "Check everything, write nothing");
    cmd->callback([g, exit_code, file, dry] { *exit_code = RunImport(*g, *file, *dry); });
  }
  {
    auto* cmd = audit->add_subcommand("export", "Export a client's audit history as JSON");
    auto cl = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto force = std::make_shared<bool>(false);
    cmd->add_option("CLIENT", *cl, "Client ID")->required();
    cmd->add_option("-o,--out", *out, "Output file (default: stdout)");
    cmd->add_flag("--force", *force, "Overwrite an existing output file");
    cmd->callback([g, exit_code, cl, out, force] { *exit_code = RunExport(*g, *cl, *out, *force); });
  }
}

}  // namespace

void AddAuditCommands(CLI::App* audit, const GlobalOptions& global, int* exit_code) {
  audit->require_subcommand(1);
  audit->footer(kAuditExitCodes);
  const GlobalOptions* g = &global;

  AddClientCommands(audit, g, exit_code);
  AddSiteCommands(audit, g, exit_code);
  AddPolicyCommand(audit, g, exit_code);
  AddCertificateCommands(audit, g, exit_code);
  AddAuditPlanCommands(audit, g, exit_code);
  AddTeamCommand(audit, g, exit_code);
  AddFindingCommand(audit, g, exit_code);
  AddNcCommands(audit, g, exit_code);
  AddProgrammeCommand(audit, g, exit_code);
  AddTimeCommand(audit, g, exit_code);
  AddRecommendCommand(audit, g, exit_code);
  AddDecideCommand(audit, g, exit_code);
  AddDeclareCommand(audit, g, exit_code);
  AddReportCommand(audit, g, exit_code);
  AddOscalCommand(audit, g, exit_code);
  AddTransferCommands(audit, g, exit_code);
}

int AuditImportCommand(const GlobalOptions& global, const std::string& file) { return RunImport(global, file, false); }

int AuditReportCommand(const GlobalOptions& global, const std::string& audit, const std::string& out, bool force) {
  return RunReport(global, audit, out, force, "", "pdf", "a4");
}

Status AuditReportAt(const GlobalOptions& global, const std::string& audit, const std::string& date, int64_t at_seq,
                     bool pdf, bool letter, std::string* bytes, std::string* snapshot_sha256, std::string* log_head) {
  AuditSession as;
  ASSAY_RETURN_IF_ERROR(OpenAudit(global, false, true, &as));
  std::optional<Date> as_of;
  ASSAY_RETURN_IF_ERROR(OptDate(date, &as_of, "the report date"));
  reports::AuditReportInput in;
  ASSAY_RETURN_IF_ERROR(ReportInputAt(as, audit, as_of, at_seq, &in));
  *snapshot_sha256 = in.manifest.snapshot_sha256;
  *log_head = in.manifest.log_head;
  return RenderAuditReportBytes(global, in, pdf, letter, bytes);
}

}  // namespace assay::cli
