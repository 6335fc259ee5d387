// Records of the workspace: JSON conversion and validation against the model.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string_view>
#include <unordered_map>

#include "assay/scale.h"
#include "assay/text.h"
#include "store/store_internal.h"

namespace assay {

namespace internal {

namespace {

using nlohmann::json;

void PutString(json* j, const char* name, const std::string& v) {
  if (!v.empty()) (*j)[name] = v;
}

void PutList(json* j, const char* name, const std::vector<std::string>& v) {
  if (!v.empty()) (*j)[name] = v;
}

// Reads optional fields; records the first type error.
class Reader {
 public:
  explicit Reader(const json& j) : j_(j) {
    if (!j_.is_object()) status_ = Status::InvalidInput("expected an object, got " + std::string(j_.type_name()));
  }

  void Str(const char* name, std::string* out) {
    if (!status_.ok() || !j_.contains(name)) return;
    const json& v = j_.at(name);
    if (v.is_string())
      *out = v.get<std::string>();
    else
      Fail(name, "string", v);
  }
  void List(const char* name, std::vector<std::string>* out) {
    if (!status_.ok() || !j_.contains(name)) return;
    const json& v = j_.at(name);
    if (!v.is_array()) return Fail(name, "array of strings", v);
    out->clear();
    for (const json& e : v) {
      if (!e.is_string()) return Fail(name, "array of strings", v);
      out->push_back(e.get<std::string>());
    }
  }
  void Int(const char* name, int* out) {
    if (!status_.ok() || !j_.contains(name)) return;
    const json& v = j_.at(name);
    if (v.is_number_integer())
      *out = v.get<int>();
    else
      Fail(name, "integer", v);
  }
  void Num(const char* name, double* out) {
    if (!status_.ok() || !j_.contains(name)) return;
    const json& v = j_.at(name);
    if (v.is_number())
      *out = v.get<double>();
    else
      Fail(name, "number", v);
  }
  void Bool(const char* name, bool* out) {
    if (!status_.ok() || !j_.contains(name)) return;
    const json& v = j_.at(name);
    if (v.is_boolean())
      *out = v.get<bool>();
    else
      Fail(name, "boolean", v);
  }
  template <typename E>
  void Enum(const char* name, E* out, Status (*parse)(std::string_view, E*)) {
    std::string s;
    Str(name, &s);
    if (!status_.ok() || s.empty()) return;
    if (Status st = parse(s, out); !st.ok()) status_ = st.Reworded(std::string(name) + ": " + st.message());
  }
  const json& Object(const char* name) {
    static const json kEmpty = json::object();
    if (!status_.ok() || !j_.contains(name)) return kEmpty;
    const json& v = j_.at(name);
    if (!v.is_object()) {
      Fail(name, "object", v);
      return kEmpty;
    }
    return v;
  }
  Status status() const { return status_; }
  void Merge(const Status& s) {
    if (status_.ok() && !s.ok()) status_ = s;
  }

 private:
  void Fail(const char* name, const char* expected, const json& v) {
    status_ = Status::InvalidInput(std::string(name) + ": expected " + expected + ", got " + v.type_name());
  }

