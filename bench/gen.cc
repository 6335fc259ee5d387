#include "gen.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace assay::bench {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kCsvHeader =
    "assessment,process,instance,item,value,assessor,consolidated,strength,weakness,reasons,evidence,rated_at,"
    "justification\n";

constexpr std::array<const char*, 6> kStrengths = {
    "Procedure documented and followed by the team.",
    "Records complete for the sampled period.",
    "Roles and responsibilities are clear.",
    "Results reviewed at planned intervals.",
    "Tool support in daily use.",
    "Staff explained the steps consistently.",
};

constexpr std::array<const char*, 7> kWeaknesses = {
    "Not applied in every team.",
    "Records incomplete for two of five samples.",
    "No review of results against targets.",
    "Responsibilities not assigned in writing.",
    "Escalation is ad hoc, \"best effort\".",
    "Relies on the knowledge of one person.",
    "Plan out of date since the last reorganisation.",
};

// Uniform draws from the raw engine output, so that the bytes written do not
// depend on the standard library's distributions.
class Draw {
 public:
  explicit Draw(std::seed_seq& seq) : rng_(seq) {}
  double Unit() { return static_cast<double>(rng_()) / 4294967296.0; }  // [0, 1)
  size_t Below(size_t n) { return static_cast<size_t>(Unit() * static_cast<double>(n)); }

  // Ordinal 0..3 (N, P, L, F) for an item of capability `level`: skewed
  // towards L/F at level 1 and lower at higher levels; `shift` (-1, 0, +1) is
  // the instance's own strength.
  int Ordinal(int level, int shift) {
    static constexpr std::array<std::array<double, 4>, 3> kWeights = {{
        {0.05, 0.15, 0.35, 0.45},  // level 1
        {0.10, 0.30, 0.35, 0.25},  // level 2
        {0.20, 0.35, 0.30, 0.15},  // level 3 and above
    }};
    const int row = std::clamp(level - shift, 1, 3) - 1;
    const auto& w = kWeights[static_cast<size_t>(row)];
    double u = Unit();
    for (int i = 0; i < 3; ++i) {
      u -= w[static_cast<size_t>(i)];
      if (u < 0) return i;
    }
    return 3;
  }

 private:
  std::mt19937 rng_;
};

struct Item {
  const std::string* id;
  int level;
};

// What one instance rates, in order.
std::vector<Item> ItemsOf(const Model& model, const Process& p, const GenSpec& spec) {
  std::vector<Item> items;
  const Framework& fw = model.framework();
  if (spec.method == RatingMethod::kR1) {
    for (const Indicator& i : p.base_practices) items.push_back({&i.id, 1});
    for (const Indicator& i : p.work_products) items.push_back({&i.id, 1});
    for (const auto* list : {&fw.generic_practices, &fw.generic_resources}) {
      for (const Indicator& g : *list) {
        const ProcessAttribute* pa = model.FindAttribute(g.owner);
        if (pa != nullptr && pa->level >= 2 && pa->level <= spec.target_level) items.push_back({&g.id, pa->level});
      }
    }
  } else {
    for (const ProcessAttribute& pa : fw.attributes)
      if (pa.level <= spec.target_level) items.push_back({&pa.id, pa.level});
  }
  return items;
}

size_t ProcessCount(const Model& model, const GenSpec& spec) {
  return std::min(static_cast<size_t>(spec.processes), model.processes().size());
}

Status Validate(const Model& model, const GenSpec& spec, int index) {
  if (spec.assessments < 1) return Status::InvalidInput("assessments must be at least 1");
  if (index < 0 || index >= spec.assessments)
    return Status::InvalidInput("assessment index " + std::to_string(index) + " out of range");
  if (spec.processes < 1) return Status::InvalidInput("processes must be at least 1");
  if (spec.instances < 1) return Status::InvalidInput("instances must be at least 1");
  if (spec.indicators < 0) return Status::InvalidInput("indicators must not be negative");
  if (spec.assessors < 1) return Status::InvalidInput("assessors must be at least 1");
  if (spec.target_level < 1 || spec.target_level > 5) return Status::InvalidInput("target level must be 1..5");
  if (model.processes().empty()) return Status::InvalidInput("model " + model.Key() + " has no processes");
  return Status::OK();
}

