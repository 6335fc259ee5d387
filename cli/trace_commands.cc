// assay evidence list|show, assay interview list|show, assay person
// register|list|show and assay trace: the reading side of evidence,
// interviews and the people registry, and what evidence supports or
// what backs a process attribute (computed by the engine, rating.h Trace; this file
// only renders). JSON output follows schemas/trace.schema.json.
#include <algorithm>
#include <tuple>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/text.h"
#include "assay/rating.h"
#include "cli.h"
#include "commands.h"

namespace assay::cli {

namespace {

using ordered_json = nlohmann::ordered_json;

// ---- rendering helpers ------------------------------------------------------

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }
std::string ListOrDash(const std::vector<std::string>& v) { return v.empty() ? "-" : Join(v); }

std::string Levels(const std::vector<int>& levels) {
  std::vector<std::string> parts;
  for (int l : levels) parts.push_back(std::to_string(l));
  return ListOrDash(parts);
}

std::string RatedBy(const Rating& r) { return r.consolidated || r.assessor.empty() ? "team" : r.assessor; }

// "  key   value" lines; empty values are skipped.
void PrintFields(const std::vector<std::pair<std::string, std::string>>& fields) {
  size_t w = 0;
  for (const auto& [k, v] : fields) w = std::max(w, k.size());
  for (const auto& [k, v] : fields)
    if (!v.empty()) std::cout << "  " << k << std::string(w - k.size() + 2, ' ') << v << "\n";
}

ordered_json OrNull(const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); }

ordered_json EvidenceJson(const EvidenceEntry& e) {
  const Evidence& ev = e.evidence;
  return {{"id", ev.id},
          {"kind", EvidenceKindName(ev.kind)},
          {"reference", ev.reference},
          {"description", ev.description},
          {"effective_date", OrNull(ev.effective_date)},
          {"collected_date", OrNull(ev.collected_date)},
          {"collected_by", OrNull(ev.collected_by)},
          {"sha256", OrNull(ev.sha256)},
          {"interview", OrNull(ev.interview)},
          {"cited_by", e.cited_by}};
}

ordered_json InterviewJson(const Interview& i) {
  return {{"id", i.id},
          {"held_at", i.held_at},
          {"interviewers", i.interviewers},
          {"interviewees", i.interviewees},
          {"processes", i.processes},
          {"instances", i.instances},
          {"notes", i.notes}};
}

ordered_json RatingJson(const Rating& r) {
  return {{"process", r.process},
          {"instance", r.instance},
          {"item", r.item},
          {"item_kind", ItemKindName(r.item_kind)},
          {"assessor", OrNull(r.consolidated ? "" : r.assessor)},
          {"consolidated", r.consolidated},
          {"value", r.value},
          {"strength", OrNull(r.strength)},
          {"weakness", OrNull(r.weakness)},
          {"evidence", r.evidence},
          {"rated_at", r.rated_at},
          {"outside_scope", r.outside_scope}};
}

ordered_json SupportJson(const Support& s) {
  return {{"indicators", s.indicators},
          {"outcomes", s.outcomes},
          {"achievements", s.achievements},
          {"attributes", s.attributes},
          {"levels", s.levels}};
}

void PrintJson(const ordered_json& j) { std::cout << j.dump(2) << "\n"; }

// Loads the assessment (-a, else the most recent) and runs `body(loaded)`.
template <typename F>
int WithLoaded(const GlobalOptions& global, const std::string& assessment, F body) {
  Loaded loaded;
  Status s = LoadAssessment(global, assessment, &loaded);
  if (s.ok()) s = body(loaded);
  return s.ok() ? kExitOk : Fail(s);
}

// The same, with the files the workspace keeps: body(loaded, kept).
template <typename F>
int WithLoadedAndKept(const GlobalOptions& global, std::string assessment, F body) {
  std::unique_ptr<Session> session;
  Loaded loaded;
  KeptFiles kept;
  Status s = OpenSession(global, false, &session);
  if (s.ok()) s = PickAssessment(session->ws.get(), assessment, &assessment, "with -a");
  if (s.ok()) s = ReadAssessment(session.get(), assessment, SnapshotOptions(), &loaded);
  if (s.ok()) s = ReadKeptFiles(session->ws.get(), &kept);
  if (s.ok()) s = body(loaded, kept);
  return s.ok() ? kExitOk : Fail(s);
}

