// assay assessment new|list|show|status, scope/unit/instance/person/
// interview/evidence add, rate, log [verify], import, export.
#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "assay/store.h"
#include "assay/text.h"
#include "cli.h"

namespace assay::cli {

namespace {

using nlohmann::json;


// Runs `body` on an opened session; maps the status to an exit code.
template <typename F>
int WithSession(const GlobalOptions& global, bool create, F body) {
  std::unique_ptr<Session> session;
  Status s = OpenSession(global, create, &session);
  if (!s.ok()) return Fail(s);
  s = body(*session->ws);
  return s.ok() ? kExitOk : Fail(s);
}

// A record write on the picked assessment; prints "<what> <id>: added".
template <typename F>
int Write(const GlobalOptions& global, const std::string& assessment, const std::string& what, F put) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::string id;
    ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, assessment, &id));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(put(ws, id, &r));
    std::cerr << what << ": " << Done(r) << "\n";
    return Status::OK();
  });
}

// ---- assessment -------------------------------------------------------------

struct NewArgs {
  Assessment a;
  std::string method = "R2", aggregation = "mean", scale = "standard";
};

int RunNew(const GlobalOptions& global, NewArgs args) {
  if (!ParseRatingMethod(args.method, &args.a.options.method) ||
      !ParseAggregationMethod(args.aggregation, &args.a.options.aggregation) ||
      !ParseScaleKind(args.scale, &args.a.options.scale))
    return Fail(Status::InvalidInput("bad --method, --aggregation or --scale"));
  return WithSession(global, true, [&](Workspace& ws) {
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws.CreateAssessment(args.a, &r));
    Assessment a;
    ASSAY_RETURN_IF_ERROR(ws.GetAssessment(args.a.id, &a));
    std::cerr << "assessment " << a.id << " created in " << ws.path() << ": model " << a.model_id << "@"
              << a.model_version << " (sha256 " << a.model_hash.substr(0, 12) << "...), status planned\n"
              << "next: assay scope add PROCESS --target LEVEL\n";
    return Status::OK();
  });
}

int RunList(const GlobalOptions& global, const std::string& format) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::vector<Assessment> all;
    ASSAY_RETURN_IF_ERROR(ws.ListAssessments(&all));
    if (format == "json") {
      json out = json::array();
      for (const Assessment& a : all)
        out.push_back({{"id", a.id},
                       {"title", a.title},
                       {"organization", a.organization},
                       {"model", a.model_id + "@" + a.model_version},
                       {"status", AssessmentStatusName(a.status)}});
      std::cout << out.dump(2) << "\n";
      return Status::OK();
    }
    std::cout << std::left << std::setw(18) << "ID" << std::setw(12) << "STATUS" << std::setw(18) << "MODEL"
              << "TITLE\n";
    for (const Assessment& a : all)
      std::cout << std::setw(18) << a.id << std::setw(12) << AssessmentStatusName(a.status) << std::setw(18)
                << (a.model_id + "@" + a.model_version) << a.title << "\n";
    return Status::OK();
  });
}

