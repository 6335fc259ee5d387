// Withdrawal (docs/TEAMWORK.md): a rating, evidence item, instance or team
// member entered by mistake is superseded by a tombstone version; nothing
// is deleted, and every read of the current state leaves it out.
#include <algorithm>

#include "assay/text.h"
#include "store/store_impl.h"

namespace assay {

namespace internal {

namespace {

using nlohmann::json;

std::string RatingLabel(const Rating& r) {
  return r.instance + " " + r.item + " " + (r.consolidated || r.assessor.empty() ? "consolidated" : r.assessor);
}

// What still refers to `id` among the current records and ratings.
std::vector<std::string> Users(const Context& ctx, const std::vector<Rating>& ratings, WithdrawKind kind,
                               const std::string& id) {
  std::vector<std::string> users;
  auto has = [&id](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), id) != v.end(); };
  for (const Rating& r : ratings) {
    const bool uses = (kind == WithdrawKind::kEvidence && has(r.evidence)) ||
                      (kind == WithdrawKind::kInstance && r.instance == id) ||
                      (kind == WithdrawKind::kPerson && !r.consolidated && r.assessor == id);
    if (uses) users.push_back("rating " + RatingLabel(r));
  }
  for (const auto& [key, i] : ctx.interviews)
    if ((kind == WithdrawKind::kInstance && has(i.instances)) ||
        (kind == WithdrawKind::kPerson && (has(i.interviewers) || has(i.interviewees))))
      users.push_back("interview " + key);
  if (kind == WithdrawKind::kPerson)
    for (const auto& [key, e] : ctx.evidence)
      if (e.collected_by == id) users.push_back("evidence " + key);
  return users;
}

}  // namespace

const char* WithdrawKindName(WithdrawKind k) {
  switch (k) {
    case WithdrawKind::kRating: return "rating";
    case WithdrawKind::kEvidence: return "evidence";
    case WithdrawKind::kInstance: return "instance";
    case WithdrawKind::kPerson: return "person";
  }
  return "rating";
}

bool IsWithdrawn(const json& data) { return data.is_object() && data.contains("withdrawn"); }

Status SqlWorkspace::Withdraw(const std::string& assessment, const Withdrawal& w, WriteResult* result) {
  if (w.reason.find_first_not_of(' ') == std::string::npos || !IsValidUtf8(w.reason))
    return Status::InvalidInput("a withdrawal needs a reason (--reason TEXT)").About("reason", "", {}, "required");
  if (version_ < 6) return Status::Unsupported(path_ + ": withdrawal needs schema version 6");
  try {
    sql::Transaction tx(*db_, sql::Tx::kWrite);
    Context ctx;
    ASSAY_RETURN_IF_ERROR(LoadContext(assessment, false, &ctx));
    ASSAY_RETURN_IF_ERROR(CheckNotFrozen(ctx.assessment));
    if (w.kind == WithdrawKind::kRating) {
      ASSAY_RETURN_IF_ERROR(WithdrawRating(&ctx, w, result));
      tx.Commit();
      return Status::OK();
    }
    const char* kind = WithdrawKindName(w.kind);
    std::vector<std::string> ids;
    bool present = false;
    if (w.kind == WithdrawKind::kEvidence) {
      present = ctx.evidence.count(w.id) > 0;
      for (const auto& [k, v] : ctx.evidence) ids.push_back(k);
    } else if (w.kind == WithdrawKind::kInstance) {
      present = ctx.instances.count(w.id) > 0;
      for (const auto& [k, v] : ctx.instances) ids.push_back(k);
    } else {
      present = ctx.people.count(w.id) > 0;
      for (const auto& [k, v] : ctx.people) ids.push_back(k);
    }
    if (!present) {
      if (ctx.rows[kind].count(w.id))
        return Status::InvalidInput(std::string(kind) + " " + Quote(w.id) + " of assessment " + Quote(assessment) +
                                    " is withdrawn already")
            .About(kind, w.id, {}, "withdrawn");
      return Status::NotFound("no " + std::string(kind) + " " + Quote(w.id) + " in assessment " + Quote(assessment) +
                              SuggestionSuffix(w.id, ids))
          .About(kind, w.id, NearestIds(w.id, ids), ids.empty() ? "none-yet" : "missing");
    }
    std::vector<Rating> ratings;
    ASSAY_RETURN_IF_ERROR(ReadCurrentRatings(assessment, &ratings));
    std::vector<std::string> users = Users(ctx, ratings, w.kind, w.id);
    if (!users.empty()) {
      const size_t n = users.size();
      if (n > 5) users.resize(5);
      std::string list;
      for (const std::string& u : users) list += (list.empty() ? "" : ", ") + u;
      return Status::InvalidInput(std::string(kind) + " " + Quote(w.id) + " is still referred to by " +
                                  std::to_string(n) + (n == 1 ? " record" : " records") + " (" + list +
                                  (n > 5 ? ", ..." : "") + "); withdraw or change those first")
          .About(kind, w.id, {}, "in-use");
    }
    json tomb = {{"id", w.id}, {"withdrawn", true}, {"reason", w.reason}};
    ASSAY_RETURN_IF_ERROR(Apply(&ctx, kind, w.id, Canonical(tomb), "withdraw", true, result));
    tx.Commit();
    return Status::OK();
  } catch (const std::exception& e) {
    return SqliteError(path_, e);
  }
}