// ---- evidence -----------------------------------------------------------------

Status EvidenceList(const Loaded& l, const KeptFiles& kept, const std::string& format) {
  std::vector<EvidenceEntry> all = ListEvidence(l.data);
  if (format == "json") {
    std::cout << EvidenceListJson(l.data, kept);
    return Status::OK();
  }
  std::vector<std::vector<std::string>> rows = {{"ID", "KIND", "COLLECTED", "BY", "INTERVIEW", "CITED", "REFERENCE"}};
  for (const EvidenceEntry& e : all)
    rows.push_back({e.evidence.id, EvidenceKindName(e.evidence.kind), OrDash(e.evidence.collected_date),
                    OrDash(e.evidence.collected_by), OrDash(e.evidence.interview), std::to_string(e.cited_by),
                    e.evidence.reference});
  PrintTable(rows);
  return Status::OK();
}

// What the workspace holds of the item's attached file: "" (none attached).
std::string FileText(const Evidence& ev, const KeptFiles* kept) {
  if (ev.sha256.empty() || kept == nullptr) return "";
  auto it = kept->find(ev.sha256);
  if (it == kept->end()) return "not kept in the workspace (its SHA-256 only)";
  return "kept in the workspace (" + std::to_string(it->second) + " bytes; assay evidence file " + ev.id + " -o FILE)";
}

// The record's fields; `held`: when its interview was held, if known;
// `kept`: the files the workspace keeps, when known.
void PrintEvidenceFields(const EvidenceEntry& e, const std::string& held = "", const KeptFiles* kept = nullptr) {
  const Evidence& ev = e.evidence;
  PrintFields({{"kind", EvidenceKindName(ev.kind)},
               {"reference", ev.reference},
               {"description", ev.description},
               {"effective", ev.effective_date},
               {"collected", ev.collected_date + (ev.collected_by.empty() ? "" : " by " + ev.collected_by)},
               {"interview", ev.interview + (held.empty() ? "" : " (held " + held + ")")},
               {"sha256", ev.sha256},
               {"file", FileText(ev, kept)},
               {"cited by", std::to_string(e.cited_by) + (e.cited_by == 1 ? " rating" : " ratings")}});
}

Status EvidenceShow(const Loaded& l, const KeptFiles& kept, const std::string& id, const std::string& format) {
  EvidenceEntry e;
  ASSAY_RETURN_IF_ERROR(GetEvidence(l.data, id, &e));
  if (format == "json") {
    ordered_json j = EvidenceJson(e);
    j["kept"] = kept.count(e.evidence.sha256) > 0;
    PrintJson({{"format", "assay-evidence/1"}, {"assessment", l.data.assessment.id}, {"evidence", j}});
    return Status::OK();
  }
  std::cout << "Evidence " << e.evidence.id << "\n";
  PrintEvidenceFields(e, "", &kept);
  return Status::OK();
}

// ---- interviews ---------------------------------------------------------------

ordered_json InterviewEntryJson(const InterviewEntry& i) {
  ordered_json j = InterviewJson(i.interview);
  j["evidence"] = i.evidence;
  return j;
}

