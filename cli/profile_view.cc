// Terminal views of results shared by several commands: the capability
// profile table (`assay profile`, `assay what-if`, `assay demo`) and the
// check summary (`assay check`, `assay demo`).
#include <iomanip>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "assay/rating.h"
#include "assay/scale.h"
#include "cli.h"
#include "terminal.h"

namespace assay::cli {

namespace {

const char* kReset = "\033[0m";
constexpr size_t kHeldBackShown = 4;  // processes named on the "held back" line
constexpr size_t kWrapColumn = 100;

// "1 item", "2 items".
std::string Plural(size_t n, const std::string& one, const std::string& many = "") {
  return std::to_string(n) + " " + (n == 1 ? one : many.empty() ? one + "s" : many);
}

const char* ColorOf(const std::string& folded) {
  if (folded == "N") return "\033[1;31m";
  if (folded == "P") return "\033[33m";
  if (folded == "L") return "\033[36m";
  if (folded == "F") return "\033[32m";
  return "";
}

// A 3-column cell for one attribute: its value (with its reliability mark),
// "." not assessed, "?" not rated, "~" not aggregated; a rated value coloured
// when `color` (the colours pass a guarded terminal unescaped: WriteControl).
void PutCell(std::ostream& out, const AttributeRating& a, bool color) {
  std::string text;
  switch (a.state) {
    case AttributeState::kRated: text = a.value + ReliabilityMark(a.dispersion); break;
    case AttributeState::kNotRated: text = "?"; break;
    case AttributeState::kNotAssessed: text = "."; break;
    case AttributeState::kNotAggregated: text = "~"; break;
  }
  const std::string pad(text.size() < 3 ? 3 - text.size() : 0, ' ');
  out << " ";
  if (color && a.state == AttributeState::kRated) {
    WriteControl(out, ColorOf(FoldToStandard(a.value)));
    out << text;
    WriteControl(out, kReset);
  } else {
    out << text;
  }
  out << pad;
}

std::string Truncate(const std::string& s, size_t n) {
  if (s.size() <= n) return s + std::string(n - s.size(), ' ');
  size_t cut = n - 1;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "~" + std::string(n - 1 - cut, ' ');
}

}  // namespace

const char* ReliabilityMark(const std::optional<Dispersion>& d) {
  if (!d) return "";
  switch (d->reliability) {
    case Reliability::kHigh: return "";
    case Reliability::kModerate: return "*";
    case Reliability::kPoor: return "!";
  }
  return "";
}

const char kReliabilityLegend[] =
    "* moderate, ! poor reliability: the ratings behind the value vary (coefficient of variation 30-50 %, "
    "over 50 %)\n";

void PrintProfileTable(const Model& model, const AssessmentData& data, const RatingResults& r, bool instances, bool color,
                std::ostream& out) {
  const Assessment& a = data.assessment;
  out << a.id << "  " << a.title << "\n";
  out << "model " << a.model_id << "@" << a.model_version << ", " << RatingMethodName(r.options.method) << ", "
      << AggregationMethodName(r.options.aggregation) << ", " << ScaleKindName(r.options.scale) << " scale\n\n";
  out << std::left << std::setw(8) << "PROCESS" << std::setw(21) << "NAME";
  for (const ProcessAttribute& attr : model.framework().attributes) {
    std::string short_id = attr.id.substr(attr.id.rfind("PA", 0) == 0 ? 2 : 0);
    out << " " << std::setw(3) << short_id;
  }
  out << "  CL TGT GAP\n";
  for (const ProcessProfile& p : r.processes) {
    out << std::setw(8) << p.process << Truncate(p.name, 20) << " ";
    for (const AttributeRating& attr : p.aggregate) PutCell(out, attr, color);
    out << "  " << std::right << std::setw(2) << (p.capability.determined ? std::to_string(p.capability.level) : "-")
        << std::setw(4) << p.target_level << std::setw(4) << (p.gap ? std::to_string(*p.gap) : "-") << std::left
        << "\n";
    if (!instances) continue;
    for (const InstanceResult& i : p.instances) {
      out << "  " << Truncate(i.instance, 26) << " ";
      for (const AttributeRating& attr : i.attributes) PutCell(out, attr, color);
      out << "  " << std::right << std::setw(2) << i.capability.level << std::left << "\n";
    }
  }
  out << "\n. not assessed (above target)   ? not rated   ~ not aggregated (R3)\n";
  bool marked = false;
  for (const ProcessProfile& p : r.processes)
    for (const AttributeRating& attr : p.aggregate) marked = marked || *ReliabilityMark(attr.dispersion);
  if (marked) out << kReliabilityLegend;
  const MaturityResult& m = r.maturity;
  if (m.available) {
    if (m.stated) {
      out << "Organizational maturity level: " << m.level << " of " << m.top_level << " (" << m.model << ")";
      if (m.attainable < m.top_level) out << "; at most " << m.attainable << " with this scope";
    } else {
      out << "Organizational maturity level: not stated; " << m.note;
    }
    out << "\n";
    if (!m.blockers.empty()) {
      // The first few processes, then how many more, wrapped at 100 columns.
      std::vector<std::string> parts;
      for (size_t i = 0; i < m.blockers.size() && i < kHeldBackShown; ++i) {
        const MaturityBlocker& b = m.blockers[i];
        // "RES.3 (at CL1, needs CL2)", "RAM.1 (not in scope, needs CL2)".
        std::string part = b.process + " (";
        if (b.reason == MaturityBlocker::Reason::kBelow && b.achieved)
          part += "at CL" + std::to_string(*b.achieved);
        else
          part += MaturityBlockerReasonName(b.reason);
        part += ", needs CL" + std::to_string(b.required) + ")";
        parts.push_back(part);
      }
      if (m.blockers.size() > kHeldBackShown) parts.push_back("and " + std::to_string(m.blockers.size() - kHeldBackShown) + " more");
      std::string line = "  held back from level " + std::to_string(m.level + 1) + " by " +
                         Plural(m.blockers.size(), "process", "processes") + ":";
      for (size_t i = 0; i < parts.size(); ++i) {
        const std::string piece = parts[i] + (i + 1 < parts.size() && parts[i + 1].rfind("and ", 0) != 0 ? "," : "");
        if (line.size() + 1 + piece.size() > kWrapColumn) {
          out << line << "\n";
          line = "    " + piece;
        } else {
          line += " " + piece;
        }
      }
      out << line << "\n";
    }
  }
  if (!r.disagreements.empty())
    out << Plural(r.disagreements.size(), "item") << " rated differently by assessors without a consolidated rating "
        << "(the lowest value is used meanwhile)\n";
  if (r.agreement.items > 0 && r.agreement.kappa)
    out << "Inter-assessor agreement: " << r.agreement.statistic << " kappa " << std::fixed << std::setprecision(2)
        << *r.agreement.kappa << " over " << Plural(r.agreement.items, "item") << "\n";
}

void PrintCheckSummary(const AssessmentData& data, const CheckReport& report, std::ostream& out,
                       const std::vector<std::string>& names) {
  std::map<std::string, size_t> counts;
  for (const CheckFinding& f : report.findings) ++counts[f.check];
  const size_t others = report.findings.size() - report.errors();
  out << std::left << data.assessment.id << ": " << Plural(report.errors(), "error") << ", " << others
      << (others == 1 ? " warning or note\n" : " warnings and notes\n");
  for (const std::string& name : names.empty() ? CheckNames() : names)
    out << "  " << std::setw(28) << name << (counts[name] ? std::to_string(counts[name]) : "ok") << "\n";
}

}  // namespace assay::cli
