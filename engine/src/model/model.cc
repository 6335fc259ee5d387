#include <algorithm>
#include <set>

#include "assay/model.h"

namespace assay {

const char* IndicatorKindName(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::kBasePractice: return "base practice";
    case IndicatorKind::kWorkProduct: return "work product";
    case IndicatorKind::kGenericPractice: return "generic practice";
    case IndicatorKind::kGenericResource: return "generic resource";
  }
  return "indicator";
}

const char* RuleTypeName(RuleType type) {
  switch (type) {
    case RuleType::kCap: return "cap";
    case RuleType::kNotF: return "not_f";
    case RuleType::kNotAbove: return "not_above";
    case RuleType::kAlign: return "align";
  }
  return "rule";
}

void Model::BuildIndex() {
  process_index_.clear();
  attribute_index_.clear();
  indicator_index_.clear();
  statement_index_.clear();
  for (size_t i = 0; i < processes_.size(); ++i) {
    const Process& p = processes_[i];
    process_index_.emplace(p.id, i);
    for (const Statement& o : p.outcomes) statement_index_.emplace(o.id, std::make_pair(&o, p.id));
    for (const Indicator& bp : p.base_practices) indicator_index_.emplace(bp.id, &bp);
    for (const Indicator& wp : p.work_products) indicator_index_.emplace(wp.id, &wp);
  }
  for (size_t i = 0; i < framework_.attributes.size(); ++i) {
    const ProcessAttribute& a = framework_.attributes[i];
    attribute_index_.emplace(a.id, i);
    for (const Statement& s : a.achievements) statement_index_.emplace(s.id, std::make_pair(&s, a.id));
  }
  for (const Indicator& gp : framework_.generic_practices) indicator_index_.emplace(gp.id, &gp);
  for (const Indicator& gr : framework_.generic_resources) indicator_index_.emplace(gr.id, &gr);
}

const Process* Model::FindProcess(const std::string& id) const {
  auto it = process_index_.find(id);
  return it == process_index_.end() ? nullptr : &processes_[it->second];
}

const ProcessAttribute* Model::FindAttribute(const std::string& id) const {
  auto it = attribute_index_.find(id);
  return it == attribute_index_.end() ? nullptr : &framework_.attributes[it->second];
}

const Indicator* Model::FindIndicator(const std::string& id) const {
  auto it = indicator_index_.find(id);
  return it == indicator_index_.end() ? nullptr : it->second;
}

const Statement* Model::FindStatement(const std::string& id, std::string* owner) const {
  auto it = statement_index_.find(id);
  if (it == statement_index_.end()) return nullptr;
  if (owner) *owner = it->second.second;
  return it->second.first;
}

std::vector<std::string> Model::MaturitySet(int level) const {
  std::vector<std::string> out;
  if (!maturity_) return out;
  for (const MaturityLevel& ml : maturity_->levels) {
    if (ml.level != level) continue;
    out = ml.processes;
    if (ml.all_other_processes) {
      std::set<std::string> named;
      for (const MaturityLevel& other : maturity_->levels)
        if (other.level <= level) named.insert(other.processes.begin(), other.processes.end());
      for (const Process& p : processes_)
        if (!named.count(p.id)) out.push_back(p.id);
    }
  }
  return out;
}

std::vector<std::string> Model::ProcessIds() const {
  std::vector<std::string> ids;
  for (const Process& p : processes_) ids.push_back(p.id);
  return ids;
}

std::vector<std::string> Model::AllIds() const {
  std::vector<std::string> ids = ProcessIds();
  for (const auto& [id, _] : attribute_index_) ids.push_back(id);
  for (const auto& [id, _] : indicator_index_) ids.push_back(id);
  for (const auto& [id, _] : statement_index_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace assay