Status InterviewList(const Loaded& l, const std::string& format) {
  std::vector<InterviewEntry> all = ListInterviews(l.data);
  if (format == "json") {
    std::cout << InterviewListJson(l.data);
    return Status::OK();
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", "HELD", "PROCESSES", "INTERVIEWERS", "INTERVIEWEES", "EVIDENCE"}};
  for (const InterviewEntry& i : all)
    rows.push_back({i.interview.id, i.interview.held_at, ListOrDash(i.interview.processes),
                    ListOrDash(i.interview.interviewers), ListOrDash(i.interview.interviewees),
                    ListOrDash(i.evidence)});
  PrintTable(rows);
  return Status::OK();
}

Status InterviewShow(const Loaded& l, const std::string& id, const std::string& format) {
  InterviewEntry i;
  ASSAY_RETURN_IF_ERROR(GetInterview(l.data, id, &i));
  if (format == "json") {
    PrintJson(
        {{"format", "assay-interview/1"}, {"assessment", l.data.assessment.id}, {"interview", InterviewEntryJson(i)}});
    return Status::OK();
  }
  const Interview& v = i.interview;
  std::cout << "Interview " << v.id << "\n";
  PrintFields({{"held", v.held_at},
               {"interviewers", Join(v.interviewers)},
               {"interviewees", Join(v.interviewees)},
               {"processes", Join(v.processes)},
               {"instances", Join(v.instances)},
               {"evidence", Join(i.evidence)},
               {"notes", v.notes}});
  return Status::OK();
}

// ---- trace EVIDENCE -------------------------------------------------------------

// "RES.1.O2 -> PA1.1 (level 1)", "PA2.1 (level 2)".
std::string SupportText(const Support& s) {
  std::vector<std::string> statements = s.outcomes;
  statements.insert(statements.end(), s.achievements.begin(), s.achievements.end());
  std::string out = statements.empty() ? "" : Join(statements) + " -> ";
  out += ListOrDash(s.attributes);
  if (!s.levels.empty()) out += (s.levels.size() == 1 ? " (level " : " (levels ") + Levels(s.levels) + ")";
  return out;
}

ordered_json EvidenceTraceJson(const std::string& assessment, const EvidenceTrace& t) {
  ordered_json ratings = ordered_json::array();
  for (const TracedRating& r : t.ratings) {
    ordered_json j = RatingJson(r.rating);
    j["item_label"] = r.item_label;
    j["supports"] = SupportJson(r.supports);
    ratings.push_back(std::move(j));
  }
  ordered_json supports = SupportJson(t.supports);
  supports["processes"] = t.processes;
  supports["instances"] = t.instances;
  return {{"format", "assay-trace-evidence/1"},
          {"assessment", assessment},
          {"evidence", EvidenceJson(t.evidence)},
          {"interview", t.interview.id.empty() ? ordered_json(nullptr) : InterviewJson(t.interview)},
          {"ratings", ratings},
          {"supports", supports}};
}

void PrintEvidenceTrace(const EvidenceTrace& t) {
  std::cout << "Evidence " << t.evidence.evidence.id << "\n";
  PrintEvidenceFields(t.evidence, t.interview.held_at);
  std::cout << "\nRatings citing it (" << t.ratings.size() << "):\n";
  if (t.ratings.empty()) {
    std::cout << "  none\n";
  } else {
    std::vector<std::vector<std::string>> rows = {{"INSTANCE", "ITEM", "KIND", "BY", "VALUE", "SUPPORTS"}};
    for (const TracedRating& r : t.ratings)
      rows.push_back({r.rating.instance, r.rating.item, r.item_label, RatedBy(r.rating), r.rating.value,
                      SupportText(r.supports)});
    PrintTable(rows, "  ");
  }
  std::cout << "\nSupports:\n";
  PrintTable({{"processes", ListOrDash(t.processes)},
              {"instances", ListOrDash(t.instances)},
              {"levels", Levels(t.supports.levels)},
              {"attributes", ListOrDash(t.supports.attributes)},
              {"outcomes", ListOrDash(t.supports.outcomes)},
              {"achievements", ListOrDash(t.supports.achievements)},
              {"indicators", ListOrDash(t.supports.indicators)}},
             "  ");
}

// ---- trace PROCESS ATTRIBUTE ------------------------------------------------------

std::string ScopeText(const AttributeTrace& t) {
  if (!t.in_scope) return "process not in the assessment's scope";
  std::string s = "target level " + std::to_string(t.target_level);
  return s + (t.above_target ? "; the attribute is above it and not assessed" : "");
}

ordered_json AttributeTraceJson(const std::string& assessment, const AttributeTrace& t) {
  ordered_json items = ordered_json::array();
  for (const BackingItem& b : t.items) {
    ordered_json ratings = ordered_json::array();
    for (const Rating& r : b.ratings) ratings.push_back(RatingJson(r));
    items.push_back({{"id", b.item.id},
                     {"kind", ItemKindName(b.item.kind)},
                     {"label", b.item.label},
                     {"text", b.item.text},
                     {"supports", b.item.supports},
                     {"ratings", ratings}});
  }
  ordered_json evidence = ordered_json::array();
  for (const BackingEvidence& e : t.evidence) {
    ordered_json j = EvidenceJson(e.evidence);
    j["items"] = e.items;
    evidence.push_back(std::move(j));
  }
  ordered_json interviews = ordered_json::array();
  for (const BackingInterview& i : t.interviews) {
    ordered_json j = InterviewJson(i.interview);
    j["evidence"] = i.evidence;
    j["covers_process"] = i.covers_process;
    interviews.push_back(std::move(j));
  }
  return {{"format", "assay-trace-attribute/1"},
          {"assessment", assessment},
          {"process", {{"id", t.process}, {"name", t.process_name}, {"in_scope", t.in_scope},
                       {"target_level", t.in_scope ? ordered_json(t.target_level) : ordered_json(nullptr)}}},
          {"attribute", {{"id", t.attribute}, {"name", t.attribute_name}, {"level", t.level},
                         {"assessed", t.in_scope && !t.above_target}}},
          {"instances", t.instances},
          {"items", items},
          {"evidence", evidence},
          {"interviews", interviews}};
}

void PrintAttributeItems(const AttributeTrace& t) {
  std::vector<std::vector<std::string>> rows = {{"ITEM", "KIND", "INSTANCE", "BY", "VALUE", "EVIDENCE"}};
  std::vector<std::string> unrated;
  for (const BackingItem& b : t.items) {
    if (b.ratings.empty()) unrated.push_back(b.item.id);
    for (const Rating& r : b.ratings)
      rows.push_back({b.item.id, b.item.label, r.instance, RatedBy(r), r.value, ListOrDash(r.evidence)});
  }
  size_t rated = t.items.size() - unrated.size();
  std::cout << "\nRated items (" << rated << " of " << t.items.size() << "):\n";
  if (rows.size() > 1)
    PrintTable(rows, "  ");
  else
    std::cout << "  none\n";
  if (!unrated.empty()) std::cout << "  not rated: " << Join(unrated) << "\n";
}

void PrintAttributeTrace(const AttributeTrace& t) {
  std::cout << t.process << " " << t.process_name << ", " << t.attribute << " " << t.attribute_name << " (level "
            << t.level << ")\n";
  PrintFields({{"scope", ScopeText(t)}, {"instances", ListOrDash(t.instances)}});
  PrintAttributeItems(t);
  std::cout << "\nEvidence (" << t.evidence.size() << "):\n";
  if (t.evidence.empty()) std::cout << "  none\n";
  std::vector<std::vector<std::string>> rows;
  for (const BackingEvidence& e : t.evidence)
    rows.push_back({e.evidence.evidence.id, EvidenceKindName(e.evidence.evidence.kind), "for " + Join(e.items),
                    e.evidence.evidence.reference});
  PrintTable(rows, "  ");
  std::cout << "\nInterviews (" << t.interviews.size() << "):\n";
  if (t.interviews.empty()) std::cout << "  none\n";
  rows.clear();
  for (const BackingInterview& i : t.interviews) {
    std::string why = i.evidence.empty() ? "" : "evidence " + Join(i.evidence);
    if (i.covers_process) why += std::string(why.empty() ? "" : "; ") + "covered " + t.process;
    rows.push_back({i.interview.id, i.interview.held_at, why});
  }
  PrintTable(rows, "  ");
}

int RunTrace(const GlobalOptions& global, const std::string& assessment, const std::vector<std::string>& ids,
             const std::string& format) {
  return WithLoaded(global, assessment, [&](const Loaded& l) {
    if (ids.size() == 1) {
      EvidenceTrace t;
      ASSAY_RETURN_IF_ERROR(TraceEvidence(*l.graph, l.data, ids[0], &t));
      if (format == "json")
        PrintJson(EvidenceTraceJson(l.data.assessment.id, t));
      else
        PrintEvidenceTrace(t);
      return Status::OK();
    }
    AttributeTrace t;
    ASSAY_RETURN_IF_ERROR(TraceAttribute(*l.graph, l.data, ids[0], ids[1], &t));
    if (format == "json")
      PrintJson(AttributeTraceJson(l.data.assessment.id, t));
    else
      PrintAttributeTrace(t);
    return Status::OK();
  });
}

// ---- the people registry ------------------------------------------------------

std::string CredentialText(const Credential& c) {
  std::string t = c.name;
  if (!c.since.empty() || !c.until.empty())
    t += " (" + (c.since.empty() ? std::string("?") : c.since) + (c.until.empty() ? "" : " to " + c.until) + ")";
  return t;
}

ordered_json CredentialsJson(const std::vector<Credential>& list) {
  ordered_json a = ordered_json::array();
  for (const Credential& c : list) a.push_back({{"name", c.name}, {"since", OrNull(c.since)}, {"until", OrNull(c.until)}});
  return a;
}

std::vector<std::string> RoleNames(const std::vector<Role>& roles) {
  std::vector<std::string> out;
  for (Role r : roles) out.push_back(RoleName(r));
  return out;
}

ordered_json PersonJson(const RegisteredPerson& p) {
  return {{"id", p.id},
          {"name", p.name},
          {"organization", OrNull(p.organization)},
          {"roles", RoleNames(p.roles)},
          {"competences", CredentialsJson(p.competences)},
          {"qualifications", CredentialsJson(p.qualifications)},
          {"areas", p.areas},
          {"aliases", p.aliases}};
}

Status PersonList(Workspace& ws, const std::string& format) {
  std::vector<RegisteredPerson> people;
  ASSAY_RETURN_IF_ERROR(ws.ListPeople(&people));
  if (format == "json") {
    ordered_json items = ordered_json::array();
    for (const RegisteredPerson& p : people) items.push_back(PersonJson(p));
    PrintJson({{"format", "assay-people/1"}, {"people", items}});
    return Status::OK();
  }
  std::vector<std::vector<std::string>> rows = {{"ID", "NAME", "ORGANIZATION", "ROLES", "QUALIFICATIONS"}};
  for (const RegisteredPerson& p : people)
    rows.push_back({p.id, OrDash(p.name), OrDash(p.organization), ListOrDash(RoleNames(p.roles)),
                    std::to_string(p.competences.size() + p.qualifications.size())});
  PrintTable(rows);
  return Status::OK();
}

Status PersonShow(Workspace& ws, const std::string& id, const std::string& format) {
  RegisteredPerson p;
  ASSAY_RETURN_IF_ERROR(ws.GetPerson(id, &p));
  // The teams the person is on: every assessment that lists the ID.
  std::vector<Assessment> assessments;
  ASSAY_RETURN_IF_ERROR(ws.ListAssessments(&assessments));
  ordered_json teams = ordered_json::array();
  std::vector<std::string> team_lines;
  for (const Assessment& a : assessments) {
    AssessmentData data;
    ASSAY_RETURN_IF_ERROR(ws.ReadSnapshot(a.id, &data));
    for (const Person& member : data.people) {
      if (member.id != id) continue;
      teams.push_back({{"assessment", a.id}, {"name", member.name}, {"roles", RoleNames(member.roles)}});
      team_lines.push_back(a.id + " (" + ListOrDash(RoleNames(member.roles)) +
                           (member.name != p.name && !member.name.empty() ? ", as " + member.name : "") + ")");
    }
  }
  if (format == "json") {
    PrintJson({{"format", "assay-person/1"}, {"person", PersonJson(p)}, {"teams", teams}});
    return Status::OK();
  }
  std::cout << "Person " << p.id << "\n";
  std::vector<std::pair<std::string, std::string>> fields = {
      {"name", p.name},
      {"organization", p.organization},
      {"roles", Join(RoleNames(p.roles))},
      {"areas", Join(p.areas)},
      {"also recorded as", Join(p.aliases)}};
  for (const Credential& c : p.competences) fields.push_back({"competence", CredentialText(c)});
  for (const Credential& c : p.qualifications) fields.push_back({"qualification", CredentialText(c)});
  for (const std::string& t : team_lines) fields.push_back({"team", t});
  std::erase_if(fields, [](const auto& f) { return f.second.empty(); });  // nor in the width
  PrintFields(fields);
  return Status::OK();
}

// "TEXT[;SINCE[;UNTIL]]" of --competence and --qualification.
Status ParseCredential(const std::string& option, const std::string& text, Credential* out) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(';', start);
    std::string part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!part.empty() && part.front() == ' ') part.erase(0, 1);
    while (!part.empty() && part.back() == ' ') part.pop_back();
    parts.push_back(part);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  if (parts.size() > 3 || parts[0].empty())
    return Status::InvalidInput(option + " " + Quote(text) +
                                ": expected TEXT[;SINCE[;UNTIL]], e.g. \"competent assessor, ISO/IEC 33002;2024-03-01\"");
  *out = Credential{parts[0], parts.size() > 1 ? parts[1] : "", parts.size() > 2 ? parts[2] : ""};
  return Status::OK();
}

