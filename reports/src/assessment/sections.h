// Pieces the assessment report and its summary share: table cells, text
// helpers, the capability profile chart, the trend chart and the wording of
// the maturity level. Internal to assay_reports.
#ifndef ASSAY_REPORTS_ASSESSMENT_SECTIONS_H_
#define ASSAY_REPORTS_ASSESSMENT_SECTIONS_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "assay/assessment.h"
#include "assay/model.h"
#include "assay/rating.h"
#include "assay/reports/pdf.h"

namespace assay::reports::internal {

std::string JoinIds(const std::vector<std::string>& v, const char* sep = ", ");

// "F" or "at least L": what a blocking attribute needs (Blocker::needs).
std::string NeedsText(const std::string& needs);

// True when the process has no rating at all that counts.
bool AllNotRated(const ProcessProfile& p);

// The ratings of each process, in rating order: built once per report, so
// that what is looked up per process costs that process's ratings, not all.
class RatingsByProcess {
 public:
  explicit RatingsByProcess(const AssessmentData& d);
  const std::vector<const Rating*>& Of(const std::string& process) const;

 private:
  std::unordered_map<std::string_view, std::vector<const Rating*>> by_process_;
};

// "INSTANCE: weakness" of every rating of `process` about `attribute` (the
// attribute itself, an indicator it owns or one of its achievements), once
// each, in rating order.
std::vector<std::string> WeaknessesAbout(const Model& model, const RatingsByProcess& ratings,
                                         const std::string& process, const std::string& attribute);

TableCell Cell(std::string text, Align align = Align::kLeft);
TableCell Bold(std::string text);
TextStyle Small(Color color = palette::kMuted);

// `text` cut with "..." to fit `width` points (whole UTF-8 characters).
std::string Truncated(const Canvas& canvas, std::string text, double size, bool bold, double width);

// The capability profile as horizontal bars: per process the target level
// (light) behind the achieved level (dark), on an axis 0..top. Split over as
// many drawings as pages need.
void ProfileChart(PdfDocument& doc, const Model& model, const std::vector<ProcessProfile>& processes);

// The trend as one row per process: a square per assessment at its level
// (older ones lighter), joined from the previous assessment's level to the
// newest (green improved, red regressed), the target of the newest
// assessment as a marker, and the change in words. Split over pages like
// ProfileChart. REQUIRES: the trend holds at least one assessment.
void TrendChart(PdfDocument& doc, const Model& model, const Trend& trend);

// What the report says about the maturity level. A level is stated only
// when the scope lets it be shown (MaturityResult::attainable >= 1);
// otherwise the sentence says why no level is stated.
std::string MaturitySentence(const MaturityResult& m);

// Why a process holds the organization back from the next maturity level.
std::string MaturityReason(const MaturityBlocker& b);

}  // namespace assay::reports::internal

#endif  // ASSAY_REPORTS_ASSESSMENT_SECTIONS_H_
