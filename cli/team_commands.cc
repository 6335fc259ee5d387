// assay disagreements, consolidate: where the assessors of an assessment
// rate an item differently, and the team's agreed rating that settles it
// (docs/TEAMWORK.md). The engine finds the disagreements (team.h); this file
// only renders them. JSON output follows schemas/disagreements.schema.json.
#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/team.h"
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
  std::string id;
  ASSAY_RETURN_IF_ERROR(PickAssessment(session->ws.get(), args->assessment, &id));
  Loaded loaded;
  ASSAY_RETURN_IF_ERROR(ReadAssessment(session, id, SnapshotOptions(), &loaded));
  std::vector<OpenDisagreement> open;
  ASSAY_RETURN_IF_ERROR(FindDisagreements(*loaded.model, loaded.data, &open));
  Rating r = args->rating;
  std::string was, value;
  ASSAY_RETURN_IF_ERROR(NormalizeRatingValue(r.value, &value));
  for (const OpenDisagreement& d : open) {
    if (d.instance != item[0] || d.item != item[1]) continue;
    // Without options, the evidence of every assessor's rating and the
    // statements of the first one who gave the agreed value.
    const bool statements = r.strength.empty() && r.weakness.empty();
    const bool evidence = r.evidence.empty();
    for (const Rating& a : d.ratings) {
      was += (was.empty() ? "" : ", ") + a.assessor + " " + a.value;
      for (const std::string& e : a.evidence)
        if (evidence && std::find(r.evidence.begin(), r.evidence.end(), e) == r.evidence.end()) r.evidence.push_back(e);
      if (statements && a.value == value && r.strength.empty() && r.weakness.empty()) {
        r.strength = a.strength;
        r.weakness = a.weakness;
      }
    }
  }
  r.instance = item[0];
  r.item = item[1];
  r.consolidated = true;
  r.assessor.clear();
  r.justification = args->rationale;
  WriteResult res;
  ASSAY_RETURN_IF_ERROR(session->ws->Rate(id, r, &res));
  std::cerr << "consolidated " << r.instance << " " << r.item << " = " << value
            << (was.empty() ? "" : " (assessors: " + was + ")") << ": " << Done(res)
            << (res.event ? ", event " + std::to_string(res.event) : "") << "\n";
  return Status::OK();
}

}  // namespace

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