struct RegisterArgs {
  RegisteredPerson person;
  std::vector<std::string> roles, competences, qualifications, areas;
};

// Fields given replace those of the current entry; the others are kept.
Status PersonRegister(Workspace& ws, CLI::App* cmd, const RegisterArgs& args) {
  RegisteredPerson p;
  Status found = ws.GetPerson(args.person.id, &p);
  if (!found.ok() && found.code() != Status::Code::kNotFound) return found;
  p.id = args.person.id;
  if (cmd->count("--name") > 0) p.name = args.person.name;
  if (cmd->count("--organization") > 0) p.organization = args.person.organization;
  if (cmd->count("--role") > 0) {
    p.roles.clear();
    for (const std::string& r : args.roles) {
      Role role;
      if (Status s = ParseRole(r, &role); !s.ok()) return s.Reworded("--role: " + s.message());
      p.roles.push_back(role);
    }
  }
  for (auto [option, given, list] : {std::tuple{"--competence", &args.competences, &p.competences},
                                     {"--qualification", &args.qualifications, &p.qualifications}}) {
    if (cmd->count(option) == 0) continue;
    list->clear();
    for (const std::string& text : *given) {
      Credential c;
      ASSAY_RETURN_IF_ERROR(ParseCredential(option, text, &c));
      list->push_back(c);
    }
  }
  if (cmd->count("--area") > 0) p.areas = args.areas;
  if (!found.ok() && p.name.empty())
    return Status::InvalidInput("person " + Quote(p.id) + ": --name is required for a new entry");
  WriteResult r;
  ASSAY_RETURN_IF_ERROR(ws.RegisterPerson(p, &r));
  std::cerr << "person " << p.id << ": " << (r.kind == WriteResult::Kind::kCreated ? "registered" : Done(r)) << "\n";
  return Status::OK();
}