std::string Padded(const char* prefix, size_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%0*zu", prefix, width, n);
  return buf;
}

std::string AssessorId(size_t i) { return Padded("as", i + 1, 2); }
std::string EvidenceId(size_t instance) { return Padded("EV-", instance + 1, 5); }
std::string InstanceId(const Process& p, int k) { return p.id + "/Site-" + std::to_string(k); }

// One generated rating; the strings are reused from row to row.
struct Row {
  const std::string* process = nullptr;
  std::string instance;
  const std::string* item = nullptr;
  std::string value;
  std::string assessor;
  const char* strength = nullptr;  // nullptr: none
  const char* weakness = nullptr;
  std::string evidence;
  std::string rated_at;
};

// Calls `emit` for every rating of assessment `index`, in a fixed order.
void ForEachRating(const Model& model, const GenSpec& spec, int index, const std::function<void(const Row&)>& emit) {
  std::seed_seq seq{spec.seed, static_cast<uint32_t>(index), 0x61737361u};
  Draw draw(seq);
  static constexpr std::array<const char*, 4> kValues = {"N", "P", "L", "F"};
  static constexpr std::array<double, 4> kLow = {0, 15, 50, 85};
  Row row;
  std::vector<int> first_round;
  size_t instance_no = 0;
  for (size_t pi = 0; pi < ProcessCount(model, spec); ++pi) {
    const Process& p = model.processes()[pi];
    const std::vector<Item> items = ItemsOf(model, p, spec);
    const size_t n = spec.indicators > 0 ? static_cast<size_t>(spec.indicators) : items.size();
    row.process = &p.id;
    for (int k = 1; k <= spec.instances; ++k, ++instance_no) {
      row.instance = InstanceId(p, k);
      row.evidence = EvidenceId(instance_no);
      const double u = draw.Unit();
      const int shift = u < 0.25 ? -1 : (u < 0.75 ? 0 : 1);
      first_round.assign(items.size(), 0);
      for (size_t j = 0; j < n && !items.empty(); ++j) {
        const Item& item = items[j % items.size()];
        const size_t round = j / items.size();
        row.item = item.id;
        row.assessor = AssessorId((instance_no + round) % static_cast<size_t>(spec.assessors));
        int ord = draw.Ordinal(item.level, shift);
        if (round == 0) {
          first_round[j] = ord;
        } else {
          // Another assessor of the same item: mostly the same value.
          const double v = draw.Unit();
          ord = std::clamp(first_round[j % items.size()] + (v < 0.1 ? -1 : (v < 0.2 ? 1 : 0)), 0, 3);
        }
        const auto o = static_cast<size_t>(ord);
        if (draw.Below(20) == 0) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "%.1f%%", kLow[o] + (ord == 0 ? 0.0 : 0.1) + draw.Unit() * 14.9);
          row.value = buf;
        } else {
          row.value = kValues[o];
        }
        row.strength = ord >= 2 ? kStrengths[draw.Below(kStrengths.size())] : nullptr;
        row.weakness = ord <= 2 ? kWeaknesses[draw.Below(kWeaknesses.size())] : nullptr;
        char when[32];
        std::snprintf(when, sizeof when, "2026-09-%02zuT%02zu:%02zu:00Z", 2 + draw.Below(27), 8 + draw.Below(10),
                      draw.Below(4) * 15);
        row.rated_at = when;
        emit(row);
      }
    }
  }
}

