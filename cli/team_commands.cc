// assay disagreements, consolidate: where the assessors of an assessment
// rate an item differently, and the team's agreed rating that settles it
// (docs/TEAMWORK.md). The engine finds the disagreements (rating.h, Team); this file
// only renders them. JSON output follows schemas/disagreements.schema.json.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/rating.h"
#include "cli.h"
#include "commands.h"

namespace assay::cli {

namespace {

using ordered_json = nlohmann::ordered_json;

// "strength: ...; weakness: ..." or "-".
std::string Statement(const Rating& r) {
  std::string s;
  if (!r.strength.empty()) s = "strength: " + r.strength;
  if (!r.weakness.empty()) s += (s.empty() ? "" : "; ") + std::string("weakness: ") + r.weakness;
  return s.empty() ? "-" : s;
}

}  // namespace

std::string DisagreementsJson(const std::string& assessment, const std::vector<OpenDisagreement>& open) {
  ordered_json list = ordered_json::array();
  for (const OpenDisagreement& d : open) {
    ordered_json ratings = ordered_json::array();
    for (const Rating& r : d.ratings)
      ratings.push_back({{"assessor", r.assessor},
                         {"value", r.value},
                         {"strength", r.strength},
                         {"weakness", r.weakness},
                         {"evidence", r.evidence},
                         {"rated_at", r.rated_at}});
    list.push_back({{"process", d.process},
                    {"instance", d.instance},
                    {"item", d.item},
                    {"item_kind", ItemKindName(d.item_kind)},
                    {"used", d.used},
                    {"ratings", ratings}});
  }
  ordered_json out = {{"format", "assay-disagreements/1"}, {"assessment", assessment}, {"disagreements", list}};
  return out.dump(2) + "\n";
}

namespace {

int RunDisagreements(const GlobalOptions& global, const std::string& id, const std::string& format) {
  Loaded loaded;
  Status s = LoadAssessment(global, id, &loaded);
  std::vector<OpenDisagreement> open;
  if (s.ok()) s = FindDisagreements(*loaded.model, loaded.data, &open);
  if (!s.ok()) return Fail(s);
  if (format == "json") {
    std::cout << DisagreementsJson(loaded.data.assessment.id, open);
    return kExitOk;
  }
  if (open.empty()) {
    std::cout << loaded.data.assessment.id << ": no open disagreements\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows = {{"ITEM", "ASSESSOR", "VALUE", "EVIDENCE", "STATEMENT"}};
  for (const OpenDisagreement& d : open)
    for (size_t i = 0; i < d.ratings.size(); ++i) {
      const Rating& r = d.ratings[i];
      rows.push_back({i == 0 ? InstanceLabel(d.process, d.instance) + " " + d.item : "", r.assessor, r.value,
                      r.evidence.empty() ? "-" : Join(r.evidence), Statement(r)});
    }
  PrintTable(rows);
  std::cout << "\n" << loaded.data.assessment.id << ": " << open.size()
            << (open.size() == 1 ? " open disagreement" : " open disagreements")
            << " (the lowest value is used until the team consolidates)\n";
  return kExitOk;
}

struct ConsolidateArgs {
  std::string assessment;
  std::vector<std::string> item;  // INSTANCE ITEM, or "INSTANCE ITEM" as one argument
  Rating rating;
  std::string rationale;
};

Status RunConsolidate(Session* session, ConsolidateArgs* args) {
  std::vector<std::string>& item = args->item;
  if (item.size() == 1 && item[0].find(' ') != std::string::npos) {
    const size_t sp = item[0].find(' ');
    item = {item[0].substr(0, sp), item[0].substr(item[0].find_first_not_of(' ', sp))};
  }
  if (item.size() != 2 || item[0].empty() || item[1].empty())
    return Status::InvalidInput("consolidate takes the rating item as INSTANCE ITEM, e.g. RES.1/EU PA2.1");
  if (args->rationale.find_first_not_of(" \t\n") == std::string::npos)
    return Status::InvalidInput("a consolidated rating needs a rationale (--rationale TEXT)");
  std::string id, was;
  ASSAY_RETURN_IF_ERROR(PickAssessment(session->ws.get(), args->assessment, &id));
  WriteResult res;
  ASSAY_RETURN_IF_ERROR(
      Consolidate(session, session->ws.get(), id, item[0], item[1], args->rating, args->rationale, &was, &res));
  std::string value;
  ASSAY_RETURN_IF_ERROR(NormalizeRatingValue(args->rating.value, &value));
  std::cerr << "consolidated " << item[0] << " " << item[1] << " = " << value
            << (was.empty() ? "" : " (assessors: " + was + ")") << ": " << Done(res)
            << (res.event ? ", event " + std::to_string(res.event) : "") << "\n";
  return Status::OK();
}

}  // namespace

Status Consolidate(Session* session, Workspace* writer, const std::string& assessment, const std::string& instance,
                   const std::string& item, Rating r, const std::string& rationale, std::string* was,
                   WriteResult* result) {
  if (rationale.find_first_not_of(" \t\n") == std::string::npos)
    return Status::InvalidInput("a consolidated rating needs a rationale").About("rating", "rationale", {}, "required");
  Loaded loaded;
  ASSAY_RETURN_IF_ERROR(ReadAssessment(session, assessment, SnapshotOptions(), &loaded));
  std::vector<OpenDisagreement> open;
  ASSAY_RETURN_IF_ERROR(FindDisagreements(*loaded.model, loaded.data, &open));
  std::string value;
  ASSAY_RETURN_IF_ERROR(NormalizeRatingValue(r.value, &value));
  was->clear();
  for (const OpenDisagreement& d : open) {
    if (d.instance != instance || d.item != item) continue;
    // Without options, the evidence of every assessor's rating and the
    // statements of the first one who gave the agreed value.
    const bool statements = r.strength.empty() && r.weakness.empty();
    const bool evidence = r.evidence.empty();
    for (const Rating& a : d.ratings) {
      *was += (was->empty() ? "" : ", ") + a.assessor + " " + a.value;
      for (const std::string& e : a.evidence)
        if (evidence && std::find(r.evidence.begin(), r.evidence.end(), e) == r.evidence.end()) r.evidence.push_back(e);
      if (statements && a.value == value && r.strength.empty() && r.weakness.empty()) {
        r.strength = a.strength;
        r.weakness = a.weakness;
      }
    }
  }
  r.instance = instance;
  r.item = item;
  r.consolidated = true;
  r.assessor.clear();
  r.justification = rationale;
  return writer->Rate(loaded.data.assessment.id, r, result);
}

namespace {

// ---- hand-out and merge -------------------------------------------------------

// How the merge table names a key: "RES.1/EU PA2.1 ada", "evidence EV-3".
std::string ItemLabel(const MergeChange& c) {
  if (c.entity == "rating") {
    nlohmann::json k = nlohmann::json::parse(c.key, nullptr, false);
    if (k.is_array() && k.size() == 3) {
      const std::string who = k[2].get<std::string>();
      return k[0].get<std::string>() + " " + k[1].get<std::string>() + " " + (who.empty() ? "consolidated" : who);
    }
  }
  if (c.entity == "file") {  // an evidence file kept offline: "file EV-3 9f86d081884c..."
    nlohmann::json j = nlohmann::json::parse(c.becomes, nullptr, false);
    const std::string evidence = j.is_object() && j.contains("evidence") && j["evidence"].is_string()
                                     ? j["evidence"].get<std::string>() + " "
                                     : std::string();
    return "file " + evidence + c.key.substr(0, 12) + "...";
  }
  return c.entity + " " + c.key;
}

// A version as the table shows it: a rating's value, else whether the
// record exists or is withdrawn.
std::string VersionLabel(const MergeChange& c, const std::string& text, bool before) {
  if (text.empty()) return "-";
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (c.entity == "rating" && j.is_object()) return j.value("value", "?");
  if (j.is_object() && j.contains("withdrawn")) return "withdrawn";
  if (c.entity == "file" && j.is_object())
    return before ? "kept" : "kept, " + std::to_string(j.value("bytes", int64_t{0})) + " bytes";
  return before ? "recorded" : c.was.empty() ? "added" : "changed";
}

const char* OutcomeLabel(MergeChange::Outcome o) {
  switch (o) {
    case MergeChange::Outcome::kApplied: return "applied";
    case MergeChange::Outcome::kSame: return "here already";
    case MergeChange::Outcome::kConflictTaken: return "changed on both sides: the hand-out's is newer, applied";
    case MergeChange::Outcome::kConflictKept: return "changed on both sides: this workspace's is newer, kept";
  }
  return "?";
}

// "head event 23, sealed by cy with key ABCD... at event 22" (docs/TEAMWORK.md).
std::string HeadLabel(const MergeProvenance& p) {
  return "head event " + std::to_string(p.head_seq) +
         (p.sealed ? ", sealed by " + p.seal.signer + " with key " + p.seal.key_id + " at event " +
                         std::to_string(p.seal.seq)
                   : ", not sealed");
}

void PrintMerge(const MergeReport& r, bool dry_run) {
  for (size_t i = 0; i < r.handouts.size(); ++i) {
    const HandoutInfo& h = r.handouts[i];
    std::cout << "hand-out of " << h.assessment << " for " << h.person << ", base event " << h.base_seq
              << (i < r.provenance.size() ? ", " + HeadLabel(r.provenance[i]) : std::string()) << "\n";
  }
  for (const std::string& f : r.already) std::cout << f << ": merged already, nothing to do\n";
  if (!r.changes.empty()) {
    std::vector<std::vector<std::string>> rows = {{"ITEM", "WAS", "BECOMES", "WHO", "WHEN", "OUTCOME"}};
    for (const MergeChange& c : r.changes)
      rows.push_back({ItemLabel(c), VersionLabel(c, c.was, true), VersionLabel(c, c.becomes, false), c.actor, c.at,
                      OutcomeLabel(c.outcome)});
    std::cout << "\n";
    PrintTable(rows);
  }
  if (!r.conflicts.empty()) {
    std::cout << "\nRated differently, both ratings kept as open disagreements (settle them with consolidate):\n";
    for (const MergeConflict& c : r.conflicts) {
      std::vector<std::string> votes;
      for (const auto& [who, value] : c.votes) votes.push_back(who + " " + value);
      std::cout << "  " << c.instance << " " << c.item << ": " << Join(votes) << "\n";
    }
  }
  size_t applied = 0;
  for (const MergeChange& c : r.changes)
    if (c.outcome == MergeChange::Outcome::kApplied || c.outcome == MergeChange::Outcome::kConflictTaken) ++applied;
  std::cout << "\n" << (dry_run ? "dry run, nothing was written: " : "merged into ") << r.assessment << ": "
            << r.changes.size() << (r.changes.size() == 1 ? " change, " : " changes, ") << applied << " applied, "
            << r.conflicts.size() << (r.conflicts.size() == 1 ? " conflict" : " conflicts")
            << (dry_run ? "" : ", " + std::to_string(r.events) + " events") << "\n";
  for (const MergeProvenance& p : r.provenance)
    if (p.event)
      std::cout << p.file << ": its " << p.handout_events << " events after the base recorded with their hashes in event "
                << p.event << " (" << p.traced << " events here traced to them)\n";
}

}  // namespace

void AddHandoutCommand(CLI::App* cmd, const GlobalOptions& global, int* exit_code) {
  auto id = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("ID", *id, "Assessment ID (default: the most recent)");
  cmd->add_option("--to", *to, "The team member it is for (person ID)")->required();
  cmd->add_option("--out,-o", *out, "The hand-out file to write (a new workspace)")->required();
  cmd->callback([&global, exit_code, id, to, out] {
    *exit_code = WithSession(global, false, [&](Workspace& ws) {
      std::string a;
      ASSAY_RETURN_IF_ERROR(PickAssessment(&ws, *id, &a, "with the ID argument"));
      HandoutInfo info;
      ASSAY_RETURN_IF_ERROR(ws.Handout(a, *to, *out, &info));
      std::cerr << "handed out " << a << " to " << info.person << ": " << *out << " (base event " << info.base_seq
                << "); they work on it with --db " << *out << ", you merge it back\n";
      return Status::OK();
    });
  });
}

void AddMergeCommand(CLI::App* cmd, const GlobalOptions& global, int* exit_code) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto options = std::make_shared<MergeOptions>();
  cmd->add_option("FILE", *files, "Hand-out files (written by handout and worked on offline)")->required();
  cmd->add_flag("--dry-run", options->dry_run, "List every change by item (was, becomes, who, when); write nothing");
  AddAssessmentOption(cmd, &options->expect_assessment);
  cmd->callback([&global, exit_code, files, options] {
    *exit_code = WithSession(global, false, [&](Workspace& ws) {
      MergeReport report;
      ASSAY_RETURN_IF_ERROR(ws.Merge(*files, *options, &report));
      PrintMerge(report, options->dry_run);
      return Status::OK();
    });
  });
}

void AddDisagreementsCommand(CLI::App* cmd, const GlobalOptions& global, int* exit_code) {
  auto id = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  AddAssessmentOption(cmd, id.get());
  cmd->add_option("--format", *format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->callback([&global, exit_code, id, format] { *exit_code = RunDisagreements(global, *id, *format); });
}

void AddConsolidateCommand(CLI::App* cmd, const GlobalOptions& global, int* exit_code) {
  auto args = std::make_shared<ConsolidateArgs>();
  cmd->add_option("ITEM", args->item, "The rating item: INSTANCE ITEM, e.g. RES.1/EU PA2.1")->required();
  cmd->add_option("--value,-v", args->rating.value, "The team's value: N, P-, P, P+, L-, L, L+, F or a percentage")
      ->required();
  cmd->add_option("--rationale", args->rationale, "Why the team agreed this value (kept in the log)")->required();
  cmd->add_option("--weakness,-W", args->rating.weakness,
                  "Weakness statement (default: that of an assessor who gave this value)");
  cmd->add_option("--strength,-S", args->rating.strength,
                  "Strength statement (default: that of an assessor who gave this value)");
  cmd->add_option("--evidence,-e", args->rating.evidence,
                  "Evidence ID, repeatable (default: the evidence of every assessor's rating)");
  cmd->add_option("--reason,-R", args->rating.reasons, "Reason code of the model (repeatable)");
  AddAssessmentOption(cmd, &args->assessment);
  cmd->callback([&global, exit_code, args] {
    std::unique_ptr<Session> session;
    Status s = OpenSession(global, false, &session);
    if (s.ok()) s = RunConsolidate(session.get(), args.get());
    *exit_code = s.ok() ? kExitOk : Fail(s);
  });
}

}  // namespace assay::cli
