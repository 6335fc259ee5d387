#include "assay/rating.h"

namespace assay {

namespace {

std::string Joined(const std::string& name, const std::string& description) {
  if (name.empty()) return description;
  if (description.empty()) return name;
  return name + ": " + description;
}

void AddIndicators(const std::vector<Indicator>& indicators, const std::string& attribute, int level,
                   std::vector<RatingItem>* out) {
  for (const Indicator& ind : indicators)
    out->push_back({ind.id, ItemKind::kIndicator, IndicatorKindName(ind.kind), Joined(ind.name, ind.description),
                    attribute, ind.supports, level});
}

}  // namespace

std::vector<RatingItem> ItemsToRate(const Model& model, const std::string& process, int target_level,
                                    RatingMethod method) {
  std::vector<RatingItem> items;
  const Process* p = model.FindProcess(process);
  if (p == nullptr) return items;
  const Framework& fw = model.framework();
  for (const CapabilityLevel& level : fw.levels) {
    if (level.number < 1 || level.number > target_level) continue;
    for (const std::string& attr_id : level.attributes) {
      const ProcessAttribute* attr = model.FindAttribute(attr_id);
      if (attr == nullptr) continue;
      items.push_back({attr->id, ItemKind::kAttribute, "process attribute", Joined(attr->name, attr->description),
                       attr->id, {}, level.number});
      const bool first = level.number == 1;
      if (method == RatingMethod::kR1) {
        for (const Statement& s : first ? p->outcomes : attr->achievements)
          items.push_back({s.id, first ? ItemKind::kOutcome : ItemKind::kAchievement,
                           first ? "outcome" : "achievement", s.text, attr->id, {}, level.number});
      }
      if (first) {
        AddIndicators(p->base_practices, attr->id, level.number, &items);
        AddIndicators(p->work_products, attr->id, level.number, &items);
      } else {
        std::vector<Indicator> gps, grs;
        for (const Indicator& gp : fw.generic_practices)
          if (gp.owner == attr->id) gps.push_back(gp);
        for (const Indicator& gr : fw.generic_resources)
          if (gr.owner == attr->id) grs.push_back(gr);
        AddIndicators(gps, attr->id, level.number, &items);
        AddIndicators(grs, attr->id, level.number, &items);
      }
    }
  }
  return items;
}

bool ItemKindOf(const Model& model, const std::string& id, ItemKind* kind) {
  std::string owner;
  if (model.FindAttribute(id)) {
    *kind = ItemKind::kAttribute;
  } else if (model.FindIndicator(id)) {
    *kind = ItemKind::kIndicator;
  } else if (model.FindStatement(id, &owner)) {
    *kind = model.FindAttribute(owner) ? ItemKind::kAchievement : ItemKind::kOutcome;
  } else {
    return false;
  }
  return true;
}

}  // namespace assay