Status SqlWorkspace::WithdrawRating(Context* ctx, const Withdrawal& w, WriteResult* result) {
  const std::string& assessment = ctx->assessment.id;
  const std::string assessor = w.consolidated ? std::string() : w.assessor;
  int64_t old_row = 0;
  Rating old;
  if (!FindCurrentRating(assessment, w.instance, w.item, assessor, &old_row, &old) || old.value == kWithdrawnValue) {
    std::vector<Rating> current;
    ASSAY_RETURN_IF_ERROR(ReadCurrentRatings(assessment, &current));
    std::vector<std::string> labels;
    for (const Rating& r : current)
      if (r.instance == w.instance || r.item == w.item) labels.push_back(r.instance + " " + r.item);
    Rating want;
    want.instance = w.instance;
    want.item = w.item;
    want.assessor = assessor;
    want.consolidated = w.consolidated;
    const std::string what = RatingLabel(want);
    return Status::NotFound("no current rating " + what + " in assessment " + Quote(assessment) +
                            SuggestionSuffix(w.instance + " " + w.item, labels))
        .About("rating", what, NearestIds(w.instance + " " + w.item, labels), "missing");
  }
  Rating tomb;
  tomb.instance = old.instance;
  tomb.item = old.item;
  tomb.assessor = old.assessor;
  tomb.consolidated = old.consolidated;
  tomb.process = old.process;
  tomb.item_kind = old.item_kind;
  tomb.value = kWithdrawnValue;
  tomb.justification = w.reason;
  tomb.rated_at = Now();
  std::string reasons, evidence;
  RatingFields f = FieldsOf(assessment, tomb, &reasons, &evidence);
  Event e;
  int64_t new_row = 0;
  NextRowAndEvent(&new_row, &e.seq, &e.prev_hash);
  e.at = tomb.rated_at;
  e.actor = options_.actor;
  e.assessment = assessment;
  e.action = "withdraw";
  e.entity = kKindRating;
  e.entity_id = RatingKeyText(f.instance, f.item, f.assessor);
  e.row = new_row;
  e.before = Canonical(ToJson(old));
  e.after = Canonical(ToJson(tomb));
  InsertEvent(&e);
  InsertRating(new_row, f, old_row, e.seq);
  *result = WriteResult();
  result->kind = WriteResult::Kind::kUpdated;
  result->row = new_row;
  result->event = e.seq;
  return Status::OK();
}

}  // namespace internal

}  // namespace assay
