#include "assay/rating.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>


namespace assay {

Status FindDisagreements(const Model& model, const AssessmentData& data, std::vector<OpenDisagreement>* out) {
  out->clear();
  std::vector<ResolvedRating> resolved;
  std::vector<Disagreement> disagreements;
  Agreement agreement;
  ASSAY_RETURN_IF_ERROR(ResolveTeamRatings(model.framework(), data.assessment.options.scale, data.ratings, &resolved,
                                           &disagreements, &agreement));
  if (disagreements.empty()) return Status::OK();
  // The current (newest) rating of each (instance, item, assessor).
  std::map<std::tuple<std::string, std::string, std::string>, const Rating*> current;
  for (const Rating& r : data.ratings) {
    if (r.consolidated) continue;
    const Rating*& slot = current[{r.instance, r.item, r.assessor}];
    if (!slot || r.id > slot->id) slot = &r;
  }
  for (const Disagreement& d : disagreements) {
    OpenDisagreement o;
    o.process = d.process;
    o.instance = d.instance;
    o.item = d.item;
    o.item_kind = d.item_kind;
    o.used = d.used;
    for (const Vote& v : d.votes) {
      auto it = current.find({d.instance, d.item, v.assessor});
      if (it != current.end()) o.ratings.push_back(*it->second);
    }
    out->push_back(std::move(o));
  }
  std::sort(out->begin(), out->end(), [](const OpenDisagreement& a, const OpenDisagreement& b) {
    return std::tie(a.instance, a.item) < std::tie(b.instance, b.item);
  });
  return Status::OK();
}

std::vector<CheckFinding> DisagreementFindings(const AssessmentData& data,
                                               const std::vector<OpenDisagreement>& open) {
  std::vector<CheckFinding> out;
  const bool error = data.assessment.assessment_class == 1 || data.assessment.assessment_class == 2;
  for (const OpenDisagreement& d : open) {
    CheckFinding f;
    f.check = kDisagreementCheck;
    f.severity = error ? Severity::kError : Severity::kWarning;
    f.process = d.process;
    f.instance = d.instance;
    f.item = d.item;
    std::string votes;
    for (const Rating& r : d.ratings) votes += (votes.empty() ? "" : ", ") + r.assessor + " " + r.value;
    f.message = InstanceLabel(d.process, d.instance) + " " + d.item + ": assessors disagree (" + votes +
                ") and no consolidated rating is recorded";
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace assay