int RunShow(const GlobalOptions& global, const std::string& given, const std::string& format) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::string id;
    ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, given, &id));
    if (format == "json") {
      std::string out;
      ASSAY_RETURN_IF_ERROR(ws.Export(id, &out));
      std::cout << out;
      return Status::OK();
    }
    AssessmentData d;
    ASSAY_RETURN_IF_ERROR(ws.ReadSnapshot(id, &d));
    const Assessment& a = d.assessment;
    std::ostream& out = std::cout;
    out << a.id << "  " << a.title << "\n";
    out << "  status:       " << AssessmentStatusName(a.status) << "\n";
    if (!a.organization.empty()) out << "  organization: " << a.organization << "\n";
    if (!a.sponsor.empty()) out << "  sponsor:      " << a.sponsor << "\n";
    if (!a.purpose.empty()) out << "  purpose:      " << a.purpose << "\n";
    out << "  class:        " << a.assessment_class << (a.independence.empty() ? "" : ", independence " + a.independence)
        << "\n";
    out << "  model:        " << a.model_id << "@" << a.model_version << "  sha256 " << a.model_hash << "\n";
    out << "  rating:       " << RatingMethodName(a.options.method) << ", " << AggregationMethodName(a.options.aggregation)
        << ", " << ScaleKindName(a.options.scale) << " scale\n";
    if (!a.start_date.empty() || !a.end_date.empty())
      out << "  dates:        " << a.start_date << " .. " << a.end_date << "\n";
    out << "  scope:";
    if (d.scope.empty()) out << "        (none)";
    for (const ScopedProcess& s : d.scope) out << "  " << s.process << " (target " << s.target_level << ")";
    out << "\n";
    for (const ProcessInstance& i : d.instances) {
      size_t n = 0;
      for (const Rating& r : d.ratings) n += r.instance == i.id;
      out << "  instance      " << std::left << std::setw(20) << i.id << " " << std::setw(8) << i.process
          << (i.unit.empty() ? "" : " unit " + i.unit) << "  weight " << i.weight << "  " << n << " ratings\n";
    }
    for (const Person& p : d.people) {
      std::vector<std::string> roles;
      for (Role r : p.roles) roles.push_back(RoleName(r));
      out << "  person        " << std::setw(12) << p.id << " " << p.name << (roles.empty() ? "" : " (" + Join(roles) + ")")
          << "\n";
    }
    size_t outside = 0;
    for (const Rating& r : d.ratings) outside += r.outside_scope;
    out << "  " << d.units.size() << " units, " << d.interviews.size() << " interviews, " << d.evidence.size()
        << " evidence items, " << d.ratings.size() << " current ratings";
    if (outside) out << " (" << outside << " outside scope)";
    out << "\n";
    std::vector<AssessmentStatus> next = AllowedTransitions(a.status);
    std::vector<std::string> names;
    for (AssessmentStatus s : next) names.push_back(AssessmentStatusName(s));
    if (!names.empty()) out << "  next status:  " << Join(names, " or ") << "\n";
    return Status::OK();
  });
}

int RunStatus(const GlobalOptions& global, const std::string& given, const std::string& to) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::string id;
    ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, given, &id));
    Assessment a;
    ASSAY_RETURN_IF_ERROR(ws.GetAssessment(id, &a));
    std::vector<std::string> allowed;
    for (AssessmentStatus s : AllowedTransitions(a.status)) allowed.push_back(AssessmentStatusName(s));
    if (to.empty()) {
      std::cout << id << ": " << AssessmentStatusName(a.status) << "\n";
      std::cerr << "allowed next: " << (allowed.empty() ? "none (closed is final)" : Join(allowed)) << "\n";
      return Status::OK();
    }
    AssessmentStatus target;
    if (!ParseAssessmentStatus(to, &target))
      return Status::InvalidInput("unknown status '" + to + "'" +
                                  SuggestionSuffix(to, {"planned", "collecting", "validating", "rated", "reported",
                                                        "closed"}));
    WriteResult r;
    ASSAY_RETURN_IF_ERROR(ws.SetStatus(id, target, &r));
    std::cerr << id << ": " << AssessmentStatusName(a.status) << " -> " << AssessmentStatusName(target)
              << (r.kind == WriteResult::Kind::kUnchanged ? " (unchanged)" : "") << "\n";
    return Status::OK();
  });
}

// ---- log ----------------------------------------------------------------------