// ---- command wiring -----------------------------------------------------------------

struct ReadArgs {
  std::string assessment;
  std::string id;
  std::string format = "table";
};

CLI::App* AddReadCommand(CLI::App* parent, const char* name, const char* help, const std::shared_ptr<ReadArgs>& args,
                         const char* id_help) {
  auto* cmd = parent->add_subcommand(name, help);
  if (id_help != nullptr) cmd->add_option("ID", args->id, id_help)->required();
  cmd->add_option("--format", args->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  AddAssessmentOption(cmd, &args->assessment);
  return cmd;
}

}  // namespace

void AddEvidenceCommands(CLI::App* evidence, const GlobalOptions& global, int* exit_code) {
  AddEvidenceCommand(evidence, global, exit_code);
  auto list = std::make_shared<ReadArgs>();
  AddReadCommand(evidence, "list", "List the evidence items, with how many ratings cite each", list, nullptr)
      ->callback([&global, exit_code, list] {
        *exit_code = WithLoadedAndKept(global, list->assessment, [&](const Loaded& l, const KeptFiles& kept) {
          return EvidenceList(l, kept, list->format);
        });
      });
  auto show = std::make_shared<ReadArgs>();
  AddReadCommand(evidence, "show", "Show one evidence item", show, "Evidence ID, e.g. E05")
      ->callback([&global, exit_code, show] {
        *exit_code = WithLoadedAndKept(global, show->assessment, [&](const Loaded& l, const KeptFiles& kept) {
          return EvidenceShow(l, kept, show->id, show->format);
        });
      });
}

