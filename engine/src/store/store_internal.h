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
#include <unordered_map>
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
// Workspace-wide entities of the log (schema version 5; their events have assessment "").
inline constexpr const char* kKindKey = "key";
inline constexpr const char* kKindSeal = "seal";
// A kept evidence file (schema version 8; its events have the assessment).
inline constexpr const char* kKindFile = "file";
// The provenance of a merged hand-out (store_merge.cc): an event of the
// assessment without a record row (the event holds it all).
inline constexpr const char* kKindMerge = "merge";
// Certification-audit records (audit_store.cc) are logged under the subject
// " audit:CLIENT" (the policy under " audit:") in events.assessment: the
// leading blank makes it an ID no assessment can have. Since schema version
// 9 their rows are in the table audit_records (client without the prefix);
// before it they were rows of records with the subject as assessment.
inline constexpr const char* kAuditSubjectPrefix = " audit:";
inline constexpr size_t kAuditSubjectPrefixSize = 7;
static_assert(std::char_traits<char>::length(kAuditSubjectPrefix) == kAuditSubjectPrefixSize);
inline bool IsAuditSubject(const std::string& assessment) {
  return assessment.compare(0, kAuditSubjectPrefixSize, kAuditSubjectPrefix) == 0;
}

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
// The registry (store_people.cc): an entry's canonical JSON and back.
nlohmann::json ToJson(const RegisteredPerson& p);
Status FromJson(const nlohmann::json& j, RegisteredPerson* p);
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
// The maps look up by std::string_view too.
struct Context {
  std::shared_ptr<const Model> model;
  Assessment assessment;
  std::map<std::string, ScopedProcess, std::less<>> scope;  // by process
  std::map<std::string, OrgUnit, std::less<>> units;
  std::map<std::string, ProcessInstance, std::less<>> instances;
  std::map<std::string, Person, std::less<>> people;
  std::map<std::string, Interview, std::less<>> interviews;
  std::map<std::string, Evidence, std::less<>> evidence;
  std::map<std::string, Rating> ratings;  // by RatingKey (schemas before version 4 only)

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
// A registry entry: safe ID, credentials with a name and YYYY-MM-DD dates
// (until not before since); sorts and dedups the roles.
void ValidateRegisteredPerson(RegisteredPerson* p, std::vector<FieldProblem>* problems);
void ValidateInterview(const Context& ctx, Interview* i, std::vector<FieldProblem>* problems);
void ValidateEvidence(const Context& ctx, Evidence* e, std::vector<FieldProblem>* problems);
// One rating, by the one rating validator (below).
void ValidateRating(const Context& ctx, Rating* r, std::vector<FieldProblem>* problems);

// The validation of every rating, whatever its source (Workspace::Rate,
// JSON or CSV import): checks the rating against the pinned model and the
// assessment's records, normalizes it (value, process, item kind) and
// appends every problem. What it derives from the model (items, reason
// codes) is looked up once per validator: build one per command.
// REQUIRES: ctx.model; ctx outlives the validator and does not change
// its instances, people or evidence meanwhile.
class RatingValidator {
 public:
  explicit RatingValidator(const Context& ctx);
  ~RatingValidator();
  RatingValidator(const RatingValidator&) = delete;
  RatingValidator& operator=(const RatingValidator&) = delete;
  void Check(Rating* r, std::vector<FieldProblem>* problems);

 private:
  struct ItemInfo;
  const ItemInfo& Item(const std::string& id);
  void CheckItem(Rating* r, const Process* process, std::vector<FieldProblem>* problems);
  void CheckValue(Rating* r, std::vector<FieldProblem>* problems);
  void CheckAssessor(const Rating& r, std::vector<FieldProblem>* problems);
  void CheckLists(const Rating& r, std::vector<FieldProblem>* problems);

  const Context& ctx_;
  const Model& model_;
  std::vector<std::string> reason_codes_;
  std::unordered_map<std::string, bool> reason_known_;
  std::unordered_map<std::string, std::unique_ptr<ItemInfo>> items_;
  std::string last_date_;  // the last rated_at found valid
};

// Descriptive fields and rating options of an assessment (not the model pin).
void ValidateAssessment(const Assessment& a, std::vector<FieldProblem>* problems);

// An ISO 8601 date or date-time: "2026-11-24", "2026-11-24T10:30", with
// optional seconds, fraction and zone. Empty is accepted (optional).
bool LooksLikeDate(const std::string& s);

// Whether a rating of `item` (attribute, achievement or generic indicator)
// lies above the target level of its process in `ctx`.
bool OutsideScope(const Context& ctx, const Rating& r);
// OutsideScope of every rating, each item's level looked up in the model once.
void MarkOutsideScope(const Context& ctx, std::vector<Rating>* ratings);

// The kind, key and validator of each record type (not ratings).
template <typename R>
struct RecordTraits;
template <>
struct RecordTraits<ScopedProcess> {
  static constexpr const char* kKind = kKindScope;
  static const std::string& Key(const ScopedProcess& r) { return r.process; }
  static void Validate(const Context& c, ScopedProcess* r, std::vector<FieldProblem>* p) { ValidateScope(c, r, p); }
};
template <>
struct RecordTraits<OrgUnit> {
  static constexpr const char* kKind = kKindUnit;
  static const std::string& Key(const OrgUnit& r) { return r.id; }
  static void Validate(const Context& c, OrgUnit* r, std::vector<FieldProblem>* p) { ValidateUnit(c, r, p); }
};
template <>
struct RecordTraits<ProcessInstance> {
  static constexpr const char* kKind = kKindInstance;
  static const std::string& Key(const ProcessInstance& r) { return r.id; }
  static void Validate(const Context& c, ProcessInstance* r, std::vector<FieldProblem>* p) {
    ValidateInstance(c, r, p);
  }
};
template <>
struct RecordTraits<Person> {
  static constexpr const char* kKind = kKindPerson;
  static const std::string& Key(const Person& r) { return r.id; }
  static void Validate(const Context& c, Person* r, std::vector<FieldProblem>* p) { ValidatePerson(c, r, p); }
};
template <>
struct RecordTraits<Interview> {
  static constexpr const char* kKind = kKindInterview;
  static const std::string& Key(const Interview& r) { return r.id; }
  static void Validate(const Context& c, Interview* r, std::vector<FieldProblem>* p) { ValidateInterview(c, r, p); }
};
template <>
struct RecordTraits<Evidence> {
  static constexpr const char* kKind = kKindEvidence;
  static const std::string& Key(const Evidence& r) { return r.id; }
  static void Validate(const Context& c, Evidence* r, std::vector<FieldProblem>* p) { ValidateEvidence(c, r, p); }
};

// Opens a workspace whose schema is migrated only up to `version` (for the
// migration tests, which need an old-version workspace). A new PostgreSQL
// workspace is made at `version` (6 or later).
Status OpenWorkspaceAtVersion(const std::string& path, const WorkspaceOptions& options, int version,
                              std::unique_ptr<Workspace>* workspace);

}  // namespace assay::internal

#endif  // ASSAY_ENGINE_STORE_INTERNAL_H_