std::string Short(const json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

// "RES.1/EU PA1.1 ada" for a rating key, the key itself otherwise.
std::string EntityLabel(const Event& e) {
  if (e.entity != "rating") return e.entity_id;
  try {
    json k = json::parse(e.entity_id);
    std::string who = k[2].get<std::string>();
    return k[0].get<std::string>() + " " + k[1].get<std::string>() + " " + (who.empty() ? "consolidated" : who);
  } catch (const std::exception&) {
    return e.entity_id;
  }
}

// What changed: "value: P -> L; weakness: (none) -> ...".
std::string Change(const Event& e) {
  try {
    json after = json::parse(e.after);
    json before = e.before.empty() ? json::object() : json::parse(e.before);
    std::vector<std::string> parts;
    if (e.action == "import") {
      // One event for a whole batch of ratings (docs/WORKSPACE.md); the
      // entity ID column already names the file.
      auto count = [&](const char* key) { return after.value(key, static_cast<int64_t>(0)); };
      return std::to_string(count("count")) + " ratings (" + std::to_string(count("created")) + " created, " +
             std::to_string(count("updated")) + " updated)";
    }
    if (e.before.empty()) {
      for (const char* key : {"value", "status", "target_level", "title", "name", "kind", "reference", "held_at"})
        if (after.contains(key)) parts.push_back(std::string(key) + " " + Short(after[key]));
      return Join(parts, ", ");
    }
    for (auto it = after.begin(); it != after.end(); ++it)
      if (!before.contains(it.key()) || before[it.key()] != it.value())
        parts.push_back(it.key() + ": " + (before.contains(it.key()) ? Short(before[it.key()]) : "(none)") + " -> " +
                        Short(it.value()));
    for (auto it = before.begin(); it != before.end(); ++it)
      if (!after.contains(it.key())) parts.push_back(it.key() + ": " + Short(it.value()) + " -> (none)");
    return Join(parts, "; ");
  } catch (const std::exception&) {
    return "(unreadable)";
  }
}

// Stored JSON, or the raw text when it does not parse (a tampered row).
json ParseOrText(const std::string& text) {
  try {
    return json::parse(text);
  } catch (const std::exception&) {
    return text;
  }
}

int RunLog(const GlobalOptions& global, const std::string& assessment, const std::string& format) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::vector<Event> events;
    ASSAY_RETURN_IF_ERROR(ws.ReadLog(assessment, &events));
    if (!assessment.empty() && events.empty()) {
      Assessment a;
      ASSAY_RETURN_IF_ERROR(ws.GetAssessment(assessment, &a));  // NotFound with suggestions
    }
    if (format == "json") {
      json out = json::array();
      for (const Event& e : events)
        out.push_back({{"seq", e.seq},
                       {"at", e.at},
                       {"actor", e.actor},
                       {"assessment", e.assessment},
                       {"action", e.action},
                       {"entity", e.entity},
                       {"entity_id", e.entity_id},
                       {"before", e.before.empty() ? json(nullptr) : ParseOrText(e.before)},
                       {"after", ParseOrText(e.after)},
                       {"hash", e.hash}});
      std::cout << out.dump(2) << "\n";
      return Status::OK();
    }
    for (const Event& e : events)
      std::cout << std::left << std::setw(5) << e.seq << " " << e.at << "  " << std::setw(10) << e.actor << " "
                << std::setw(7) << e.action << " " << std::setw(10) << e.entity << " " << std::setw(28) << EntityLabel(e)
                << " " << Change(e) << "\n";
    if (!events.empty()) std::cerr << "head: event " << events.back().seq << " " << events.back().hash << "\n";
    return Status::OK();
  });
}

int RunVerify(const GlobalOptions& global) {
  return WithSession(global, false, [&](Workspace& ws) {
    VerifyReport v;
    Status s = ws.VerifyLog(&v);
    if (!s.ok()) return s;
    std::cout << "ok: " << v.events << " events and " << v.records << " records verified; head event " << v.head_seq
              << " " << v.head_hash << "\n";
    return Status::OK();
  });
}

// ---- import / export ----------------------------------------------------------

