// Internal: pieces of the workspace shared by store*.cc and the tests.
//
// Records are stored as canonical JSON (nlohmann::json::dump() of an object
// with sorted keys, no whitespace) in the `records` table; these functions
// convert between the plain structs of assessment.h and that JSON, and
// validate records against the pinned model and the assessment's other
// records.
#ifndef ASSAY_ENGINE_STORE_INTERNAL_H_
#define ASSAY_ENGINE_STORE_INTERNAL_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "assay/assessment.h"
#include "assay/model.h"
#include "assay/status.h"
#include "assay/store.h"

namespace assay::internal {

// Record kinds, as stored in records.kind and events.entity.
inline constexpr const char* kKindAssessment = "assessment";
inline constexpr const char* kKindScope = "scope";
inline constexpr const char* kKindUnit = "unit";
inline constexpr const char* kKindInstance = "instance";
inline constexpr const char* kKindPerson = "person";
inline constexpr const char* kKindInterview = "interview";
inline constexpr const char* kKindEvidence = "evidence";
inline constexpr const char* kKindRating = "rating";

// JSON of each record, as stored and exported: empty strings and empty
// arrays are left out. Rating::id and Rating::outside_scope are not part of it.
nlohmann::json ToJson(const Assessment& a);
nlohmann::json ToJson(const ScopedProcess& s);
nlohmann::json ToJson(const OrgUnit& u);
nlohmann::json ToJson(const ProcessInstance& i);
nlohmann::json ToJson(const Person& p);
nlohmann::json ToJson(const Interview& i);
nlohmann::json ToJson(const Evidence& e);
nlohmann::json ToJson(const Rating& r);

// The reverse; InvalidInput names the field (enum values, types).
Status FromJson(const nlohmann::json& j, Assessment* a);
Status FromJson(const nlohmann::json& j, ScopedProcess* s);
Status FromJson(const nlohmann::json& j, OrgUnit* u);
Status FromJson(const nlohmann::json& j, ProcessInstance* i);
Status FromJson(const nlohmann::json& j, Person* p);
Status FromJson(const nlohmann::json& j, Interview* i);
Status FromJson(const nlohmann::json& j, Evidence* e);
Status FromJson(const nlohmann::json& j, Rating* r);

// Canonical text of a JSON value (sorted keys, no whitespace, UTF-8).
std::string Canonical(const nlohmann::json& j);

// The key of a rating within its assessment: ["instance","item","assessor"]
// with "" as assessor for the consolidated rating.
std::string RatingKey(const Rating& r);

// One problem of a record: the field it is about ("" for the whole record).
struct FieldProblem {
  std::string field;
  Status status;
};

// The current records of one assessment, used to validate a new record.
struct Context {
  std::shared_ptr<const Model> model;
  Assessment assessment;
  std::map<std::string, ScopedProcess> scope;  // by process
  std::map<std::string, OrgUnit> units;
  std::map<std::string, ProcessInstance> instances;
  std::map<std::string, Person> people;
  std::map<std::string, Interview> interviews;
  std::map<std::string, Evidence> evidence;
  std::map<std::string, Rating> ratings;  // by RatingKey

  // Current row and canonical data per kind and key.
  struct Row {
    int64_t row = 0;
    std::string data;
  };
  std::map<std::string, std::map<std::string, Row>> rows;
};

// Validators: append every problem found to `problems`. Some normalize the
// record (rating value, derived item kind and process, sha256 case).
void ValidateScope(const Context& ctx, ScopedProcess* s, std::vector<FieldProblem>* problems);
void ValidateUnit(const Context& ctx, OrgUnit* u, std::vector<FieldProblem>* problems);
void ValidateInstance(const Context& ctx, ProcessInstance* i, std::vector<FieldProblem>* problems);
void ValidatePerson(const Context& ctx, Person* p, std::vector<FieldProblem>* problems);
void ValidateInterview(const Context& ctx, Interview* i, std::vector<FieldProblem>* problems);
void ValidateEvidence(const Context& ctx, Evidence* e, std::vector<FieldProblem>* problems);
void ValidateRating(const Context& ctx, Rating* r, std::vector<FieldProblem>* problems);
// Descriptive fields and rating options of an assessment (not the model pin).
void ValidateAssessment(const Assessment& a, std::vector<FieldProblem>* problems);

// An ISO 8601 date or date-time: "2026-11-24", "2026-11-24T10:30", with
// optional seconds, fraction and zone. Empty is accepted (optional).
bool LooksLikeDate(const std::string& s);

// Whether a rating of `item` (attribute, achievement or generic indicator)
// lies above the target level of its process in `ctx`.
bool OutsideScope(const Context& ctx, const Rating& r);

// Opens a workspace whose schema is migrated only up to `version` (for the
// migration tests, which need an old-version workspace).
Status OpenWorkspaceAtVersion(const std::string& path, const WorkspaceOptions& options, int version,
                              std::unique_ptr<Workspace>* workspace);

}  // namespace assay::internal

#endif  // ASSAY_ENGINE_STORE_INTERNAL_H_
