// The items an assessor rates for one process: the rows of a rating sheet.
//
// Per capability level up to the target: the process attribute, then (R1)
// the outcomes (PA 1.1) or achievements (higher attributes) that characterise
// it, then the indicators that support it (base practices and work products
// for PA 1.1; generic practices and resources for the others), in the
// model's order. Pure functions of the model; thread-safe.
#ifndef ASSAY_RATING_ITEMS_H_
#define ASSAY_RATING_ITEMS_H_

#include <string>
#include <vector>

#include "assay/assessment.h"
#include "assay/model.h"

namespace assay {

struct RatingItem {
  std::string id;         // attribute, outcome, achievement or indicator ID
  ItemKind kind = ItemKind::kAttribute;
  std::string label;      // "process attribute", "outcome", "achievement", "base practice", ...
  std::string text;       // the name and statement, as the model words them
  std::string attribute;  // the attribute the item belongs to ("PA2.1")
  std::vector<std::string> supports;  // for indicators: the outcomes or achievements they support
  int level = 0;          // the capability level of `attribute`
};

// The items of `process` for levels 1..target_level under `method`. Empty
// when the model has no such process.
std::vector<RatingItem> ItemsToRate(const Model& model, const std::string& process, int target_level,
                                    RatingMethod method);

// The kind of rating item `id` is in `model`: a process attribute, an
// indicator, a process outcome or an attribute achievement. False (and
// *kind untouched) when the model defines no such item.
bool ItemKindOf(const Model& model, const std::string& id, ItemKind* kind);

}  // namespace assay

#endif  // ASSAY_RATING_ITEMS_H_
