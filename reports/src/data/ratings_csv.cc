#include "assay/reports/ratings_csv.h"

#include "assay/rating.h"
#include "assay/reports/profile.h"

namespace assay::reports {

namespace {

constexpr const char* kBom = "\xEF\xBB\xBF";

std::string Joined(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ";") + s;
  return out;
}

}  // namespace

std::string RatingsCsv(const AssessmentData& data) {
  std::string out = std::string(kBom) + kRatingsCsvHeader + "\r\n";
  for (const Rating& r : data.ratings) {
    out += CsvCell(data.assessment.id) + "," + CsvCell(r.process) + "," + CsvCell(r.instance) + "," +
           CsvCell(r.item) + "," + CsvCell(r.value) + "," + CsvCell(r.assessor) + "," +
           (r.consolidated ? "true" : "") + "," + CsvCell(r.strength) + "," + CsvCell(r.weakness) + "," +
           CsvCell(Joined(r.reasons)) + "," + CsvCell(Joined(r.evidence)) + "," + CsvCell(r.justification) + "\r\n";
  }
  return out;
}

std::string RatingsCsvTemplate(const Model& model, const AssessmentData& data) {
  std::string out = std::string(kBom) + kRatingsCsvHeader + "\r\n";
  for (const ScopedProcess& scope : data.scope) {
    const std::vector<RatingItem> items =
        ItemsToRate(model, scope.process, scope.target_level, data.assessment.options.method);
    for (const ProcessInstance& inst : data.instances) {
      if (inst.process != scope.process) continue;
      for (const RatingItem& item : items)
        out += CsvCell(data.assessment.id) + "," + CsvCell(scope.process) + "," + CsvCell(inst.id) + "," +
               CsvCell(item.id) + ",,,,,,,,\r\n";
    }
  }
  return out;
}

}  // namespace assay::reports