int RunImport(const GlobalOptions& global, const std::string& file, const std::string& assessment, bool dry_run,
              const std::string& template_format) {
  if (!template_format.empty()) {
    std::cout << CsvTemplate();
    return kExitOk;
  }
  if (file.empty()) return Fail(Status::InvalidInput("give a FILE to import, or --template csv"));
  // A dry run never creates the workspace: without one it checks against an
  // empty in-memory workspace.
  GlobalOptions g = global;
  std::error_code ec;
  if (dry_run && !std::filesystem::exists(g.db, ec)) g.db = ":memory:";
  return WithSession(g, !dry_run || g.db == ":memory:", [&](Workspace& ws) {
    ImportOptions o;
    o.dry_run = dry_run;
    o.default_assessment = assessment;
    if (o.default_assessment.empty()) {
      std::string latest;
      if (ws.LatestAssessment(&latest).ok()) o.default_assessment = latest;
    }
    ImportReport report;
    Status s = ws.Import(file, o, &report);
    PrintDiagnostics(report.problems);
    if (!s.ok()) return s;
    std::cerr << (dry_run ? "dry run, nothing written: " : "imported into ") << report.assessment << ": "
              << report.created << " created, " << report.updated << " updated, " << report.unchanged
              << " unchanged\n";
    return Status::OK();
  });
}

int RunExport(const GlobalOptions& global, const std::string& given, const std::string& out_path, bool force) {
  return WithSession(global, false, [&](Workspace& ws) {
    std::string id;
    ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, given, &id));
    std::string text;
    ASSAY_RETURN_IF_ERROR(ws.Export(id, &text));
    if (out_path.empty() || out_path == "-") {
      std::cout << text;
      return Status::OK();
    }
    ASSAY_RETURN_IF_ERROR(WriteOutputFile(out_path, text, force));
    std::cerr << "wrote " << out_path << "\n";
    return Status::OK();
  });
}

// -a/--assessment on a subcommand.
void AddAssessmentOption(CLI::App* cmd, std::string* target) {
  cmd->add_option("-a,--assessment", *target, "Assessment ID (default: the most recent)");
}

}  // namespace

