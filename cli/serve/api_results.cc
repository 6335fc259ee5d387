// The rating sheet, rating writes (with the edited version checked) and the
// results of assay serve: each computed by the engine and rendered by the
// same functions as `assay profile --format json` and `assay check --format json`.
#include <optional>
#include <string>
#include <vector>

#include "api_json.h"
#include "serve.h"
#include "assay/rating.h"
#include "assay/reports/profile.h"
#include "assay/scale.h"

namespace assay::cli::serve {

using nlohmann::json;

Status ItemsJson(Session* session, const std::string& id, json* out) {
  Loaded loaded;
  ASSAY_RETURN_IF_ERROR(ReadAssessment(session, id, SnapshotOptions(), &loaded));
  const AssessmentData& d = loaded.data;
  json processes = json::array();
  for (const ScopedProcess& scope : d.scope) {
    const Process* p = loaded.model->FindProcess(scope.process);
    json instances = json::array(), items = json::array();
    for (const ProcessInstance& i : d.instances)
      if (i.process == scope.process) instances.push_back(InstanceJson(i));
    for (const RatingItem& item : ItemsToRate(*loaded.model, scope.process, scope.target_level,
                                              d.assessment.options.method))
      items.push_back({{"id", item.id},
                       {"kind", ItemKindName(item.kind)},
                       {"label", item.label},
                       {"text", item.text},
                       {"attribute", item.attribute},
                       {"level", item.level},
                       {"supports", item.supports}});
    processes.push_back({{"process", scope.process},
                         {"name", p ? p->name : ""},
                         {"target_level", scope.target_level},
                         {"instances", instances},
                         {"items", items}});
  }
  json ratings = json::array(), team = json::array();
  for (const Rating& r : d.ratings) ratings.push_back(RatingJson(r));
  for (const Person& p : d.people) team.push_back(PersonJson(p));
  *out = {{"assessment", AssessmentJson(d.assessment)},
          {"values", ScaleValues(d.assessment.options.scale)},
          {"processes", processes},
          {"team", team},
          {"ratings", ratings},
          {"log_seq", loaded.log_seq}};
  return Status::OK();
}

namespace {

bool SameKey(const Rating& r, const std::string& instance, const std::string& item, const std::string& assessor,
             bool consolidated) {
  return r.instance == instance && r.item == item && r.consolidated == consolidated &&
         (consolidated || r.assessor == assessor);
}

// The rating the request names, read from the request over `current` (the
// stored version, or a fresh one): fields the body leaves out keep their
// stored values, so a key press that sets the value keeps the statements.
Status ReadRatingFields(const Body& body, Rating* r) {
  for (auto [field, target] : {std::pair{"value", &r->value}, {"strength", &r->strength},
                               {"weakness", &r->weakness}, {"justification", &r->justification}}) {
    if (body.json().contains(field)) ASSAY_RETURN_IF_ERROR(body.Str(field, false, target));
  }
  if (body.json().contains("evidence")) ASSAY_RETURN_IF_ERROR(body.Strings("evidence", &r->evidence));
  if (body.json().contains("reasons")) ASSAY_RETURN_IF_ERROR(body.Strings("reasons", &r->reasons));
  if (r->value.empty()) return body.Str("value", true, &r->value);
  return Status::OK();
}

}  // namespace

// The current rating of one key (nullopt when it has none or it was
// withdrawn), from the versions of its instance and item.
Status CurrentRatingOf(Workspace* ws, const std::string& id, const std::string& instance, const std::string& item,
                       const std::string& assessor, bool consolidated, std::optional<Rating>* out) {
  std::vector<Rating> versions;
  ASSAY_RETURN_IF_ERROR(ws->RatingHistory(id, instance, item, &versions));
  out->reset();
  for (const Rating& v : versions)
    if (SameKey(v, instance, item, assessor, consolidated)) *out = v;
  if (*out && (*out)->value == kWithdrawnValue) out->reset();
  return Status::OK();
}

Status RateJson(Session* session, Workspace* writer, const std::string& id, const Body& body, json* out,
                int* http_status) {
  std::string instance, item, assessor;
  bool consolidated = false;
  int64_t version = -1;
  ASSAY_RETURN_IF_ERROR(body.Str("instance", true, &instance));
  ASSAY_RETURN_IF_ERROR(body.Str("item", true, &item));
  ASSAY_RETURN_IF_ERROR(body.Bool("consolidated", &consolidated));
  ASSAY_RETURN_IF_ERROR(body.Str("assessor", !consolidated, &assessor));
  ASSAY_RETURN_IF_ERROR(body.Int("version", true, &version));
  if (consolidated) assessor.clear();
  std::optional<Rating> current;
  ASSAY_RETURN_IF_ERROR(CurrentRatingOf(session->ws.get(), id, instance, item, assessor, consolidated, &current));
  Rating r = current ? *current : Rating();
  r.instance = instance;
  r.item = item;
  r.assessor = assessor;
  r.consolidated = consolidated;
  r.rated_at.clear();
  ASSAY_RETURN_IF_ERROR(ReadRatingFields(body, &r));
  // The version is compared in the store's write transaction: a writer
  // between the read above and this write (another server on the same
  // PostgreSQL workspace, the command line) is a conflict too.
  WriteResult result;
  Status s = writer->RateAtVersion(id, r, version, &result);
  if (s.code() == Status::Code::kConflict) {
    *http_status = 409;
    ASSAY_RETURN_IF_ERROR(CurrentRatingOf(writer, id, instance, item, assessor, consolidated, &current));
    *out = ErrorJson(s, "/version");
    (*out)["current"] = current ? RatingJson(*current) : json(nullptr);
    return Status::OK();
  }
  ASSAY_RETURN_IF_ERROR(s);
  ASSAY_RETURN_IF_ERROR(CurrentRatingOf(writer, id, instance, item, assessor, consolidated, &current));
  if (current) r = *current;
  *out = {{"result", Done(result)}, {"event", result.event}, {"rating", RatingJson(r)}};
  *http_status = result.kind == WriteResult::Kind::kCreated ? 201 : 200;
  return Status::OK();
}

Status ResultJson(Session* session, const std::string& id, const std::string& what, std::string* text) {
  Loaded loaded;
  ASSAY_RETURN_IF_ERROR(ReadAssessment(session, id, SnapshotOptions(), &loaded));
  if (what == "checks") {
    *text = reports::ChecksJson(loaded.data, RunChecks(*loaded.model, loaded.data));
    return Status::OK();
  }
  RatingResults results;  // as `assay profile --format json` computes them (with the sensitivity)
  ASSAY_RETURN_IF_ERROR(ComputeResults(*loaded.model, *loaded.graph, loaded.data, &results, ComputeOptions()));
  *text = reports::ProfileJson(*loaded.model, loaded.data, results, nullptr);
  return Status::OK();
}

json VerifyJson(Workspace* ws) {
  VerifyReport rep;
  Status s = ws->VerifyLog(&rep);
  return {{"ok", s.ok()},
          {"message", s.ok() ? "the log verifies" : s.message()},
          {"events", rep.events},
          {"records", rep.records},
          {"keys", rep.keys},
          {"seals", rep.seals},
          {"head_seq", rep.head_seq},
          {"head_hash", rep.head_hash},
          {"first_bad_event", rep.first_bad_event}};
}

}  // namespace assay::cli::serve