void CsvField(std::ostream& out, const char* s) {
  if (s == nullptr) return;
  const std::string_view v(s);
  if (v.find_first_of(",\"\n\r") == std::string_view::npos) {
    out << v;
    return;
  }
  out << '"';
  for (char c : v) {
    if (c == '"') out << '"';
    out << c;
  }
  out << '"';
}

}  // namespace

std::string AssessmentId(const GenSpec& spec, int index) {
  return Padded((spec.prefix + "-").c_str(), static_cast<size_t>(index) + 1, 4);
}

int64_t RatingsPerAssessment(const Model& model, const GenSpec& spec) {
  int64_t total = 0;
  for (size_t pi = 0; pi < ProcessCount(model, spec); ++pi) {
    const size_t items = ItemsOf(model, model.processes()[pi], spec).size();
    const size_t n = spec.indicators > 0 ? static_cast<size_t>(spec.indicators) : items;
    total += items == 0 ? 0 : static_cast<int64_t>(n) * spec.instances;
  }
  return total;
}

Status WriteRatingsCsv(const Model& model, const GenSpec& spec, int index, std::ostream& out) {
  if (Status st = Validate(model, spec, index); !st.ok()) return st;
  const std::string id = AssessmentId(spec, index);
  out << kCsvHeader;
  ForEachRating(model, spec, index, [&](const Row& r) {
    out << id << ',' << *r.process << ',' << r.instance << ',' << *r.item << ',' << r.value << ',' << r.assessor
        << ",,";
    CsvField(out, r.strength);
    out << ',';
    CsvField(out, r.weakness);
    out << ",," << r.evidence << ',' << r.rated_at << ",\n";
  });
  return out ? Status::OK() : Status::IOError("write failed");
}

Status WriteAssessmentJson(const Model& model, const GenSpec& spec, int index, std::ostream& out) {
  if (Status st = Validate(model, spec, index); !st.ok()) return st;
  const std::string id = AssessmentId(spec, index);
  Json doc;
  doc["$schema"] = "../../schemas/assessment.schema.json";
  doc["format"] = "assay-assessment/1";
  doc["assessment"] = {
      {"id", id},
      {"title", "Synthetic assessment " + id},
      {"organization", "Synthetic Services Ltd"},
      {"sponsor", "sponsor"},
      {"purpose", "Benchmark data generated by assay_gen (seed " + std::to_string(spec.seed) + ")."},
      {"class", 3},
      {"independence", "C"},
      {"model", {{"id", model.pam().id}, {"version", model.pam().version}}},
      {"options", {{"method", RatingMethodName(spec.method)}, {"aggregation", "mean"}, {"scale", "standard"}}},
      {"start_date", "2026-09-01"},
      {"end_date", "2026-09-30"},
      {"status", "collecting"},
  };
  Json scope = Json::array(), units = Json::array(), instances = Json::array(), evidence = Json::array();
  for (int k = 1; k <= spec.instances; ++k)
    units.push_back({{"id", "SITE-" + std::to_string(k)}, {"name", "Site " + std::to_string(k)}});
  size_t instance_no = 0;
  for (size_t pi = 0; pi < ProcessCount(model, spec); ++pi) {
    const Process& p = model.processes()[pi];
    scope.push_back({{"process", p.id}, {"target_level", spec.target_level}});
    for (int k = 1; k <= spec.instances; ++k, ++instance_no) {
      instances.push_back({{"id", InstanceId(p, k)},
                           {"process", p.id},
                           {"name", p.name + " at site " + std::to_string(k)},
                           {"unit", "SITE-" + std::to_string(k)},
                           {"weight", 1.0}});
      evidence.push_back({{"id", EvidenceId(instance_no)},
                          {"kind", instance_no % 2 ? "interview-statement" : "document"},
                          {"reference", "DOC-" + std::to_string(instance_no + 1)},
                          {"description", "Procedure and records of " + InstanceId(p, k)},
                          {"effective_date", "2026-08-01"},
                          {"collected_date", "2026-09-01"},
                          {"collected_by", "lead"}});
    }
  }
  Json people = Json::array();
  people.push_back({{"id", "sponsor"}, {"name", "Sponsor"}, {"roles", {"sponsor"}}});
  people.push_back({{"id", "lead"}, {"name", "Lead Assessor"}, {"roles", {"lead-assessor"}}});
  for (size_t a = 0; a < static_cast<size_t>(spec.assessors); ++a)
    people.push_back({{"id", AssessorId(a)}, {"name", "Assessor " + std::to_string(a + 1)}, {"roles", {"assessor"}}});
  doc["scope"] = std::move(scope);
  doc["units"] = std::move(units);
  doc["instances"] = std::move(instances);
  doc["people"] = std::move(people);
  doc["evidence"] = std::move(evidence);
  Json ratings = Json::array();
  if (spec.ratings) {
    const char* kind = spec.method == RatingMethod::kR1 ? "indicator" : "attribute";
    ForEachRating(model, spec, index, [&](const Row& r) {
      Json j = {{"process", *r.process}, {"instance", r.instance}, {"item", *r.item},
                {"item_kind", kind},     {"assessor", r.assessor}, {"value", r.value}};
      if (r.strength) j["strength"] = r.strength;
      if (r.weakness) j["weakness"] = r.weakness;
      j["evidence"] = {r.evidence};
      j["rated_at"] = r.rated_at;
      ratings.push_back(std::move(j));
    });
  }
  doc["ratings"] = std::move(ratings);
  out << doc.dump(1) << '\n';
  return out ? Status::OK() : Status::IOError("write failed");
}