void AddAssessmentCommands(CLI::App& app, const GlobalOptions& global, int* exit_code) {
  // assessment new|list|show|status
  CLI::App* assessment = app.add_subcommand("assessment", "Create, list, show assessments and move their status");
  assessment->require_subcommand(1);
  {
    auto* cmd = assessment->add_subcommand("new", "Create an assessment pinned to a model pack");
    auto args = std::make_shared<NewArgs>();
    cmd->add_option("ID", args->a.id, "Assessment ID, e.g. ACME-2026")->required();
    cmd->add_option("--model,-m", args->a.model_id, "Process assessment model pack ID (see assay model list)")
        ->required();
    cmd->add_option("--model-version", args->a.model_version, "Pack version (default: the newest)");
    cmd->add_option("--title,-t", args->a.title, "Title");
    cmd->add_option("--organization", args->a.organization, "Assessed organization");
    cmd->add_option("--sponsor", args->a.sponsor, "Sponsor (person ID or name)");
    cmd->add_option("--purpose", args->a.purpose, "Purpose of the assessment");
    cmd->add_option("--class", args->a.assessment_class, "Assessment class 1, 2 or 3 (default 3)");
    cmd->add_option("--independence", args->a.independence, "Independence category A, B, C or D");
    cmd->add_option("--method", args->method, "Rating method R1, R2 or R3 (default R2)")
        ->check(CLI::IsMember({"R1", "R2", "R3"}));
    cmd->add_option("--aggregation", args->aggregation, "mean, weighted-mean, median or minimum (default mean)")
        ->check(CLI::IsMember({"mean", "weighted-mean", "median", "minimum"}));
    cmd->add_option("--scale", args->scale, "standard (N P L F) or refined (N P- P+ L- L+ F)")
        ->check(CLI::IsMember({"standard", "refined"}));
    cmd->add_option("--weights-rationale", args->a.options.weights_rationale, "Why instances weigh what they do");
    cmd->add_option("--constraints", args->a.constraints, "Constraints (resources, duration, exclusions)");
    cmd->add_option("--confidentiality", args->a.confidentiality, "Confidentiality and ownership statement");
    cmd->add_option("--start", args->a.start_date, "Start date (YYYY-MM-DD)");
    cmd->add_option("--end", args->a.end_date, "End date (YYYY-MM-DD)");
    cmd->callback([&global, exit_code, args] { *exit_code = RunNew(global, *args); });
  }
  {
    auto* cmd = assessment->add_subcommand("list", "List the assessments of the workspace");
    auto format = std::make_shared<std::string>("table");
    cmd->add_option("--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
    cmd->callback([&global, exit_code, format] { *exit_code = RunList(global, *format); });
  }
  {
    auto* cmd = assessment->add_subcommand("show", "Show an assessment: scope, instances, people, counts");
    auto id = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("table");
    cmd->add_option("ID", *id, "Assessment ID (default: the most recent)");
    cmd->add_option("--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
    cmd->callback([&global, exit_code, id, format] { *exit_code = RunShow(global, *id, *format); });
  }
  {
    auto* cmd = assessment->add_subcommand(
        "status", "Show the status, or move it: planned, collecting, validating, rated, reported, closed");
    auto id = std::make_shared<std::string>();
    auto to = std::make_shared<std::string>();
    cmd->add_option("STATUS", *to, "The new status (omit to show the current one)");
    AddAssessmentOption(cmd, id.get());
    cmd->callback([&global, exit_code, id, to] { *exit_code = RunStatus(global, *id, *to); });
  }

  {
    auto* cmd = assessment->add_subcommand("set", "Change descriptive fields (a new version of the assessment)");
    auto id = std::make_shared<std::string>();
    auto values = std::make_shared<std::map<std::string, std::string>>();
    std::vector<std::pair<const char*, const char*>> fields = {
        {"title", "Title"},           {"organization", "Assessed organization"},
        {"sponsor", "Sponsor"},       {"purpose", "Purpose"},
        {"independence", "A-D"},      {"constraints", "Constraints"},
        {"confidentiality", "Confidentiality and ownership statement"},
        {"start", "Start date"},      {"end", "End date"},
        {"weights-rationale", "Why instances weigh what they do"}};
    auto options = std::make_shared<std::vector<std::pair<std::string, CLI::Option*>>>();
    for (const auto& [name, help] : fields) {
      std::string& slot = (*values)[name];
      options->emplace_back(name, cmd->add_option(std::string("--") + name, slot, help));
    }
    AddAssessmentOption(cmd, id.get());
    cmd->callback([&global, exit_code, id, values, options] {
      *exit_code = WithSession(global, false, [&](Workspace& ws) {
        std::string aid;
        ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, *id, &aid));
        Assessment a;
        ASSAY_RETURN_IF_ERROR(ws.GetAssessment(aid, &a));
        std::map<std::string, std::string*> target = {
            {"title", &a.title},           {"organization", &a.organization},
            {"sponsor", &a.sponsor},       {"purpose", &a.purpose},
            {"independence", &a.independence}, {"constraints", &a.constraints},
            {"confidentiality", &a.confidentiality}, {"start", &a.start_date},
            {"end", &a.end_date},          {"weights-rationale", &a.options.weights_rationale}};
        for (const auto& [name, opt] : *options)
          if (opt->count()) *target[name] = (*values)[name];
        WriteResult r;
        ASSAY_RETURN_IF_ERROR(ws.UpdateAssessment(a, &r));
        std::cerr << "assessment " << aid << ": " << Done(r) << "\n";
        return Status::OK();
      });
    });
  }

  // scope add
  {
    CLI::App* scope = app.add_subcommand("scope", "Processes in the assessment's scope");
    scope->require_subcommand(1);
    auto* cmd = scope->add_subcommand("add", "Add a process with its target capability level");
    auto a = std::make_shared<std::string>();
    auto s = std::make_shared<ScopedProcess>();
    cmd->add_option("PROCESS", s->process, "Process ID of the pinned model")->required();
    cmd->add_option("--target,-t", s->target_level, "Target capability level (default 3)");
    AddAssessmentOption(cmd, a.get());
    cmd->callback([&global, exit_code, a, s] {
      *exit_code = Write(global, *a, "scope " + s->process,
                         [&](Workspace& ws, const std::string& id, WriteResult* r) { return ws.PutScope(id, *s, r); });
    });
  }
  // unit add
  {
    CLI::App* unit = app.add_subcommand("unit", "Organizational units");
    unit->require_subcommand(1);
    auto* cmd = unit->add_subcommand("add", "Add an organizational unit");
    auto a = std::make_shared<std::string>();
    auto u = std::make_shared<OrgUnit>();
    cmd->add_option("ID", u->id, "Unit ID")->required();
    cmd->add_option("--name,-n", u->name, "Name");
    cmd->add_option("--description", u->description, "Size, products, context");
    AddAssessmentOption(cmd, a.get());
    cmd->callback([&global, exit_code, a, u] {
      *exit_code = Write(global, *a, "unit " + u->id,
                         [&](Workspace& ws, const std::string& id, WriteResult* r) { return ws.PutUnit(id, *u, r); });
    });
  }
  // instance add
  {
    CLI::App* instance = app.add_subcommand("instance", "Process instances");
    instance->require_subcommand(1);
    auto* cmd = instance->add_subcommand("add", "Add a process instance");
    auto a = std::make_shared<std::string>();
    auto i = std::make_shared<ProcessInstance>();
    cmd->add_option("ID", i->id, "Instance ID, e.g. RES.1/ServiceDesk-EU")->required();
    cmd->add_option("--process,-p", i->process, "Process ID (in scope)")->required();
    cmd->add_option("--name,-n", i->name, "Name");
    cmd->add_option("--unit,-u", i->unit, "Organizational unit ID");
    cmd->add_option("--weight,-w", i->weight, "Weight for weighted aggregation (default 1)");
    AddAssessmentOption(cmd, a.get());
    cmd->callback([&global, exit_code, a, i] {
      *exit_code = Write(global, *a, "instance " + i->id, [&](Workspace& ws, const std::string& id, WriteResult* r) {
        return ws.PutInstance(id, *i, r);
      });
    });
  }
  // person add
  {
    CLI::App* person = app.add_subcommand("person", "Team and participants");
    person->require_subcommand(1);
    auto* cmd = person->add_subcommand("add", "Add a person with roles");
    auto a = std::make_shared<std::string>();
    auto p = std::make_shared<Person>();
    auto roles = std::make_shared<std::vector<std::string>>();
    cmd->add_option("ID", p->id, "Short handle, e.g. mkoch")->required();
    cmd->add_option("--name,-n", p->name, "Full name");
    cmd->add_option("--organization,-o", p->organization, "Organization");
    cmd->add_option("--role,-r", *roles,
                    "Role (repeatable): sponsor, lead-assessor, assessor, coordinator, interviewee, observer");
    AddAssessmentOption(cmd, a.get());
    cmd->callback([&global, exit_code, a, p, roles] {
      p->roles.clear();
      for (const std::string& r : *roles) {
        Role role;
        if (!ParseRole(r, &role)) {
          *exit_code = Fail(Status::InvalidInput(
              "unknown role '" + r + "'" +
              SuggestionSuffix(r, {"sponsor", "lead-assessor", "assessor", "coordinator", "interviewee", "observer"})));
          return;
        }
        p->roles.push_back(role);
      }
      *exit_code = Write(global, *a, "person " + p->id,
                         [&](Workspace& ws, const std::string& id, WriteResult* r) { return ws.PutPerson(id, *p, r); });
    });
  }
  // interview add
  {
    CLI::App* interview = app.add_subcommand("interview", "Interviews");
    interview->require_subcommand(1);
    auto* cmd = interview->add_subcommand("add", "Record an interview");
    auto a = std::make_shared<std::string>();
    auto i = std::make_shared<Interview>();
    cmd->add_option("ID", i->id, "Interview ID, e.g. I-3")->required();
    cmd->add_option("--at", i->held_at, "Date and time (default: now, UTC)");
    cmd->add_option("--interviewer", i->interviewers, "Interviewer person ID (repeatable)");
    cmd->add_option("--interviewee", i->interviewees, "Interviewee person ID (repeatable)");
    cmd->add_option("--process,-p", i->processes, "Process covered (repeatable)");
    cmd->add_option("--instance,-i", i->instances, "Instance covered (repeatable)");
    cmd->add_option("--notes", i->notes, "Notes");
    AddAssessmentOption(cmd, a.get());
    cmd->callback([&global, exit_code, a, i] {
      if (i->held_at.empty()) i->held_at = NowUtc();
      *exit_code = Write(global, *a, "interview " + i->id, [&](Workspace& ws, const std::string& id, WriteResult* r) {
        return ws.PutInterview(id, *i, r);
      });
    });
  }
  // evidence add
  {
    CLI::App* evidence = app.add_subcommand("evidence", "Evidence items");
    evidence->require_subcommand(1);
    auto* cmd = evidence->add_subcommand("add", "Record an evidence item");
    auto a = std::make_shared<std::string>();
    auto e = std::make_shared<Evidence>();
    auto kind = std::make_shared<std::string>("document");
    auto file = std::make_shared<std::string>();
    cmd->add_option("ID", e->id, "Evidence ID, e.g. EV-12")->required();
    cmd->add_option("--kind,-k", *kind,
                    "document, record, interview-statement, observation or tool-demonstration (default document)")
        ->check(CLI::IsMember({"document", "record", "interview-statement", "observation", "tool-demonstration"}));
    cmd->add_option("--ref,-r", e->reference, "Reference: document ID, ticket, URL");
    cmd->add_option("--description,-d", e->description, "Description");
    cmd->add_option("--effective", e->effective_date, "Date the evidence speaks for");
    cmd->add_option("--collected", e->collected_date, "Date collected (default: today)");
    cmd->add_option("--by", e->collected_by, "Person ID who collected it");
    cmd->add_option("--interview", e->interview, "Interview ID it came from");
    cmd->add_option("--sha256", e->sha256, "SHA-256 of the attached file");
    cmd->add_option("--file,-f", *file, "Attached file: its SHA-256 is computed and recorded");
    AddAssessmentOption(cmd, a.get());
    cmd->callback([&global, exit_code, a, e, kind, file] {
      ParseEvidenceKind(*kind, &e->kind);
      if (e->collected_date.empty()) e->collected_date = NowUtc().substr(0, 10);
      if (!file->empty()) {
        std::string hex;
        Status s = FileSha256(*file, &hex);
        if (!s.ok()) {
          *exit_code = Fail(s);
          return;
        }
        if (!e->sha256.empty() && e->sha256 != hex) {
          *exit_code = Fail(Status::InvalidInput("--sha256 does not match the SHA-256 of " + *file + " (" + hex + ")"));
          return;
        }
        e->sha256 = hex;
      }
      *exit_code = Write(global, *a, "evidence " + e->id, [&](Workspace& ws, const std::string& id, WriteResult* r) {
        return ws.PutEvidence(id, *e, r);
      });
    });
  }
  // rate
  {
    auto* cmd = app.add_subcommand("rate", "Record one rating (a new version if the item was rated before)");
    auto a = std::make_shared<std::string>();
    auto r = std::make_shared<Rating>();
    cmd->add_option("--instance,-i", r->instance, "Process instance ID")->required();
    cmd->add_option("--item,-x", r->item, "Indicator, outcome, achievement or process attribute ID")->required();
    cmd->add_option("--value,-v", r->value, "N, P-, P, P+, L-, L, L+, F or a percentage such as 72%")->required();
    cmd->add_option("--process,-p", r->process, "Process ID (default: the instance's)");
    auto* assessor = cmd->add_option("--assessor,-s", r->assessor, "Assessor person ID");
    auto* consolidated = cmd->add_flag("--consolidated,-c", r->consolidated, "The team's consolidated rating");
    assessor->excludes(consolidated);
    cmd->add_option("--weakness,-W", r->weakness, "Weakness statement");
    cmd->add_option("--strength,-S", r->strength, "Strength statement");
    cmd->add_option("--reason,-R", r->reasons, "Reason code of the model (repeatable)");
    cmd->add_option("--evidence,-e", r->evidence, "Evidence ID (repeatable)");
    cmd->add_option("--justification", r->justification, "Why a consistency rule deviation is accepted");
    cmd->add_option("--at", r->rated_at, "When rated (default: now, UTC)");
    AddAssessmentOption(cmd, a.get());
    cmd->callback([&global, exit_code, a, r] {
      *exit_code = WithSession(global, false, [&](Workspace& ws) {
        std::string id;
        ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, *a, &id));
        WriteResult res;
        ASSAY_RETURN_IF_ERROR(ws.Rate(id, *r, &res));
        std::string value;
        NormalizeRatingValue(r->value, &value);
        std::cerr << "rated " << r->instance << " " << r->item << " = " << value << " by "
                  << (r->consolidated ? std::string("the team (consolidated)") : r->assessor) << ": " << Done(res)
                  << (res.event ? ", event " + std::to_string(res.event) : "") << "\n";
        if (res.outside_scope)
          std::cerr << "note: " << r->item << " is above the target level of the process; recorded as outside scope\n";
        return Status::OK();
      });
    });
  }
  // log [ASSESSMENT], log verify
  {
    auto* log = app.add_subcommand("log", "Show who changed what, when (the hash-chained event log)");
    auto id = std::make_shared<std::string>();
    auto format = std::make_shared<std::string>("table");
    log->add_option("ASSESSMENT", *id, "Only this assessment's events");
    log->add_option("--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
    auto* verify = log->add_subcommand("verify", "Verify the whole chain and every record against it (exit 7 if broken)");
    verify->callback([&global, exit_code] { *exit_code = RunVerify(global); });
    log->callback([&global, exit_code, id, format, verify] {
      if (verify->parsed()) return;
      *exit_code = RunLog(global, *id, *format);
    });
  }
  // import
  {
    auto* cmd = app.add_subcommand("import", "Import an assessment or ratings (JSON, or CSV ratings); all or nothing");
    auto file = std::make_shared<std::string>();
    auto a = std::make_shared<std::string>();
    auto dry = std::make_shared<bool>(false);
    auto tmpl = std::make_shared<std::string>();
    cmd->add_option("FILE", *file, "JSON (schemas/assessment.schema.json) or CSV file");
    cmd->add_flag("--dry-run,-n", *dry, "Check everything and list every problem; write nothing");
    cmd->add_option("--template", *tmpl, "Print a template instead: csv")->check(CLI::IsMember({"csv"}));
    AddAssessmentOption(cmd, a.get());
    cmd->callback([&global, exit_code, file, a, dry, tmpl] {
      *exit_code = RunImport(global, *file, *a, *dry, *tmpl);
    });
  }
  // export
  {
    auto* cmd = app.add_subcommand("export", "Write an assessment as JSON that imports into an identical one");
    auto id = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    cmd->add_option("ID", *id, "Assessment ID (default: the most recent)");
    auto force = std::make_shared<bool>(false);
    cmd->add_option("--out,-o", *out, "Write to this file instead of stdout");
    cmd->add_flag("--force", *force, "Overwrite FILE when it exists");
    cmd->callback([&global, exit_code, id, out, force] { *exit_code = RunExport(global, *id, *out, *force); });
  }
}

}  // namespace assay::cli
