// JSON of records for assay serve, and request bodies read with pointers.
#include "api_json.h"

namespace assay::cli::serve {

using nlohmann::json;

json AssessmentJson(const Assessment& a) {
  return {{"id", a.id},
          {"title", a.title},
          {"organization", a.organization},
          {"series", a.series},
          {"sponsor", a.sponsor},
          {"purpose", a.purpose},
          {"class", a.assessment_class},
          {"model", a.model_id + "@" + a.model_version},
          {"model_id", a.model_id},
          {"model_version", a.model_version},
          {"method", RatingMethodName(a.options.method)},
          {"aggregation", AggregationMethodName(a.options.aggregation)},
          {"scale", ScaleKindName(a.options.scale)},
          {"start_date", a.start_date},
          {"end_date", a.end_date},
          {"status", AssessmentStatusName(a.status)}};
}

json RatingJson(const Rating& r) {
  return {{"version", r.id},
          {"process", r.process},
          {"instance", r.instance},
          {"item", r.item},
          {"item_kind", ItemKindName(r.item_kind)},
          {"assessor", r.assessor},
          {"consolidated", r.consolidated},
          {"value", r.value},
          {"strength", r.strength},
          {"weakness", r.weakness},
          {"evidence", r.evidence},
          {"reasons", r.reasons},
          {"rated_at", r.rated_at},
          {"outside_scope", r.outside_scope}};
}

json InstanceJson(const ProcessInstance& i) {
  return {{"id", i.id}, {"process", i.process}, {"name", i.name}, {"unit", i.unit}, {"weight", i.weight}};
}

json PersonJson(const Person& p) {
  json roles = json::array();
  for (Role r : p.roles) roles.push_back(RoleName(r));
  return {{"id", p.id}, {"name", p.name}, {"organization", p.organization}, {"roles", roles}};
}

Status Body::Parse(const std::string& text) {
  try {
    j_ = json::parse(text);
  } catch (const json::parse_error& e) {
    failed_ = "";
    return Status::InvalidInput(std::string("request body is not JSON: ") + e.what());
  }
  if (!j_.is_object()) return Fail("", "expected a JSON object");
  return Status::OK();
}

Status Body::Fail(const std::string& field, const std::string& what) const {
  failed_ = field.empty() ? at_ : Pointer(field);
  return Status::InvalidInput((failed_.empty() ? std::string("request body") : failed_) + ": " + what);
}

Status Body::Str(const std::string& field, bool required, std::string* out) const {
  auto it = j_.find(field);
  if (it == j_.end() || it->is_null()) {
    if (required) return Fail(field, "required");
    out->clear();
    return Status::OK();
  }
  if (!it->is_string()) return Fail(field, "expected a string");
  *out = it->get<std::string>();
  if (required && out->empty()) return Fail(field, "must not be empty");
  return Status::OK();
}

Status Body::Int(const std::string& field, bool required, int64_t* out) const {
  auto it = j_.find(field);
  if (it == j_.end() || it->is_null()) return required ? Fail(field, "required") : Status::OK();
  if (!it->is_number_integer()) return Fail(field, "expected an integer");
  *out = it->get<int64_t>();
  return Status::OK();
}

Status Body::Bool(const std::string& field, bool* out) const {
  auto it = j_.find(field);
  if (it == j_.end() || it->is_null()) return Status::OK();
  if (!it->is_boolean()) return Fail(field, "expected true or false");
  *out = it->get<bool>();
  return Status::OK();
}

Status Body::Strings(const std::string& field, std::vector<std::string>* out) const {
  out->clear();
  auto it = j_.find(field);
  if (it == j_.end() || it->is_null()) return Status::OK();
  if (!it->is_array()) return Fail(field, "expected an array of strings");
  for (size_t n = 0; n < it->size(); ++n) {
    if (!(*it)[n].is_string()) return Fail(field + "/" + std::to_string(n), "expected a string");
    out->push_back((*it)[n].get<std::string>());
  }
  return Status::OK();
}

}  // namespace assay::cli::serve
