#include "assay/rating.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "assay/scale.h"

namespace assay {

namespace {

constexpr size_t kMaxListedProblems = 20;

// Joins problems into one message, one per line, at most kMaxListedProblems.
std::string JoinProblems(const std::vector<std::string>& problems) {
  std::string msg;
  for (size_t i = 0; i < problems.size() && i < kMaxListedProblems; ++i) msg += (i ? "\n" : "") + problems[i];
  if (problems.size() > kMaxListedProblems)
    msg += "\n(and " + std::to_string(problems.size() - kMaxListedProblems) + " more)";
  return msg;
}

std::string FormatWeight(double w) {
  std::string s = std::to_string(w);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

int TopLevel(const Framework& fw) {
  int top = 0;
  for (const ProcessAttribute& a : fw.attributes) top = std::max(top, a.level);
  return top;
}

// ---------------------------------------------------------------------------
// Kappa

// Cohen's kappa over `pairs` (the two raters' ordinals per item).
void Cohen(const std::vector<std::pair<int, int>>& pairs, int categories, Agreement* ag) {
  const double n = static_cast<double>(pairs.size());
  std::vector<double> a(static_cast<size_t>(categories), 0.0), b(static_cast<size_t>(categories), 0.0);
  double agree = 0;
  for (const auto& [x, y] : pairs) {
    if (x == y) agree += 1;
    a[static_cast<size_t>(x)] += 1;
    b[static_cast<size_t>(y)] += 1;
  }
  const double po = agree / n;
  double pe = 0;
  for (size_t k = 0; k < a.size(); ++k) pe += (a[k] / n) * (b[k] / n);
  ag->observed = po;
  if (pe < 1.0 - 1e-12) {
    ag->kappa = (po - pe) / (1.0 - pe);
  } else if (po >= 1.0 - 1e-12) {
    ag->kappa = 1.0;
  }
}

// Fleiss' kappa, generalised to a varying number of raters per item.
void Fleiss(const std::vector<std::vector<int>>& items, int categories, Agreement* ag) {
  std::vector<double> totals(static_cast<size_t>(categories), 0.0);
  double all = 0, pbar = 0;
  for (const std::vector<int>& votes : items) {
    std::vector<double> nij(static_cast<size_t>(categories), 0.0);
    for (int v : votes) nij[static_cast<size_t>(v)] += 1;
    const double ni = static_cast<double>(votes.size());
    double sq = 0;
    for (size_t j = 0; j < nij.size(); ++j) {
      sq += nij[j] * nij[j];
      totals[j] += nij[j];
    }
    all += ni;
    pbar += (sq - ni) / (ni * (ni - 1));
  }
  pbar /= static_cast<double>(items.size());
  double pe = 0;
  for (double t : totals) pe += (t / all) * (t / all);
  ag->observed = pbar;
  if (pe < 1.0 - 1e-12) {
    ag->kappa = (pbar - pe) / (1.0 - pe);
  } else if (pbar >= 1.0 - 1e-12) {
    ag->kappa = 1.0;
  }
}

// ---------------------------------------------------------------------------
// Evaluation of one process

// One rating that feeds an attribute: an R1 statement characterisation or an
// R2/R3 attribute rating (statement "").
struct Entry {
  std::string statement;
  int ordinal = -1;  // -1: none
};

struct Cell {
  bool assessed = true;
  std::vector<Entry> entries;
};

struct ProcessInput {
  std::vector<std::string> instances;
  std::vector<double> weights;
  std::vector<std::vector<Cell>> cells;  // [instance][framework attribute]
};

struct Evaluation {
  std::vector<std::vector<AttributeRating>> instance_attributes;
  std::vector<CapabilityResult> instance_capability;
  std::vector<AttributeRating> aggregate;
  CapabilityResult capability;
};

AttributeRating Rated(const ProcessAttribute& pa, ScaleKind scale, int ordinal) {
  AttributeRating r;
  r.attribute = pa.id;
  r.level = pa.level;
  r.state = AttributeState::kRated;
  r.ordinal = ordinal;
  r.value = ValueOf(scale, ordinal);
  r.folded = FoldOrdinal(scale, ordinal);
  return r;
}

AttributeRating Unrated(const ProcessAttribute& pa, AttributeState state) {
  AttributeRating r;
  r.attribute = pa.id;
  r.level = pa.level;
  r.state = state;
  return r;
}

int AggregateOrDie(AggregationMethod method, const std::vector<int>& ordinals, const std::vector<double>& weights) {
  int out = 0;
  // Inputs are validated by the callers (non-empty, weights checked up front).
  Status st = Aggregate(method, ordinals, weights, &out);
  return st.ok() ? out : 0;
}

// The rating of attribute `pa` in one instance from its cell's entries (all
// weights 1). Not rated when no entry has a value.
AttributeRating InstanceAttribute(const ProcessAttribute& pa, const RatingOptions& opt, const Cell& cell,
                                  std::vector<int>* scratch) {
  scratch->clear();
  for (const Entry& e : cell.entries)
    if (e.ordinal >= 0) scratch->push_back(e.ordinal);
  return scratch->empty() ? Unrated(pa, AttributeState::kNotRated)
                          : Rated(pa, opt.scale, AggregateOrDie(opt.aggregation, *scratch, {}));
}

// The values that aggregate into framework attribute `a` across the
// instances, with their instances' weights: each instance's attribute rating
// (R2), or every characterisation of every instance (R1); what is missing
// goes to `missing` (R2: the instance; R1: "instance: statement").
void CollectAggregated(const RatingOptions& opt, const ProcessInput& in,
                       const std::vector<std::vector<AttributeRating>>& instance_attributes, size_t a,
                       std::vector<int>* ords, std::vector<double>* weights, std::vector<std::string>* missing) {
  for (size_t i = 0; i < in.instances.size(); ++i) {
    if (opt.method == RatingMethod::kR2) {
      const AttributeRating& ir = instance_attributes[i][a];
      if (ir.state == AttributeState::kRated) {
        ords->push_back(ir.ordinal);
        weights->push_back(in.weights[i]);
      } else if (missing) {
        missing->push_back(in.instances[i]);
      }
    } else {  // R1: matrix aggregation over every characterisation
      for (const Entry& e : in.cells[i][a].entries) {
        if (e.ordinal >= 0) {
          ords->push_back(e.ordinal);
          weights->push_back(in.weights[i]);
        } else if (missing) {
          missing->push_back(in.instances[i] + ": " + e.statement);
        }
      }
    }
  }
}

// Sets the dispersion of every rated aggregate of two or more values (R1, R2).
void AddDispersion(const Framework& fw, const RatingOptions& opt, const ProcessInput& in,
                   const std::vector<std::vector<AttributeRating>>& instance_attributes,
                   std::vector<AttributeRating>* aggregate) {
  if (opt.method == RatingMethod::kR3) return;
  const Scale& scale = opt.scale == ScaleKind::kRefined && fw.refined ? *fw.refined : fw.standard;
  std::vector<int> ords;
  std::vector<double> weights, percents;
  for (size_t a = 0; a < aggregate->size() && a < fw.attributes.size(); ++a) {
    AttributeRating& r = (*aggregate)[a];
    if (r.state != AttributeState::kRated) continue;
    ords.clear();
    weights.clear();
    CollectAggregated(opt, in, instance_attributes, a, &ords, &weights, nullptr);
    if (ords.size() < 2) continue;
    percents.clear();
    for (int o : ords) {
      if (o < 0 || static_cast<size_t>(o) >= scale.bands.size()) return;  // a scale without bands: none
      const ScaleBand& b = scale.bands[static_cast<size_t>(o)];
      percents.push_back((b.lower + b.upper) / 2);
    }
    r.dispersion = ComputeDispersion(percents, weights);
  }
}

Evaluation Evaluate(const Framework& fw, const RatingOptions& opt, int target, const ProcessInput& in) {
  Evaluation ev;
  const size_t ni = in.instances.size();
  ev.instance_attributes.resize(ni);
  std::vector<int> scratch;
  for (size_t i = 0; i < ni; ++i) {
    for (size_t a = 0; a < fw.attributes.size(); ++a) {
      const ProcessAttribute& pa = fw.attributes[a];
      const Cell& cell = in.cells[i][a];
      if (!cell.assessed) {
        ev.instance_attributes[i].push_back(Unrated(pa, AttributeState::kNotAssessed));
        continue;
      }
      AttributeRating r = InstanceAttribute(pa, opt, cell, &scratch);
      for (const Entry& e : cell.entries)
        if (e.ordinal < 0 && !e.statement.empty()) r.missing.push_back(e.statement);
      ev.instance_attributes[i].push_back(std::move(r));
    }
    ev.instance_capability.push_back(DetermineCapability(fw, ev.instance_attributes[i], target));
  }

  const bool r3_multi = opt.method == RatingMethod::kR3 && ni > 1;
  for (size_t a = 0; a < fw.attributes.size(); ++a) {
    const ProcessAttribute& pa = fw.attributes[a];
    if (pa.level > target) {
      ev.aggregate.push_back(Unrated(pa, AttributeState::kNotAssessed));
      continue;
    }
    if (opt.method == RatingMethod::kR3) {
      if (ni == 1) {
        ev.aggregate.push_back(ev.instance_attributes[0][a]);
      } else {
        ev.aggregate.push_back(Unrated(pa, ni == 0 ? AttributeState::kNotRated : AttributeState::kNotAggregated));
      }
      continue;
    }
    std::vector<int> ords;
    std::vector<double> weights;
    std::vector<std::string> missing;
    CollectAggregated(opt, in, ev.instance_attributes, a, &ords, &weights, &missing);
    AttributeRating r = ords.empty() ? Unrated(pa, AttributeState::kNotRated)
                                     : Rated(pa, opt.scale, AggregateOrDie(opt.aggregation, ords, weights));
    r.missing = std::move(missing);
    ev.aggregate.push_back(std::move(r));
  }
  if (r3_multi) {
    ev.capability.determined = false;
    ev.capability.assessed_up_to = std::clamp(target, 0, TopLevel(fw));
  } else {
    ev.capability = DetermineCapability(fw, ev.aggregate, target);
  }
  return ev;
}

// Sensitivity: each single rating that feeds an aggregate moved one step up
// and down. A move changes one cell (i, a), so only what depends on it is
// recomputed: the instance's rating of attribute a, then either the
// instance's level (R3 with several instances) or the aggregate rating of
// attribute a and the aggregate level. Each trial costs O(instances +
// entries of attribute a) instead of re-evaluating the whole process, and
// gives exactly what Evaluate() on the changed input would.
std::vector<Sensitivity> ScanSensitivity(const Framework& fw, const RatingOptions& opt, int target,
                                         const ProcessInput& in, const Evaluation& ev) {
  std::vector<Sensitivity> out;
  const bool per_instance = !ev.capability.determined;
  const int size = ScaleSize(opt.scale);
  const size_t ni = in.instances.size();
  std::vector<int> scratch, ords;
  std::vector<double> weights;
  // Working copies; a trial replaces one attribute and restores it after.
  std::vector<std::vector<AttributeRating>> instance_attributes = ev.instance_attributes;
  std::vector<AttributeRating> aggregate = ev.aggregate;

  for (size_t i = 0; i < ni; ++i) {
    const int before_level = per_instance ? ev.instance_capability[i].level : ev.capability.level;
    for (size_t a = 0; a < fw.attributes.size(); ++a) {
      const ProcessAttribute& pa = fw.attributes[a];
      const Cell& cell = in.cells[i][a];
      if (!cell.assessed) continue;
      Cell changed = cell;
      for (size_t e = 0; e < cell.entries.size(); ++e) {
        const int ord = cell.entries[e].ordinal;
        if (ord < 0) continue;
        for (int step : {+1, -1}) {
          const int moved = ord + step;
          if (moved < 0 || moved >= size) continue;
          changed.entries[e].ordinal = moved;
          AttributeRating instance_attr = InstanceAttribute(pa, opt, changed, &scratch);
          int after = 0;
          if (per_instance) {
            std::swap(instance_attributes[i][a], instance_attr);
            after = DetermineCapability(fw, instance_attributes[i], target).level;
            std::swap(instance_attributes[i][a], instance_attr);
          } else {
            AttributeRating aggregate_attr;
            if (opt.method == RatingMethod::kR3) {  // one instance: its ratings are the process's
              aggregate_attr = instance_attr;
            } else {
              ords.clear();
              weights.clear();
              for (size_t j = 0; j < ni; ++j) {
                if (opt.method == RatingMethod::kR2) {
                  const AttributeRating& ir = j == i ? instance_attr : ev.instance_attributes[j][a];
                  if (ir.state == AttributeState::kRated) {
                    ords.push_back(ir.ordinal);
                    weights.push_back(in.weights[j]);
                  }
                } else {  // R1
                  const Cell& c = j == i ? changed : in.cells[j][a];
                  for (const Entry& x : c.entries) {
                    if (x.ordinal < 0) continue;
                    ords.push_back(x.ordinal);
                    weights.push_back(in.weights[j]);
                  }
                }
              }
              aggregate_attr = Rated(pa, opt.scale, AggregateOrDie(opt.aggregation, ords, weights));
            }
            std::swap(aggregate[a], aggregate_attr);
            after = DetermineCapability(fw, aggregate, target).level;
            std::swap(aggregate[a], aggregate_attr);
          }
          changed.entries[e].ordinal = ord;
          if (after == before_level) continue;
          Sensitivity s;
          s.instance = in.instances[i];
          s.attribute = pa.id;
          s.statement = cell.entries[e].statement;
          s.step = step;
          s.from = ValueOf(opt.scale, ord);
          s.to = ValueOf(opt.scale, moved);
          s.aggregate = !per_instance;
          s.level_before = before_level;
          s.level_after = after;
          out.push_back(std::move(s));
        }
      }
    }
  }
  return out;
}

// The counting ratings of one instance: a range of RatingResults::resolved,
// which is sorted by instance, then item.
struct InstanceRatings {
  const ResolvedRating* begin = nullptr;
  const ResolvedRating* end = nullptr;

  const ResolvedRating* Find(const std::string& item) const {
    const ResolvedRating* it =
        std::lower_bound(begin, end, item, [](const ResolvedRating& r, const std::string& x) { return r.item < x; });
    return it != end && it->item == item ? it : nullptr;
  }
};

// Ranges of `resolved` by instance (built once; no per-lookup allocation).
std::unordered_map<std::string_view, InstanceRatings> IndexResolved(const std::vector<ResolvedRating>& resolved) {
  std::unordered_map<std::string_view, InstanceRatings> index;
  for (size_t i = 0; i < resolved.size();) {
    size_t j = i + 1;
    while (j < resolved.size() && resolved[j].instance == resolved[i].instance) ++j;
    index[resolved[i].instance] = InstanceRatings{resolved.data() + i, resolved.data() + j};
    i = j;
  }
  return index;
}

}  // namespace

// ---------------------------------------------------------------------------

const char* AttributeStateName(AttributeState s) {
  switch (s) {
    case AttributeState::kRated:
      return "rated";
    case AttributeState::kNotRated:
      return "not rated";
    case AttributeState::kNotAssessed:
      return "not assessed";
    case AttributeState::kNotAggregated:
      return "not aggregated";
  }
  return "?";
}

const char* MaturityBlockerReasonName(MaturityBlocker::Reason r) {
  switch (r) {
    case MaturityBlocker::Reason::kBelow:
      return "below";
    case MaturityBlocker::Reason::kNotDetermined:
      return "not determined";
    case MaturityBlocker::Reason::kNotInScope:
      return "not in scope";
    case MaturityBlocker::Reason::kTargetTooLow:
      return "target too low";
  }
  return "?";
}

const char* ReliabilityName(Reliability r) {
  switch (r) {
    case Reliability::kHigh:
      return "high";
    case Reliability::kModerate:
      return "moderate";
    case Reliability::kPoor:
      return "poor";
  }
  return "?";
}

Reliability ReliabilityOf(double cv_percent) {
  const double shown = std::round(cv_percent * 10) / 10;
  if (shown < 30) return Reliability::kHigh;
  if (shown <= 50) return Reliability::kModerate;
  return Reliability::kPoor;
}

Dispersion ComputeDispersion(const std::vector<double>& percents, const std::vector<double>& weights) {
  Dispersion d;
  d.values = percents.size();
  double sum_w = 0, sum = 0;
  for (size_t i = 0; i < percents.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    sum_w += w;
    sum += w * percents[i];
  }
  if (sum_w <= 0) return d;
  d.mean = sum / sum_w;
  double sq = 0;
  for (size_t i = 0; i < percents.size(); ++i) {
    const double w = weights.empty() ? 1.0 : weights[i];
    sq += w * (percents[i] - d.mean) * (percents[i] - d.mean);
  }
  d.sd = std::sqrt(sq / sum_w);
  d.cv = d.mean > 0 ? d.sd / d.mean * 100 : 0;
  d.reliability = ReliabilityOf(d.cv);
  return d;
}

Status Aggregate(AggregationMethod method, const std::vector<int>& ordinals, const std::vector<double>& weights,
                 int* result) {
  if (ordinals.empty()) return Status::InvalidInput("nothing to aggregate");
  switch (method) {
    case AggregationMethod::kMean: {
      long long sum = 0;
      for (int o : ordinals) sum += o;
      const long long n = static_cast<long long>(ordinals.size());
      // Half up: floor(sum / n + 1/2) = floor((2 sum + n) / (2 n)); sum >= 0.
      *result = static_cast<int>((2 * sum + n) / (2 * n));
      return Status::OK();
    }
    case AggregationMethod::kWeightedMean: {
      if (!weights.empty() && weights.size() != ordinals.size())
        return Status::InvalidInput("weighted mean: " + std::to_string(ordinals.size()) + " values but " +
                                    std::to_string(weights.size()) + " weights");
      double num = 0, den = 0;
      for (size_t i = 0; i < ordinals.size(); ++i) {
        const double w = weights.empty() ? 1.0 : weights[i];
        if (!std::isfinite(w) || w <= 0)
          return Status::InvalidInput("weighted mean: weight " + FormatWeight(w) + " must be a finite number above 0");
        num += w * ordinals[i];
        den += w;
      }
      *result = static_cast<int>(std::floor(num / den + 0.5 + 1e-9));
      return Status::OK();
    }
    case AggregationMethod::kMedian: {
      std::vector<int> sorted = ordinals;
      std::sort(sorted.begin(), sorted.end());
      // Odd: the middle value. Even: the lower of the two middle values.
      *result = sorted[(sorted.size() - 1) / 2];
      return Status::OK();
    }
    case AggregationMethod::kMinimum:
      *result = *std::min_element(ordinals.begin(), ordinals.end());
      return Status::OK();
  }
  return Status::InvalidInput("unknown aggregation method");
}

namespace {

// One rating with its value read as an ordinal of the assessment's scale.
struct Read {
  const Rating* rating;
  int ordinal;
};

// Reads every rating's value. An assessment uses a handful of distinct
// values ("L", "F", "72.5%"): each is read once, then found among those seen
// (up to kSeen of them). InvalidInput lists the values that cannot be read.
Status ReadValues(const Framework& fw, ScaleKind scale, const std::vector<const Rating*>& ratings,
                  std::vector<Read>* reads) {
  std::vector<std::string> problems;
  reads->reserve(ratings.size());
  constexpr size_t kSeen = 32;
  std::vector<std::pair<std::string_view, int>> seen;
  for (const Rating* r : ratings) {
    int ord = 0;
    auto hit = std::find_if(seen.begin(), seen.end(), [&](const auto& e) { return e.first == r->value; });
    if (hit != seen.end()) {
      reads->push_back(Read{r, hit->second});
      continue;
    }
    Status st = ResolveRating(fw, scale, r->value, &ord);
    if (st.ok() && seen.size() < kSeen) seen.emplace_back(r->value, ord);
    if (!st.ok()) {
      problems.push_back("rating " + std::to_string(r->id) + " (" + r->item + ", instance " + r->instance +
                         "): " + st.message());
      continue;
    }
    reads->push_back(Read{r, ord});
  }
  if (!problems.empty()) return Status::InvalidInput(JoinProblems(problems));
  return Status::OK();
}

// Resolves the ratings of one item of one instance, reads[begin, end): the
// newest consolidated rating, else the lowest of the assessors' newest
// ratings (a Disagreement when they differ). `by_assessor` is scratch space.
// With two or more assessors, their ordinals (by assessor) are appended to
// `multi` and their names inserted into `raters`.
ResolvedRating ResolveGroup(ScaleKind scale, const std::vector<Read>& reads, size_t begin, size_t end,
                            std::vector<std::pair<const std::string*, const Read*>>* by_assessor,
                            std::vector<Disagreement>* disagreements, std::vector<std::vector<int>>* multi,
                            std::set<std::string>* raters) {
  const Read* consolidated = nullptr;
  by_assessor->clear();
  for (size_t k = begin; k < end; ++k) {
    const Read& rd = reads[k];
    if (rd.rating->consolidated) {
      if (!consolidated || rd.rating->id > consolidated->rating->id) consolidated = &rd;
    } else {
      auto slot = std::find_if(by_assessor->begin(), by_assessor->end(),
                               [&](const auto& e) { return *e.first == rd.rating->assessor; });
      if (slot == by_assessor->end()) {
        by_assessor->emplace_back(&rd.rating->assessor, &rd);
      } else if (rd.rating->id > slot->second->rating->id) {
        slot->second = &rd;
      }
    }
  }
  if (by_assessor->size() > 1)
    std::sort(by_assessor->begin(), by_assessor->end(),
              [](const auto& a, const auto& b) { return *a.first < *b.first; });
  const Rating& first = *reads[begin].rating;
  ResolvedRating res;
  res.process = first.process;
  res.instance = first.instance;
  res.item = first.item;
  res.item_kind = first.item_kind;
  res.rating_ids.reserve(end - begin);
  for (size_t k = begin; k < end; ++k) res.rating_ids.push_back(reads[k].rating->id);
  std::sort(res.rating_ids.begin(), res.rating_ids.end());

  if (by_assessor->size() >= 2) {
    std::vector<int> ords;
    for (const auto& [assessor, rd] : *by_assessor) {
      ords.push_back(rd->ordinal);
      raters->insert(*assessor);
    }
    multi->push_back(ords);
  }

  if (consolidated) {
    res.ordinal = consolidated->ordinal;
    res.consolidated = true;
  } else {
    int lo = by_assessor->front().second->ordinal, hi = lo;
    for (const auto& [assessor, rd] : *by_assessor) {
      lo = std::min(lo, rd->ordinal);
      hi = std::max(hi, rd->ordinal);
    }
    res.ordinal = lo;
    if (lo != hi) {
      res.disputed = true;
      Disagreement d;
      d.process = res.process;
      d.instance = res.instance;
      d.item = res.item;
      d.item_kind = res.item_kind;
      for (const auto& [assessor, rd] : *by_assessor) d.votes.push_back(Vote{*assessor, rd->rating->value});
      d.used = ValueOf(scale, lo);
      disagreements->push_back(std::move(d));
    }
  }
  res.value = ValueOf(scale, res.ordinal);
  return res;
}

// ResolveTeamRatings over pointers into the caller's ratings (no copies).
// Groups are formed by sorting the pointers by (instance, item), the order a
// std::map keyed by that pair would give, and each group is resolved without
// allocating unless it has several assessors.
Status ResolveTeam(const Framework& fw, ScaleKind scale, const std::vector<const Rating*>& ratings,
                   std::vector<ResolvedRating>* resolved, std::vector<Disagreement>* disagreements,
                   Agreement* agreement) {
  std::vector<Read> reads_all;
  ASSAY_RETURN_IF_ERROR(ReadValues(fw, scale, ratings, &reads_all));
  auto by_key = [](const Read& a, const Read& b) {
    const int c = a.rating->instance.compare(b.rating->instance);
    if (c != 0) return c < 0;
    return a.rating->item < b.rating->item;
  };
  // Snapshots usually arrive in this order already; checking is linear.
  if (!std::is_sorted(reads_all.begin(), reads_all.end(), by_key))
    std::sort(reads_all.begin(), reads_all.end(), by_key);
  resolved->reserve(resolved->size() + reads_all.size());

  std::vector<std::vector<int>> multi;  // per item rated by >= 2 assessors: their ordinals, by assessor
  std::set<std::string> raters;
  std::vector<std::pair<const std::string*, const Read*>> by_assessor;  // newest per assessor, by assessor
  for (size_t g = 0; g < reads_all.size();) {
    size_t end = g + 1;
    while (end < reads_all.size() && reads_all[end].rating->instance == reads_all[g].rating->instance &&
           reads_all[end].rating->item == reads_all[g].rating->item)
      ++end;
    resolved->push_back(ResolveGroup(scale, reads_all, g, end, &by_assessor, disagreements, &multi, &raters));
    g = end;
  }

  *agreement = Agreement{};
  agreement->items = multi.size();
  agreement->raters = raters.size();
  if (!multi.empty()) {
    if (raters.size() == 2) {
      agreement->statistic = "cohen";
      std::vector<std::pair<int, int>> pairs;
      for (const std::vector<int>& m : multi) pairs.emplace_back(m[0], m[1]);  // by assessor name: a fixed order
      Cohen(pairs, ScaleSize(scale), agreement);
    } else {
      agreement->statistic = "fleiss";
      Fleiss(multi, ScaleSize(scale), agreement);
    }
  }
  return Status::OK();
}

}  // namespace

Status ResolveTeamRatings(const Framework& fw, ScaleKind scale, const std::vector<Rating>& ratings,
                          std::vector<ResolvedRating>* resolved, std::vector<Disagreement>* disagreements,
                          Agreement* agreement) {
  std::vector<const Rating*> pointers;
  pointers.reserve(ratings.size());
  for (const Rating& r : ratings) pointers.push_back(&r);
  return ResolveTeam(fw, scale, pointers, resolved, disagreements, agreement);
}

namespace {

// DetermineCapability; with `to_target`, also the attributes that do not meet
// the rule for the assessed level itself (the gap to the target), when the
// level is below it.
CapabilityResult Determine(const Framework& fw, const std::vector<AttributeRating>& attributes, int target_level,
                           std::vector<Blocker>* to_target) {
  CapabilityResult cr;
  const int top = TopLevel(fw);
  cr.assessed_up_to = std::clamp(target_level, 0, top);

  // The rating given for framework attribute `a`, or null. Callers usually
  // pass every attribute in framework order (checked once, then read by
  // position); otherwise the last entry with the attribute's ID counts.
  // Nothing is allocated: this runs once per trial of the sensitivity scan.
  const bool in_order =
      attributes.size() == fw.attributes.size() &&
      std::equal(attributes.begin(), attributes.end(), fw.attributes.begin(),
                 [](const AttributeRating& r, const ProcessAttribute& pa) { return r.attribute == pa.id; });
  auto rating_of = [&](size_t a) -> const AttributeRating* {
    if (in_order) return &attributes[a];
    for (size_t i = attributes.size(); i-- > 0;)
      if (attributes[i].attribute == fw.attributes[a].id) return &attributes[i];
    return nullptr;
  };
  // What the rule sees of attribute `a`: its state and folded ordinal (-1
  // unless rated). Attributes above the assessed level are not assessed
  // whatever `attributes` says.
  auto view = [&](size_t a, AttributeState* state) -> int {
    *state = AttributeState::kNotRated;
    if (fw.attributes[a].level > cr.assessed_up_to) {
      *state = AttributeState::kNotAssessed;
      return -1;
    }
    const AttributeRating* r = rating_of(a);
    if (!r) return -1;
    if (r->state == AttributeState::kRated && r->folded >= 0) {
      *state = AttributeState::kRated;
      return r->folded;
    }
    if (r->state == AttributeState::kNotAggregated) *state = r->state;
    return -1;
  };

  auto holds = [&](int k, std::vector<Blocker>* blockers) {
    bool ok = true;
    for (size_t a = 0; a < fw.attributes.size(); ++a) {
      const int lv = fw.attributes[a].level;
      if (lv > k || lv < 1) continue;
      const int need = lv == k ? kOrdinalL : kOrdinalF;
      AttributeState state;
      if (view(a, &state) < need) {
        ok = false;
        if (!blockers) return false;
        const AttributeRating* r = rating_of(a);
        blockers->push_back(Blocker{fw.attributes[a].id, state, state == AttributeState::kRated ? r->value : "",
                                    need == kOrdinalL ? "L" : "F"});
      }
    }
    return ok;
  };

  for (int k = 1; k <= cr.assessed_up_to; ++k) {
    if (!holds(k, nullptr)) break;
    cr.level = k;
  }
  if (cr.level >= cr.assessed_up_to) {
    cr.limited_by_target = true;
  } else {
    holds(cr.level + 1, &cr.blockers);
    if (to_target) holds(cr.assessed_up_to, to_target);
  }
  return cr;
}

}  // namespace

CapabilityResult DetermineCapability(const Framework& fw, const std::vector<AttributeRating>& attributes,
                                     int target_level) {
  return Determine(fw, attributes, target_level, nullptr);
}

namespace {

// Why no maturity level is stated: the processes of the lowest level's set
// that the scope leaves out or targets too low.
std::string UnstatedNote(const MaturityModel& mm, const std::vector<MaturityBlocker>& blockers) {
  std::vector<std::string> out_of_scope, too_low;
  for (const MaturityBlocker& b : blockers) {
    if (b.reason == MaturityBlocker::Reason::kNotInScope) out_of_scope.push_back(b.process);
    if (b.reason == MaturityBlocker::Reason::kTargetTooLow)
      too_low.push_back(b.process + " (CL" + std::to_string(b.required) + ")");
  }
  auto listed = [](const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size() && i < 6; ++i) s += (i ? ", " : "") + v[i];
    if (v.size() > 6) s += " and " + std::to_string(v.size() - 6) + " more";
    return s;
  };
  std::string note = "the scope does not cover the process set of the lowest level of " + mm.id;
  if (!out_of_scope.empty()) note += "; not in scope: " + listed(out_of_scope);
  if (!too_low.empty()) note += "; target level below the level required: " + listed(too_low);
  return note;
}

}  // namespace

MaturityResult DetermineMaturity(const Model& model, const std::vector<ProcessProfile>& profiles) {
  MaturityResult mr;
  if (!model.maturity()) {
    mr.note = "model " + model.Key() + " has no maturity model";
    return mr;
  }
  const MaturityModel& mm = *model.maturity();
  mr.model = mm.id;
  if (mm.rule != "staged") {
    mr.note = "maturity rule '" + mm.rule + "' of " + mm.id + " is not supported (supported: staged)";
    return mr;
  }
  mr.available = true;
  std::vector<int> numbers;
  for (const MaturityLevel& ml : mm.levels) numbers.push_back(ml.level);
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  mr.top_level = numbers.empty() ? 0 : numbers.back();

  std::map<std::string, const ProcessProfile*> by_process;
  for (const ProcessProfile& p : profiles) by_process[p.process] = &p;
  std::map<int, std::vector<std::string>> sets;
  for (int k : numbers) sets[k] = model.MaturitySet(k);

  // The blockers of maturity level n.
  auto check = [&](int n) {
    std::map<std::string, int> required;
    for (int k : numbers) {
      if (k > n) break;
      const int req = std::min(n, std::max(k, 3));
      for (const std::string& p : sets[k]) required[p] = std::max(required[p], req);
    }
    std::vector<MaturityBlocker> blockers;
    for (const auto& [process, req] : required) {
      MaturityBlocker b;
      b.process = process;
      b.required = req;
      auto it = by_process.find(process);
      if (it == by_process.end()) {
        b.reason = MaturityBlocker::Reason::kNotInScope;
        blockers.push_back(b);
        continue;
      }
      const ProcessProfile& pp = *it->second;
      if (pp.capability.determined) b.achieved = pp.capability.level;
      if (pp.target_level < req) {
        b.reason = MaturityBlocker::Reason::kTargetTooLow;
      } else if (!pp.capability.determined) {
        b.reason = MaturityBlocker::Reason::kNotDetermined;
      } else if (pp.capability.level < req) {
        b.reason = MaturityBlocker::Reason::kBelow;
      } else {
        continue;
      }
      blockers.push_back(b);
    }
    return blockers;
  };

  bool reached = true;
  bool attainable = true;
  for (int n : numbers) {
    if (n < 1) continue;
    std::vector<MaturityBlocker> blockers = check(n);
    if (attainable) {
      for (const MaturityBlocker& b : blockers)
        if (b.reason == MaturityBlocker::Reason::kNotInScope || b.reason == MaturityBlocker::Reason::kTargetTooLow)
          attainable = false;
      if (attainable) mr.attainable = n;
    }
    if (reached) {
      if (blockers.empty()) {
        mr.level = n;
      } else {
        reached = false;
        mr.blockers = std::move(blockers);
      }
    }
    if (!reached && !attainable) break;
  }
  mr.stated = mr.attainable >= 1;
  if (!mr.stated) {
    auto lowest = std::find_if(numbers.begin(), numbers.end(), [](int n) { return n >= 1; });
    mr.note = UnstatedNote(mm, check(lowest == numbers.end() ? 1 : *lowest));
  }
  return mr;
}

Status ComputeResults(const Model& model, const ModelGraph& graph, const AssessmentData& data, RatingResults* out) {
  return ComputeResults(model, graph, data, out, ComputeOptions{});
}

namespace {

// The assessment's scope and instances, keyed by views of the snapshot's
// strings, so building and probing them allocates no strings.
struct ScopeIndex {
  std::unordered_map<std::string_view, const ScopedProcess*> scope;
  std::unordered_map<std::string_view, const ProcessInstance*> instances;
  // Instances by process, in the order of data.instances.
  std::unordered_map<std::string_view, std::vector<const ProcessInstance*>> instances_of;
};

// Scope, instances and weights. Problems with instance weights go to
// `problems`; a scoped process the model lacks or a process scoped twice is
// returned at once.
Status IndexScope(const Model& model, const AssessmentData& data, ScopeIndex* ix, std::vector<std::string>* problems,
                  std::vector<std::string>* notes) {
  const RatingOptions& opt = data.assessment.options;
  ix->scope.reserve(data.scope.size());
  for (const ScopedProcess& sp : data.scope) {
    if (!model.FindProcess(sp.process))
      return Status::NotFound("scoped process '" + sp.process + "' is not in model " + model.Key());
    if (!ix->scope.emplace(sp.process, &sp).second)
      return Status::InvalidInput("process '" + sp.process + "' is in the scope of assessment " +
                                  data.assessment.id + " twice");
  }
  if (opt.aggregation == AggregationMethod::kWeightedMean && opt.weights_rationale.empty())
    notes->push_back("weighted mean without a stated rationale for the instance weights");
  ix->instances.reserve(data.instances.size());
  for (const ProcessInstance& pi : data.instances) {
    ix->instances[pi.id] = &pi;
    ix->instances_of[pi.process].push_back(&pi);
    if (opt.aggregation == AggregationMethod::kWeightedMean && ix->scope.count(pi.process) &&
        (!std::isfinite(pi.weight) || pi.weight <= 0))
      problems->push_back("instance '" + pi.id + "': weight " + FormatWeight(pi.weight) +
                          " must be a finite number above 0 for the weighted mean");
  }
  return Status::OK();
}

// The ratings that are used: those of scoped processes, of items of the
// model. Whether an item is in the model is looked up once per distinct ID.
void SelectRatings(const Model& model, const AssessmentData& data, const ScopeIndex& ix,
                   std::vector<const Rating*>* used, std::vector<std::string>* problems,
                   std::vector<std::string>* notes, std::map<std::string, int>* out_of_scope) {
  used->reserve(data.ratings.size());
  std::unordered_map<std::string_view, bool> known_items;
  for (const Rating& r : data.ratings) {
    auto it = ix.instances.find(r.instance);
    if (it == ix.instances.end()) {
      problems->push_back("rating " + std::to_string(r.id) + " (" + r.item + "): instance '" + r.instance +
                          "' is not an instance of assessment " + data.assessment.id);
      continue;
    }
    if (it->second->process != r.process) {
      problems->push_back("rating " + std::to_string(r.id) + " (" + r.item + "): instance '" + r.instance +
                          "' is an instance of " + it->second->process + ", not of " + r.process);
      continue;
    }
    if (!ix.scope.count(r.process)) {
      ++(*out_of_scope)[r.process];
      continue;
    }
    auto known = known_items.find(r.item);
    if (known == known_items.end()) {
      std::string owner;
      const bool in_model =
          model.FindAttribute(r.item) || model.FindIndicator(r.item) || model.FindStatement(r.item, &owner);
      known = known_items.emplace(r.item, in_model).first;
    }
    if (!known->second) {
      notes->push_back("rating " + std::to_string(r.id) + ": '" + r.item + "' is not an item of model " +
                       model.Key() + "; not used");
      continue;
    }
    used->push_back(&r);
  }
}

// Notes on counting ratings the method does not use.
void NoteUnusedRatings(const Model& model, const RatingOptions& opt, const ScopeIndex& ix,
                       const std::vector<ResolvedRating>& resolved, std::vector<std::string>* notes) {
  size_t unused_attribute = 0, above_target = 0;
  for (const ResolvedRating& r : resolved) {
    const ProcessAttribute* pa = model.FindAttribute(r.item);
    if (!pa) continue;
    if (pa->level > ix.scope.at(r.process)->target_level) {
      ++above_target;
    } else if (opt.method == RatingMethod::kR1) {
      ++unused_attribute;
    }
  }
  if (above_target)
    notes->push_back(std::to_string(above_target) +
                     " attribute rating(s) above their process's target level not used (not assessed)");
  if (unused_attribute)
    notes->push_back(std::to_string(unused_attribute) +
                     " direct attribute rating(s) not used: method R1 rates attributes from outcomes and "
                     "achievements");
}

// R1: what each attribute of a process is rated from (statement IDs and
// their supporting indicators), found once per process, not per instance.
struct StatementSource {
  const std::string* id;
  std::vector<std::string> supporters;
};

void FindSources(const Framework& fw, const ModelGraph& graph, const Process& proc,
                 std::vector<std::vector<StatementSource>>* sources) {
  for (size_t a = 0; a < fw.attributes.size(); ++a) {
    const ProcessAttribute& pa = fw.attributes[a];
    const std::vector<Statement>& statements = pa.level == 1 ? proc.outcomes : pa.achievements;
    std::vector<StatementSource>& list = (*sources)[a];
    list.clear();
    list.reserve(statements.size());
    for (const Statement& st : statements) {
      StatementSource src{&st.id, {}};
      if (!graph.Supporters(st.id, &src.supporters).ok()) src.supporters.clear();
      list.push_back(std::move(src));
    }
  }
}

// R1: the characterisation of one statement in one instance: its direct
// rating, else the mean of the ratings of its supporting indicators.
StatementRating Characterise(const RatingOptions& opt, const ProcessAttribute& pa, const StatementSource& src,
                             const InstanceRatings& rated, std::vector<int>* ords) {
  StatementRating sr;
  sr.statement = *src.id;
  sr.attribute = pa.id;
  if (const ResolvedRating* r = rated.Find(*src.id)) {
    sr.how = Characterisation::kDirect;
    sr.ordinal = r->ordinal;
  } else {
    ords->clear();
    for (const std::string& ind : src.supporters) {
      if (const ResolvedRating* ir = rated.Find(ind)) {
        ords->push_back(ir->ordinal);
        sr.from.push_back(ind);
      }
    }
    if (!ords->empty()) {
      sr.how = Characterisation::kDerived;
      sr.ordinal = AggregateOrDie(AggregationMethod::kMean, *ords, {});
    }
  }
  if (sr.ordinal >= 0) sr.value = ValueOf(opt.scale, sr.ordinal);
  return sr;
}

// The evaluation input of one process: per instance, what feeds each
// framework attribute; under R1 also each instance's characterisations.
void BuildProcessInput(const Framework& fw, const RatingOptions& opt, const ScopedProcess& sp,
                       const std::vector<const ProcessInstance*>& mine,
                       const std::unordered_map<std::string_view, InstanceRatings>& index,
                       const std::vector<std::vector<StatementSource>>& sources, ProcessInput* in,
                       std::vector<std::vector<StatementRating>>* statements) {
  std::vector<int> ords;
  for (const ProcessInstance* pip : mine) {
    const ProcessInstance& pi = *pip;
    in->instances.push_back(pi.id);
    in->weights.push_back(pi.weight);
    auto ix = index.find(pi.id);
    const InstanceRatings rated = ix == index.end() ? InstanceRatings{} : ix->second;
    std::vector<Cell> cells;
    cells.reserve(fw.attributes.size());
    std::vector<StatementRating> srs;
    for (size_t a = 0; a < fw.attributes.size(); ++a) {
      const ProcessAttribute& pa = fw.attributes[a];
      Cell cell;
      cell.assessed = pa.level <= sp.target_level;
      if (opt.method != RatingMethod::kR1) {
        const ResolvedRating* r = rated.Find(pa.id);
        cell.entries.push_back(Entry{"", r ? r->ordinal : -1});
      } else {
        if (cell.assessed) cell.entries.reserve(sources[a].size());
        for (const StatementSource& src : sources[a]) {
          StatementRating sr = Characterise(opt, pa, src, rated, &ords);
          if (cell.assessed) cell.entries.push_back(Entry{*src.id, sr.ordinal});
          srs.push_back(std::move(sr));
        }
      }
      cells.push_back(std::move(cell));
    }
    in->cells.push_back(std::move(cells));
    statements->push_back(std::move(srs));
  }
}

}  // namespace

Status ComputeResults(const Model& model, const ModelGraph& graph, const AssessmentData& data, RatingResults* out,
                      const ComputeOptions& compute) {
  *out = RatingResults{};
  const RatingOptions& opt = data.assessment.options;
  out->options = opt;
  const Framework& fw = model.framework();
  if (opt.scale == ScaleKind::kRefined && !fw.refined)
    return Status::InvalidInput("assessment " + data.assessment.id + " asks for the refined scale, but framework " +
                                fw.info.id + " has none");

  std::vector<std::string> problems;
  ScopeIndex scope;
  ASSAY_RETURN_IF_ERROR(IndexScope(model, data, &scope, &problems, &out->notes));
  std::vector<const Rating*> used;
  std::map<std::string, int> out_of_scope;
  SelectRatings(model, data, scope, &used, &problems, &out->notes, &out_of_scope);
  if (!problems.empty()) return Status::InvalidInput(JoinProblems(problems));
  for (const auto& [process, n] : out_of_scope)
    out->notes.push_back(std::to_string(n) + " rating(s) of " + process + " not used: the process is not in scope");

  ASSAY_RETURN_IF_ERROR(ResolveTeam(fw, opt.scale, used, &out->resolved, &out->disagreements, &out->agreement));
  const std::unordered_map<std::string_view, InstanceRatings> index = IndexResolved(out->resolved);
  NoteUnusedRatings(model, opt, scope, out->resolved, &out->notes);

  static const std::vector<const ProcessInstance*> kNoInstances;
  std::vector<std::vector<StatementSource>> sources(fw.attributes.size());
  out->processes.reserve(data.scope.size());
  for (const ScopedProcess& sp : data.scope) {
    const Process& proc = *model.FindProcess(sp.process);
    ProcessProfile prof;
    prof.process = proc.id;
    prof.name = proc.name;
    prof.target_level = sp.target_level;
    if (opt.method == RatingMethod::kR1) FindSources(fw, graph, proc, &sources);

    ProcessInput in;
    std::vector<std::vector<StatementRating>> statements;
    auto of = scope.instances_of.find(proc.id);
    BuildProcessInput(fw, opt, sp, of == scope.instances_of.end() ? kNoInstances : of->second, index, sources, &in,
                      &statements);

    Evaluation ev = Evaluate(fw, opt, sp.target_level, in);
    AddDispersion(fw, opt, in, ev.instance_attributes, &ev.aggregate);
    // Sensitivity only when asked for: it is most of the cost of a profile.
    if (compute.sensitivity) prof.sensitivity = ScanSensitivity(fw, opt, sp.target_level, in, ev);
    prof.instances.reserve(in.instances.size());
    for (size_t i = 0; i < in.instances.size(); ++i) {
      InstanceResult ir;
      ir.instance = in.instances[i];
      ir.weight = in.weights[i];
      ir.attributes = std::move(ev.instance_attributes[i]);
      ir.statements = std::move(statements[i]);
      ir.capability = std::move(ev.instance_capability[i]);
      prof.instances.push_back(std::move(ir));
    }
    prof.aggregate = std::move(ev.aggregate);
    prof.capability = std::move(ev.capability);
    if (prof.capability.determined) prof.gap = sp.target_level - prof.capability.level;
    if (prof.gap && *prof.gap > 0) Determine(fw, prof.aggregate, sp.target_level, &prof.to_target);
    out->processes.push_back(std::move(prof));
  }

  out->maturity = DetermineMaturity(model, out->processes);
  return Status::OK();
}

}  // namespace assay