void AddInterviewCommands(CLI::App* interview, const GlobalOptions& global, int* exit_code) {
  AddInterviewCommand(interview, global, exit_code);
  auto list = std::make_shared<ReadArgs>();
  AddReadCommand(interview, "list", "List the interviews, with the evidence recorded from each", list, nullptr)
      ->callback([&global, exit_code, list] {
        *exit_code =
            WithLoaded(global, list->assessment, [&](const Loaded& l) { return InterviewList(l, list->format); });
      });
  auto show = std::make_shared<ReadArgs>();
  AddReadCommand(interview, "show", "Show one interview", show, "Interview ID, e.g. I01")
      ->callback([&global, exit_code, show] {
        *exit_code = WithLoaded(global, show->assessment,
                                [&](const Loaded& l) { return InterviewShow(l, show->id, show->format); });
      });
}

void AddPersonRegistryCommands(CLI::App* person, const GlobalOptions& global, int* exit_code) {
  auto* reg = person->add_subcommand("register", "Register a person in the workspace (or change their entry)");
  auto args = std::make_shared<RegisterArgs>();
  reg->add_option("ID", args->person.id, "Short handle, e.g. mkoch")->required();
  reg->add_option("--name,-n", args->person.name, "Full name (required for a new entry)");
  reg->add_option("--organization,-o", args->person.organization, "Organization");
  reg->add_option("--role,-r", args->roles, "Role the person can take (repeatable): lead-assessor, assessor, ...");
  reg->add_option("--competence", args->competences, "Competence (repeatable): TEXT[;SINCE[;UNTIL]]");
  reg->add_option("--qualification", args->qualifications,
                  "Qualification (repeatable): TEXT[;SINCE[;UNTIL]], dates YYYY-MM-DD");
  reg->add_option("--area", args->areas, "Technical area (repeatable)");
  reg->callback([&global, exit_code, reg, args] {
    *exit_code = WithSession(global, false, [&](Workspace& ws) { return PersonRegister(ws, reg, *args); });
  });
  auto list = std::make_shared<ReadArgs>();
  auto* l = person->add_subcommand("list", "List the people registered in the workspace");
  l->add_option("--format", list->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  l->callback([&global, exit_code, list] {
    *exit_code = WithSession(global, false, [&](Workspace& ws) { return PersonList(ws, list->format); });
  });
  auto show = std::make_shared<ReadArgs>();
  auto* sh = person->add_subcommand("show", "Show a person: entry, qualifications and teams");
  sh->add_option("ID", show->id, "Person ID")->required();
  sh->add_option("--format", show->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  sh->callback([&global, exit_code, show] {
    *exit_code = WithSession(global, false, [&](Workspace& ws) { return PersonShow(ws, show->id, show->format); });
  });
}

void AddTraceCommand(CLI::App* trace, const GlobalOptions& global, int* exit_code) {
  auto ids = std::make_shared<std::vector<std::string>>();
  auto args = std::make_shared<ReadArgs>();
  trace->add_option("ID", *ids,
                    "EVIDENCE: every rating, indicator, outcome, achievement, attribute, level and process it "
                    "supports; or PROCESS ATTRIBUTE: everything that backs it, down to evidence and interviews")
      ->required()
      ->expected(1, 2);
  trace->add_option("--format", args->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  AddAssessmentOption(trace, &args->assessment);
  trace->callback([&global, exit_code, ids, args] {
    *exit_code = RunTrace(global, args->assessment, *ids, args->format);
  });
}

// Columns padded to their widest cell (the last column is not padded).
void PrintTable(const std::vector<std::vector<std::string>>& rows, const std::string& indent) {
  // Widths in characters (UTF-8 code points), not bytes: "Müller" is six wide.
  auto chars = [](const std::string& s) {
    return static_cast<size_t>(
        std::count_if(s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
  };
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], chars(row[c]));
    }
  for (const auto& row : rows) {
    std::string line = indent;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - chars(row[c]) + 2, ' ');
    }
    std::cout << line << "\n";
  }
}

Status ReadKeptFiles(Workspace* ws, KeptFiles* out) {
  out->clear();
  std::vector<KeptFile> files;
  ASSAY_RETURN_IF_ERROR(ws->ListKeptFiles(&files));
  for (const KeptFile& f : files) (*out)[f.sha256] = f.bytes;
  return Status::OK();
}

std::string EvidenceListJson(const AssessmentData& data, const KeptFiles& kept) {
  ordered_json items = ordered_json::array();
  for (const EvidenceEntry& e : ListEvidence(data)) {
    ordered_json j = EvidenceJson(e);
    j["kept"] = kept.count(e.evidence.sha256) > 0;
    items.push_back(std::move(j));
  }
  return ordered_json({{"format", "assay-evidence-list/1"}, {"assessment", data.assessment.id}, {"evidence", items}})
             .dump(2) +
         "\n";
}

std::string InterviewListJson(const AssessmentData& data) {
  ordered_json items = ordered_json::array();
  for (const InterviewEntry& i : ListInterviews(data)) items.push_back(InterviewEntryJson(i));
  return ordered_json({{"format", "assay-interview-list/1"}, {"assessment", data.assessment.id}, {"interviews", items}})
             .dump(2) +
         "\n";
}

}  // namespace assay::cli