namespace {

// "SPM.1" -> "SPM.1x2" and "SPM.1.BP3" -> "SPM.1x2.BP3"; other IDs unchanged.
std::string Rename(const std::string& s, const std::string& from, const std::string& to) {
  if (s == from) return to;
  if (s.size() > from.size() && s.compare(0, from.size(), from) == 0 && s[from.size()] == '.')
    return to + s.substr(from.size());
  return s;
}

}  // namespace

Status ScalePack(const std::string& pack_json, int processes, const std::string& id, std::string* out) {
  if (processes < 1) return Status::InvalidInput("scaled pack: --scale-processes must be at least 1");
  nlohmann::ordered_json pack = nlohmann::ordered_json::parse(pack_json, nullptr, false);
  if (pack.is_discarded() || !pack.is_object() || !pack.contains("processes") || !pack["processes"].is_array() ||
      pack["processes"].empty())
    return Status::InvalidInput("scaled pack: the source is not a model pack with processes");
  const nlohmann::ordered_json source = pack["processes"];
  const int n = static_cast<int>(source.size());
  nlohmann::ordered_json scaled = nlohmann::ordered_json::array();
  for (int k = 0; k < processes; ++k) {
    nlohmann::ordered_json p = source[static_cast<size_t>(k % n)];
    const int copy = k / n;
    if (copy > 0) {
      const std::string from = p.value("id", "");
      const std::string to = from + "x" + std::to_string(copy);
      p["id"] = to;
      p["name"] = p.value("name", "") + " (copy " + std::to_string(copy) + ")";
      if (p.contains("outcomes"))
        for (auto& o : p["outcomes"]) o["id"] = Rename(o.value("id", ""), from, to);
      for (const char* list : {"base_practices", "work_products"}) {
        if (!p.contains(list)) continue;
        for (auto& ind : p[list]) {
          ind["id"] = Rename(ind.value("id", ""), from, to);
          if (ind.contains("supports"))
            for (auto& s : ind["supports"]) s = Rename(s.get<std::string>(), from, to);
        }
      }
    }
    scaled.push_back(std::move(p));
  }
  pack["id"] = id;
  pack["title"] = pack.value("title", "") + " (scaled to " + std::to_string(processes) + " processes for benchmarks)";
  pack["processes"] = std::move(scaled);
  *out = pack.dump(1) + "\n";
  return Status::OK();
}

}  // namespace assay::bench