  const json& j_;
  Status status_;
};


template <typename M>
std::vector<std::string> Keys(const M& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  return out;
}

void Problem(std::vector<FieldProblem>* problems, const std::string& field, Status s) {
  problems->push_back({field, std::move(s)});
}

// An instance weight for weighted-mean aggregation: above 0 (an instance
// that should not count is left out of the sample, not weighted 0) and at
// most 1000 (larger ratios make one instance the whole result).
constexpr double kMaxInstanceWeight = 1000;

std::string FormatWeight(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", w);
  return buf;
}

// An ID given by the user: in the safe set of IDs (text.h, WhyNotSafeId).
void CheckId(const std::string& field, const std::string& id, std::vector<FieldProblem>* problems) {
  if (id.empty()) return Problem(problems, field, Status::InvalidInput(field + " is required"));
  const std::string why = WhyNotSafeId(id);
  if (why.empty()) return;
  // A byte that is not UTF-8 is not quoted (the message names its place).
  const bool utf8 = IsValidUtf8(id);
  Problem(problems, field, Status::InvalidInput(field + (utf8 ? " " + Quote(id) : std::string()) + " " + why));
}

void CheckPerson(const Context& ctx, const std::string& field, const std::string& id,
                 std::vector<FieldProblem>* problems) {
  if (!ctx.people.count(id))
    Problem(problems, field,
            Status::NotFound("unknown person " + Quote(id) + SuggestionSuffix(id, Keys(ctx.people)))
                .About("person", id, NearestIds(id, Keys(ctx.people)), ctx.people.empty() ? "none-yet" : "missing"));
}

void CheckScopedProcess(const Context& ctx, const std::string& field, const std::string& process,
                        std::vector<FieldProblem>* problems) {
  if (!ctx.model->FindProcess(process)) {
    Problem(problems, field,
            Status::NotFound("unknown process " + Quote(process) + " in model " + ctx.model->Key() +
                             SuggestionSuffix(process, ctx.model->ProcessIds())));
  } else if (!ctx.scope.count(process)) {
    std::string in_scope;
    for (const auto& [p, s] : ctx.scope) in_scope += (in_scope.empty() ? "" : ", ") + p;
    Problem(problems, field,
            Status::InvalidInput("process " + Quote(process) + " is not in the assessment's scope (" +
                                 (in_scope.empty() ? std::string("empty") : in_scope) + ")")
                .About("process", process, {}, "not-in-scope"));
  }
}

void CheckDate(const std::string& field, const std::string& value, std::vector<FieldProblem>* problems) {
  if (value.empty()) return;
  const std::string why = WhyNotDateTime(value);
  if (!why.empty())
    Problem(problems, field,
            Status::InvalidInput(field + " " + Quote(value) +
                                 " is not an ISO 8601 date or date-time (2026-11-24 or 2026-11-24T10:30:00Z): " + why));
}

}  // namespace

bool LooksLikeDate(const std::string& s) { return s.empty() || WhyNotDateTime(s).empty(); }

std::string Canonical(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::strict); }

std::string RatingKey(const Rating& r) {
  return Canonical(json::array({r.instance, r.item, r.consolidated ? std::string() : r.assessor}));
}

// ---- JSON -------------------------------------------------------------------

json ToJson(const Assessment& a) {
  json j = json::object();
  j["id"] = a.id;
  PutString(&j, "title", a.title);
  PutString(&j, "organization", a.organization);
  PutString(&j, "series", a.series);
  PutString(&j, "sponsor", a.sponsor);
  PutString(&j, "purpose", a.purpose);
  j["class"] = a.assessment_class;
  PutString(&j, "independence", a.independence);
  j["model"] = {{"id", a.model_id}, {"version", a.model_version}, {"hash", a.model_hash}};
  json o = {{"method", RatingMethodName(a.options.method)},
            {"aggregation", AggregationMethodName(a.options.aggregation)},
            {"scale", ScaleKindName(a.options.scale)}};
  PutString(&o, "weights_rationale", a.options.weights_rationale);
  j["options"] = o;
  PutString(&j, "constraints", a.constraints);
  PutString(&j, "confidentiality", a.confidentiality);
  PutString(&j, "start_date", a.start_date);
  PutString(&j, "end_date", a.end_date);
  j["status"] = AssessmentStatusName(a.status);
  return j;
}

json ToJson(const ScopedProcess& s) { return {{"process", s.process}, {"target_level", s.target_level}}; }

json ToJson(const OrgUnit& u) {
  json j = {{"id", u.id}};
  PutString(&j, "name", u.name);
  PutString(&j, "description", u.description);
  return j;
}

json ToJson(const ProcessInstance& i) {
  json j = {{"id", i.id}, {"process", i.process}, {"weight", i.weight}};
  PutString(&j, "name", i.name);
  PutString(&j, "unit", i.unit);
  return j;
}

json ToJson(const Person& p) {
  json j = {{"id", p.id}};
  PutString(&j, "name", p.name);
  PutString(&j, "organization", p.organization);
  std::vector<std::string> roles;
  for (Role r : p.roles) roles.push_back(RoleName(r));
  PutList(&j, "roles", roles);
  return j;
}

json ToJson(const Interview& i) {
  json j = {{"id", i.id}};
  PutString(&j, "held_at", i.held_at);
  PutList(&j, "interviewers", i.interviewers);
  PutList(&j, "interviewees", i.interviewees);
  PutList(&j, "processes", i.processes);
  PutList(&j, "instances", i.instances);
  PutString(&j, "notes", i.notes);
  return j;
}

json ToJson(const Evidence& e) {
  json j = {{"id", e.id}, {"kind", EvidenceKindName(e.kind)}};
  PutString(&j, "reference", e.reference);
  PutString(&j, "description", e.description);
  PutString(&j, "effective_date", e.effective_date);
  PutString(&j, "collected_date", e.collected_date);
  PutString(&j, "collected_by", e.collected_by);
  PutString(&j, "sha256", e.sha256);
  PutString(&j, "interview", e.interview);
  return j;
}

json ToJson(const Rating& r) {
  json j = {{"instance", r.instance}, {"item", r.item}, {"value", r.value}};
  PutString(&j, "process", r.process);
  j["item_kind"] = ItemKindName(r.item_kind);
  PutString(&j, "assessor", r.assessor);
  if (r.consolidated) j["consolidated"] = true;
  PutString(&j, "strength", r.strength);
  PutString(&j, "weakness", r.weakness);
  PutList(&j, "reasons", r.reasons);
  PutList(&j, "evidence", r.evidence);
  PutString(&j, "rated_at", r.rated_at);
  PutString(&j, "justification", r.justification);
  return j;
}

Status FromJson(const json& j, Assessment* a) {
  Reader rd(j);
  rd.Str("id", &a->id);
  rd.Str("title", &a->title);
  rd.Str("organization", &a->organization);
  rd.Str("series", &a->series);
  rd.Str("sponsor", &a->sponsor);
  rd.Str("purpose", &a->purpose);
  rd.Int("class", &a->assessment_class);
  rd.Str("independence", &a->independence);
  const json& model = rd.Object("model");
  Reader mr(model);
  mr.Str("id", &a->model_id);
  mr.Str("version", &a->model_version);
  mr.Str("hash", &a->model_hash);
  rd.Merge(mr.status());
  const json& opts = rd.Object("options");
  Reader orr(opts);
  orr.Enum("method", &a->options.method, &ParseRatingMethod);
  orr.Enum("aggregation", &a->options.aggregation, &ParseAggregationMethod);
  orr.Enum("scale", &a->options.scale, &ParseScaleKind);
  orr.Str("weights_rationale", &a->options.weights_rationale);
  rd.Merge(orr.status());
  rd.Str("constraints", &a->constraints);
  rd.Str("confidentiality", &a->confidentiality);
  rd.Str("start_date", &a->start_date);
  rd.Str("end_date", &a->end_date);
  rd.Enum("status", &a->status, &ParseAssessmentStatus);
  return rd.status();
}

Status FromJson(const json& j, ScopedProcess* s) {
  Reader rd(j);
  rd.Str("process", &s->process);
  rd.Int("target_level", &s->target_level);
  return rd.status();
}

Status FromJson(const json& j, OrgUnit* u) {
  Reader rd(j);
  rd.Str("id", &u->id);
  rd.Str("name", &u->name);
  rd.Str("description", &u->description);
  return rd.status();
}

Status FromJson(const json& j, ProcessInstance* i) {
  Reader rd(j);
  rd.Str("id", &i->id);
  rd.Str("process", &i->process);
  rd.Str("name", &i->name);
  rd.Str("unit", &i->unit);
  rd.Num("weight", &i->weight);
  return rd.status();
}

Status FromJson(const json& j, Person* p) {
  Reader rd(j);
  rd.Str("id", &p->id);
  rd.Str("name", &p->name);
  rd.Str("organization", &p->organization);
  std::vector<std::string> roles;
  rd.List("roles", &roles);
  p->roles.clear();
  for (const std::string& r : roles) {
    Role role;
    if (Status s = ParseRole(r, &role); !s.ok()) {
      rd.Merge(s.Reworded("roles: " + s.message()));
      break;
    }
    p->roles.push_back(role);
  }
  return rd.status();
}

Status FromJson(const json& j, Interview* i) {
  Reader rd(j);
  rd.Str("id", &i->id);
  rd.Str("held_at", &i->held_at);
  rd.List("interviewers", &i->interviewers);
  rd.List("interviewees", &i->interviewees);
  rd.List("processes", &i->processes);
  rd.List("instances", &i->instances);
  rd.Str("notes", &i->notes);
  return rd.status();
}

Status FromJson(const json& j, Evidence* e) {
  Reader rd(j);
  rd.Str("id", &e->id);
  rd.Enum("kind", &e->kind, &ParseEvidenceKind);
  rd.Str("reference", &e->reference);
  rd.Str("description", &e->description);
  rd.Str("effective_date", &e->effective_date);
  rd.Str("collected_date", &e->collected_date);
  rd.Str("collected_by", &e->collected_by);
  rd.Str("sha256", &e->sha256);
  rd.Str("interview", &e->interview);
  return rd.status();
}

Status FromJson(const json& j, Rating* r) {
  Reader rd(j);
  rd.Str("process", &r->process);
  rd.Str("instance", &r->instance);
  rd.Str("item", &r->item);
  rd.Enum("item_kind", &r->item_kind, &ParseItemKind);
  rd.Str("assessor", &r->assessor);
  rd.Bool("consolidated", &r->consolidated);
  rd.Str("value", &r->value);
  rd.Str("strength", &r->strength);
  rd.Str("weakness", &r->weakness);
  rd.List("reasons", &r->reasons);
  rd.List("evidence", &r->evidence);
  rd.Str("rated_at", &r->rated_at);
  rd.Str("justification", &r->justification);
  return rd.status();
}

// ---- Validation -------------------------------------------------------------

void ValidateAssessment(const Assessment& a, std::vector<FieldProblem>* problems) {
  CheckId("id", a.id, problems);
  if (a.assessment_class < 1 || a.assessment_class > 3)
    Problem(problems, "class",
            Status::InvalidInput("class " + std::to_string(a.assessment_class) + " is not 1, 2 or 3"));
  if (!a.independence.empty() && !(a.independence.size() == 1 && a.independence[0] >= 'A' &&
                                   a.independence[0] <= 'D'))
    Problem(problems, "independence",
            Status::InvalidInput("independence " + Quote(a.independence) + " is not A, B, C or D"));
  if (a.options.aggregation == AggregationMethod::kWeightedMean && a.options.weights_rationale.empty())
    Problem(problems, "options",
            Status::InvalidInput("weighted-mean aggregation needs a rationale for the weights (weights_rationale)"));
  CheckDate("start_date", a.start_date, problems);
  CheckDate("end_date", a.end_date, problems);
}

void ValidateScope(const Context& ctx, ScopedProcess* s, std::vector<FieldProblem>* problems) {
  if (!ctx.model->FindProcess(s->process))
    Problem(problems, "process",
            Status::NotFound("unknown process " + Quote(s->process) + " in model " + ctx.model->Key() +
                             SuggestionSuffix(s->process, ctx.model->ProcessIds())));
  int max_level = 0;
  for (const CapabilityLevel& l : ctx.model->framework().levels) max_level = std::max(max_level, l.number);
  if (s->target_level < 1 || s->target_level > max_level)
    Problem(problems, "target_level",
            Status::InvalidInput("target level " + std::to_string(s->target_level) + " is not between 1 and " +
                                 std::to_string(max_level)));
}

void ValidateUnit(const Context&, OrgUnit* u, std::vector<FieldProblem>* problems) { CheckId("id", u->id, problems); }

void ValidateInstance(const Context& ctx, ProcessInstance* i, std::vector<FieldProblem>* problems) {
  CheckId("id", i->id, problems);
  CheckScopedProcess(ctx, "process", i->process, problems);
  if (!i->unit.empty() && !ctx.units.count(i->unit))
    Problem(problems, "unit",
            Status::NotFound("unknown organizational unit " + Quote(i->unit) + SuggestionSuffix(i->unit, Keys(ctx.units)))
                .About("unit", i->unit, NearestIds(i->unit, Keys(ctx.units)), ctx.units.empty() ? "none-yet" : "missing"));
  if (!std::isfinite(i->weight) || i->weight <= 0 || i->weight > kMaxInstanceWeight)
    Problem(problems, "weight",
            Status::InvalidInput("weight must be a number greater than 0 and at most 1000 (got " +
                                 FormatWeight(i->weight) + ")"));
}

void ValidatePerson(const Context&, Person* p, std::vector<FieldProblem>* problems) {
  CheckId("id", p->id, problems);
  std::sort(p->roles.begin(), p->roles.end());
  p->roles.erase(std::unique(p->roles.begin(), p->roles.end()), p->roles.end());
}

void ValidateInterview(const Context& ctx, Interview* i, std::vector<FieldProblem>* problems) {
  CheckId("id", i->id, problems);
  CheckDate("held_at", i->held_at, problems);
  for (const std::string& p : i->interviewers) CheckPerson(ctx, "interviewers", p, problems);
  for (const std::string& p : i->interviewees) CheckPerson(ctx, "interviewees", p, problems);
  for (const std::string& p : i->processes) CheckScopedProcess(ctx, "processes", p, problems);
  for (const std::string& inst : i->instances)
    if (!ctx.instances.count(inst))
      Problem(problems, "instances",
              Status::NotFound("unknown process instance " + Quote(inst) + SuggestionSuffix(inst, Keys(ctx.instances))));
}

void ValidateEvidence(const Context& ctx, Evidence* e, std::vector<FieldProblem>* problems) {
  CheckId("id", e->id, problems);
  CheckDate("effective_date", e->effective_date, problems);
  CheckDate("collected_date", e->collected_date, problems);
  if (!e->collected_by.empty()) CheckPerson(ctx, "collected_by", e->collected_by, problems);
  if (!e->interview.empty() && !ctx.interviews.count(e->interview))
    Problem(problems, "interview",
            Status::NotFound("unknown interview " + Quote(e->interview) +
                             SuggestionSuffix(e->interview, Keys(ctx.interviews))));
  if (!e->sha256.empty()) {
    std::string lower = e->sha256;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool hex = lower.size() == 64 && std::all_of(lower.begin(), lower.end(), [](char c) {
                 return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
               });
    if (hex)
      e->sha256 = lower;
    else
      Problem(problems, "sha256", Status::InvalidInput("sha256 must be 64 hexadecimal digits"));
  }
}

namespace {

// The items a rating of `process` may be about, for suggestions.
std::vector<std::string> RatableItems(const Model& model, const Process* process) {
  std::vector<std::string> out;
  if (process) {
    for (const Statement& o : process->outcomes) out.push_back(o.id);
    for (const Indicator& i : process->base_practices) out.push_back(i.id);
    for (const Indicator& i : process->work_products) out.push_back(i.id);
  }
  for (const ProcessAttribute& a : model.framework().attributes) {
    out.push_back(a.id);
    for (const Statement& s : a.achievements) out.push_back(s.id);
  }
  for (const Indicator& i : model.framework().generic_practices) out.push_back(i.id);
  for (const Indicator& i : model.framework().generic_resources) out.push_back(i.id);
  return out;
}

// The level of the attribute an item belongs to (0 for process items).
int ItemLevel(const Model& model, const std::string& item) {
  if (const ProcessAttribute* a = model.FindAttribute(item)) return a->level;
  std::string owner;
  if (const Indicator* ind = model.FindIndicator(item)) {
    owner = ind->owner;
  } else if (!model.FindStatement(item, &owner)) {
    return 0;
  }
  if (const ProcessAttribute* a = model.FindAttribute(owner)) return a->level;
  return 0;
}

}  // namespace

// What the model says of an item a rating may be about.
struct RatingValidator::ItemInfo {
  enum class Kind { kUnknown, kAttribute, kIndicator, kAchievement, kOutcome };
  Kind kind = Kind::kUnknown;
  const Indicator* indicator = nullptr;  // kIndicator
  std::string owner;                     // kOutcome: its process
};

RatingValidator::RatingValidator(const Context& ctx) : ctx_(ctx), model_(*ctx.model) {
  for (const ReasonCode& rc : model_.reason_codes()) {
    reason_codes_.push_back(rc.id);
    reason_known_[rc.id] = true;
  }
}

RatingValidator::~RatingValidator() = default;

const RatingValidator::ItemInfo& RatingValidator::Item(const std::string& id) {
  auto it = items_.find(id);
  if (it != items_.end()) return *it->second;
  auto info = std::make_unique<ItemInfo>();
  std::string owner;
  if (model_.FindAttribute(id)) {
    info->kind = ItemInfo::Kind::kAttribute;
  } else if (const Indicator* ind = model_.FindIndicator(id)) {
    info->kind = ItemInfo::Kind::kIndicator;
    info->indicator = ind;
  } else if (model_.FindStatement(id, &owner)) {
    info->kind = model_.FindAttribute(owner) ? ItemInfo::Kind::kAchievement : ItemInfo::Kind::kOutcome;
    info->owner = owner;
  }
  return *items_.emplace(id, std::move(info)).first->second;
}

void RatingValidator::Check(Rating* r, std::vector<FieldProblem>* problems) {
  auto inst = ctx_.instances.find(r->instance);
  if (r->instance.empty()) {
    Problem(problems, "instance", Status::InvalidInput("instance is required"));
  } else if (inst == ctx_.instances.end()) {
    Problem(problems, "instance",
            Status::NotFound("unknown process instance " + Quote(r->instance) +
                             SuggestionSuffix(r->instance, Keys(ctx_.instances)))
                .About("instance", r->instance, NearestIds(r->instance, Keys(ctx_.instances)),
                       ctx_.instances.empty() ? "none-yet" : "missing"));
  } else if (!r->process.empty() && r->process != inst->second.process) {
    Problem(problems, "process",
            Status::InvalidInput("instance " + Quote(r->instance) + " belongs to process " +
                                 Quote(inst->second.process) + ", not " + Quote(r->process)));
  } else {
    r->process = inst->second.process;
  }
  const Process* process = r->process.empty() ? nullptr : model_.FindProcess(r->process);
  if (!r->process.empty() && !process && inst == ctx_.instances.end())
    Problem(problems, "process",
            Status::NotFound("unknown process " + Quote(r->process) + SuggestionSuffix(r->process, model_.ProcessIds())));
  CheckItem(r, process, problems);
  CheckValue(r, problems);
  CheckAssessor(*r, problems);
  CheckLists(*r, problems);
  if (r->rated_at != last_date_) {
    const size_t before = problems->size();
    CheckDate("rated_at", r->rated_at, problems);
    if (problems->size() == before) last_date_ = r->rated_at;
  }
}

// The item and its kind.
void RatingValidator::CheckItem(Rating* r, const Process* process, std::vector<FieldProblem>* problems) {
  if (r->item.empty()) return Problem(problems, "item", Status::InvalidInput("item is required"));
  const ItemInfo& info = Item(r->item);
  using Kind = ItemInfo::Kind;
  switch (info.kind) {
    case Kind::kAttribute:
      r->item_kind = ItemKind::kAttribute;
      return;
    case Kind::kIndicator: {
      r->item_kind = ItemKind::kIndicator;
      const Indicator* ind = info.indicator;
      bool process_owned = ind->kind == IndicatorKind::kBasePractice || ind->kind == IndicatorKind::kWorkProduct;
      if (process_owned && process && ind->owner != process->id)
        Problem(problems, "item",
                Status::InvalidInput(std::string(IndicatorKindName(ind->kind)) + " " + Quote(r->item) +
                                     " belongs to process " + Quote(ind->owner) + ", not " + Quote(process->id) +
                                     SuggestionSuffix(r->item, RatableItems(model_, process))));
      return;
    }
    case Kind::kAchievement:
      r->item_kind = ItemKind::kAchievement;
      return;
    case Kind::kOutcome:
      r->item_kind = ItemKind::kOutcome;
      if (process && info.owner != process->id)
        Problem(problems, "item",
                Status::InvalidInput("outcome " + Quote(r->item) + " belongs to process " + Quote(info.owner) +
                                     ", not " + Quote(process->id) +
                                     SuggestionSuffix(r->item, RatableItems(model_, process))));
      return;
    case Kind::kUnknown:
      Problem(problems, "item",
              Status::NotFound("unknown item " + Quote(r->item) + " in model " + model_.Key() +
                               SuggestionSuffix(r->item, RatableItems(model_, process))));
      return;
  }
}

// The value: a value of the assessment's scale, or a percentage. On the
// refined scale a plain P or L is ambiguous (docs/RATING.md section 1).
void RatingValidator::CheckValue(Rating* r, std::vector<FieldProblem>* problems) {
  std::string value;
  Status vs = NormalizeRatingValue(r->value, &value);
  if (!vs.ok()) return Problem(problems, "value", vs);
  r->value = value;
  const bool refined_scale = ctx_.assessment.options.scale == ScaleKind::kRefined;
  bool refined = value == "P-" || value == "P+" || value == "L-" || value == "L+";
  if (refined && !refined_scale)
    Problem(problems, "value",
            Status::InvalidInput("value " + Quote(value) +
                                 " is on the refined scale, but the assessment uses the standard scale N, P, L, F"));
  if (refined_scale && (value == "P" || value == "L"))
    Problem(problems, "value",
            Status::InvalidInput("value " + Quote(value) + " is ambiguous on the refined scale: use " + value +
                                 "- or " + value + "+ (or a percentage)"));
}

// Who rated.
void RatingValidator::CheckAssessor(const Rating& r, std::vector<FieldProblem>* problems) {
  if (r.consolidated) {
    if (!r.assessor.empty())
      Problem(problems, "assessor",
              Status::InvalidInput("a consolidated rating is the team's; give no assessor (got " + Quote(r.assessor) +
                                   ")"));
    return;
  }
  if (r.assessor.empty())
    return Problem(problems, "assessor",
                   Status::InvalidInput("give the assessor, or mark the rating as consolidated"));
  auto p = ctx_.people.find(r.assessor);
  if (p == ctx_.people.end()) return CheckPerson(ctx_, "assessor", r.assessor, problems);
  const std::vector<Role>& roles = p->second.roles;
  if (std::find(roles.begin(), roles.end(), Role::kAssessor) == roles.end() &&
      std::find(roles.begin(), roles.end(), Role::kLeadAssessor) == roles.end())
    Problem(problems, "assessor",
            Status::InvalidInput("person " + Quote(r.assessor) + " is not an assessor or lead assessor of this assessment"));
}

// Reason codes and evidence.
void RatingValidator::CheckLists(const Rating& r, std::vector<FieldProblem>* problems) {
  for (const std::string& code : r.reasons)
    if (!reason_known_.count(code))
      Problem(problems, "reasons",
              Status::NotFound("unknown reason code " + Quote(code) + " in model " + model_.Key() +
                               SuggestionSuffix(code, reason_codes_)));
  for (size_t i = 0; i < r.evidence.size(); ++i) {
    const std::string& e = r.evidence[i];
    if (!ctx_.evidence.count(e))
      Problem(problems, "evidence",
              Status::NotFound("unknown evidence " + Quote(e) + SuggestionSuffix(e, Keys(ctx_.evidence))));
    if (std::find(r.evidence.begin(), r.evidence.begin() + static_cast<long>(i), e) != r.evidence.begin() + static_cast<long>(i))
      Problem(problems, "evidence", Status::InvalidInput("evidence " + Quote(e) + " is listed twice"));
  }
}

void ValidateRating(const Context& ctx, Rating* r, std::vector<FieldProblem>* problems) {
  RatingValidator(ctx).Check(r, problems);
}

bool OutsideScope(const Context& ctx, const Rating& r) {
  if (!ctx.model) return false;
  int level = ItemLevel(*ctx.model, r.item);
  auto s = ctx.scope.find(r.process);
  return s != ctx.scope.end() && level > s->second.target_level;
}

void MarkOutsideScope(const Context& ctx, std::vector<Rating>* ratings) {
  if (!ctx.model) {
    for (Rating& r : *ratings) r.outside_scope = false;
    return;
  }
  std::unordered_map<std::string_view, int> levels;  // by item (views of the ratings' own strings)
  for (Rating& r : *ratings) {
    auto [it, fresh] = levels.try_emplace(r.item, 0);
    if (fresh) it->second = ItemLevel(*ctx.model, r.item);
    auto s = ctx.scope.find(r.process);
    r.outside_scope = s != ctx.scope.end() && it->second > s->second.target_level;
  }
}

}  // namespace internal

Status NormalizeRatingValue(const std::string& value, std::string* normalized) {
  return CanonicalRatingValue(value, normalized);
}

std::vector<AssessmentStatus> AllowedTransitions(AssessmentStatus from) {
  using S = AssessmentStatus;
  switch (from) {
    case S::kPlanned:
      return {S::kCollecting};
    case S::kCollecting:
      return {S::kValidating, S::kPlanned};
    case S::kValidating:
      return {S::kRated, S::kCollecting};
    case S::kRated:
      return {S::kReported, S::kValidating};
    case S::kReported:
      return {S::kClosed, S::kRated};
    case S::kClosed:
      return {};
  }
  return {};
}

}  // namespace assay
